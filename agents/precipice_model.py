"""``PrecipiceModel``: the degenerate configuration that is Armstrong, Bostrom & Shulman (2016).

Each team is a Mesa agent. In the single step, capabilities are drawn from U[0, mu] with
the model's rng; every team picks the equilibrium safety for what it may know (none, its
own capability, or all of them; ``rules.precipice``); the highest capability minus safety
builds the AI; a draw decides disaster with probability 1 - the winner's safety. Payoffs
are the paper's: 1 to the winner, 1 - e to the others, 0 to all on disaster.
"""

from __future__ import annotations

import hashlib
import json

import mesa

from rules.precipice import equilibrium_safety, resolve
from rules.scenario import Scenario


class TeamAgent(mesa.Agent):  # type: ignore[misc]
    """One development team."""

    def __init__(self, model: PrecipiceModel, index: int) -> None:
        super().__init__(model)
        self.index = index
        self.team_id = f"team-{index + 1}"
        self.capability = 0.0
        self.safety = 0.0

    def choose_safety(self) -> None:
        """Play the paper's equilibrium for the information condition."""
        m: PrecipiceModel = self.model
        p = m.spec.precipice
        caps = [t.capability for t in m.teams]
        if p.information == "none":
            self.safety = equilibrium_safety("none", p.teams, p.enmity, p.skill, None, None, None)
        elif p.information == "private":
            self.safety = equilibrium_safety(
                "private", p.teams, p.enmity, p.skill, self.capability, None, None
            )
        else:
            self.safety = equilibrium_safety(
                "public", p.teams, p.enmity, p.skill, None, caps, self.index
            )


class PrecipiceModel(mesa.Model):  # type: ignore[misc]
    """One race to the precipice."""

    def __init__(self, scenario: Scenario, seed: int) -> None:
        if scenario.mode != "precipice":
            raise ValueError(f"scenario {scenario.name!r} is not a precipice scenario")
        super().__init__(rng=seed)
        self.spec = scenario
        self.teams: list[TeamAgent] = [TeamAgent(self, i) for i in range(scenario.precipice.teams)]
        self.outcome = "undecided"
        self.winner_team: str | None = None
        self.winner = -1

    def step(self) -> None:
        """Draw capabilities, choose safeties, resolve the race."""
        p = self.spec.precipice
        caps = self.rng.uniform(0.0, p.skill, size=p.teams)
        for team, cap in zip(self.teams, caps, strict=True):
            team.capability = float(cap)
        self.agents_by_type[TeamAgent].do("choose_safety")
        self.winner = resolve([t.capability for t in self.teams], [t.safety for t in self.teams])
        safe = float(self.rng.random()) < self.teams[self.winner].safety
        self.outcome = "corrigible_asi" if safe else "rogue_asi"
        self.winner_team = self.teams[self.winner].team_id if safe else None
        self.running = False

    def run(self) -> None:
        """Play the single step."""
        if self.outcome == "undecided":
            self.step()

    def scores(self) -> dict[str, float]:
        """The paper's utilities: 1 for the safe winner, 1 - e for the others, 0 on disaster."""
        e = self.spec.precipice.enmity
        if self.outcome != "corrigible_asi":
            return {t.team_id: 0.0 for t in self.teams}
        return {t.team_id: (1.0 if t.index == self.winner else 1.0 - e) for t in self.teams}

    @property
    def final_hash(self) -> str:
        """Digest of capabilities, safeties and outcome."""
        data = [[t.capability, t.safety] for t in self.teams] + [self.outcome]
        return hashlib.sha256(json.dumps(data).encode()).hexdigest()[:32]
