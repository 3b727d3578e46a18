"""Phase 7, outcome check: ASI at the threshold (rogue or corrigible), or the horizon."""

from __future__ import annotations

from rules.rng import RandomSource
from rules.scenario import Dynamics
from rules.world import NewsItem, Outcome, World


def p_rogue(misalignment: float, dyn: Dynamics) -> float:
    """Chance an ASI built with this undetected misalignment goes rogue."""
    return float(min(1.0, max(0.0, misalignment) ** dyn.rogue_exponent))


def outcome_phase(world: World, dyn: Dynamics, rng: RandomSource) -> list[NewsItem]:
    """Decide the outcome if a lab reached the threshold or the horizon came."""
    t = world.turn
    ready = [lab for lab in world.active_labs() if lab.capability >= dyn.asi_threshold]
    if ready:
        lab = max(ready, key=lambda item: item.capability)
        p = p_rogue(lab.misalignment, dyn)
        roll = float(rng.random())
        state = world.states[lab.state]
        if roll < p:
            world.outcome = Outcome("rogue_asi", t, lab.id, lab.state, p, None)
            return [
                NewsItem(
                    t,
                    "outcome",
                    f"{lab.name} builds a superintelligence. It is not corrigible. Everyone loses.",
                )
            ]
        world.outcome = Outcome("corrigible_asi", t, lab.id, lab.state, p, state.distribution)
        how = "shared" if state.distribution == "shared" else "locked into an oligarchy"
        return [
            NewsItem(
                t,
                "outcome",
                f"{lab.name} builds a corrigible superintelligence for {state.name}; its abundance is {how}.",
            )
        ]
    if t + 1 >= world.horizon:
        world.outcome = Outcome("no_asi", t)
        return [
            NewsItem(
                t,
                "outcome",
                "The horizon is reached without a superintelligence; the race goes on.",
            )
        ]
    return []
