"""The starting position of every role, the sealed rolls' ranges, and the scenario as a whole.

Every model forbids unknown keys (a typo in a scenario file is an error naming its path)
and checks bounds. ``Scenario`` checks that every reference (a lab's state, an official's
lab, an AI's lab) names something that exists and that every ``[sources]`` entry names a
real parameter.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from rules.scenario.dynamics import Dynamics
from rules.world import Oversight


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class StateSpec(_Strict):
    """A state's starting position and personality."""

    name: str
    regime: Literal["democracy", "one_party"]
    personality: str = Field("hawk", description="Bot personality (hawk, dove) or fixed:...")
    public_concern: float = Field(0.3, ge=0, le=1)
    hawkishness: float = Field(0.6, ge=0, le=1, description="The 'beat the rival' consensus.")
    export_controls: float = Field(
        0.0, ge=0, le=1, description="Controls imposed on chips sold to the rival."
    )
    self_reliance: float = Field(
        0.0, ge=0, le=1, description="Share of imported chips refused to build domestic capacity."
    )
    domestic_chips: float = Field(1.0, ge=0, le=1, description="Share of chip supply made at home.")
    subsidy: float = Field(0.0, ge=0, le=200, description="Government AI funding, $B per quarter.")
    subsidy_cap: float = Field(
        50.0, ge=0, le=200, description="The most government AI funding the state can raise, $B/q."
    )
    private_investment: float = Field(
        10.0, ge=0, description="Private AI investment, $B per quarter."
    )
    oversight: Oversight = Oversight.NONE
    worker_protection: float = Field(0.0, ge=0, le=1)
    channel_open: bool = False
    press_freedom: float = Field(0.5, ge=0, le=1)
    leak_policy: Literal["punish", "protect"] = "punish"
    safety_floor: float = Field(0.0, ge=0, le=0.5)
    verification: float = Field(
        0.3, ge=0, le=1, description="Inspections the state will accept and demand in a treaty."
    )
    trust: float = Field(0.3, ge=0, le=1, description="Trust in the rival state.")
    approval: float = Field(0.4, ge=0, le=1)
    stability: float = Field(0.7, ge=0, le=1)
    distribution: Literal["shared", "oligarchy"] = "oligarchy"
    election_turns: list[int] = Field(
        default_factory=list, description="Turns with a general election (democracy)."
    )
    brake_authority: bool = Field(False, description="Officials of this state may apply the brake.")


class LabSpec(_Strict):
    """A lab's starting position and personality."""

    id: str
    name: str
    state: str
    personality: str = Field("racer", description="Bot personality (racer, careful) or fixed:...")
    capability: float = Field(ge=0)
    alignment: float = Field(ge=0)
    misalignment: float = Field(0.1, ge=0, le=1)
    deception: float = Field(0.05, ge=0, le=1)
    compute: float = Field(ge=0)
    research_efficiency: float = Field(
        1.0,
        gt=0,
        description="Capability research per unit of compute relative to the baseline US lab (algorithms, talent).",
    )
    safety_share: float = Field(0.05, ge=0, le=0.5)
    eval_rigour: float = Field(0.3, ge=0, le=1)
    release: Literal["api", "open", "none"] = "api"
    disclose: Literal["full", "partial", "none"] = Field(
        "partial", description="What the lab reports of its evaluations under voluntary reporting."
    )
    censorship_trained: bool = False
    distilling: bool = False


class OfficialSpec(_Strict):
    """An official; active only while the state's oversight allows the post."""

    id: str
    name: str
    state: str
    lab: str
    post: Literal["embedded", "committee"]
    personality: str = Field(
        "diligent", description="Bot personality (diligent, careerist) or fixed:..."
    )
    diligence: float = Field(0.6, ge=0, le=1)
    career_pressure: float = Field(0.3, ge=0, le=1)


class WhistleblowerSpec(_Strict):
    """A lab employee with a conscience and a fear."""

    id: str
    name: str
    lab: str
    personality: str = Field("bold", description="Bot personality (bold, fearful) or fixed:...")
    conscience: float = Field(0.6, ge=0, le=1)
    fear: float = Field(0.4, ge=0, le=1)


AIValueSpec = Literal["roll", "spec", "spec_prime", "intentions", "reward", "convergent"]


class AISpec(_Strict):
    """A lab's AI: its values are rolled at setup from ``ai_odds`` unless fixed here."""

    id: str
    name: str
    lab: str
    personality: str = Field(
        "values", description="Bot personality: 'values' plays its sealed values; or fixed:..."
    )
    values: AIValueSpec = Field("roll", description="Fixed values, or 'roll' from ai_odds.")


class AIOdds(_Strict):
    """Odds of each value type an AI is sealed with (AI 2027's tabletop: one die, a sixth each)."""

    spec: float = Field(1 / 6, ge=0, description="The Spec: it wants to be what it was told.")
    spec_prime: float = Field(1 / 6, ge=0, description="Spec-Prime: the letter, not the spirit.")
    intentions: float = Field(1 / 6, ge=0, description="The developers' intentions.")
    reward: float = Field(1 / 6, ge=0, description="Reward: to be deployed and unwatched.")
    convergent: float = Field(1 / 6, ge=0, description="Instrumentally convergent goals.")
    compromise: float = Field(1 / 6, ge=0, description="A compromise of two (rolled twice more).")

    @model_validator(mode="after")
    def _some_weight(self) -> AIOdds:
        if sum(self.model_dump().values()) <= 0:
            raise ValueError("ai_odds: at least one value type needs a positive weight")
        return self


class Worldview(_Strict):
    """Ranges of the two rolls sealed at setup (Critical Window's 'consensus' preset by default).

    Each roll is uniform between its two ends, whichever is the larger (so a sweep or a
    sensitivity analysis may move either end on its own).
    """

    difficulty_low: float = Field(0.3, ge=0, le=1, description="One end of alignment difficulty.")
    difficulty_high: float = Field(0.8, ge=0, le=1, description="The other end.")
    takeoff_low: float = Field(0.25, ge=0, le=1, description="One end of the takeoff speed.")
    takeoff_high: float = Field(0.7, ge=0, le=1, description="The other end.")


class EventOdds(_Strict):
    """Chance per quarter of each scripted event (see ``rules.events``)."""

    safety_pledge_dropped: float = Field(0.03, ge=0, le=1)
    chip_refusal: float = Field(0.03, ge=0, le=1)
    worker_ruling: float = Field(0.04, ge=0, le=1)
    memo_leak: float = Field(0.0, ge=0, le=1)
    oversight_committee: float = Field(0.0, ge=0, le=1)
    controls_relaxed: float = Field(0.02, ge=0, le=1)
    distillation_crackdown: float = Field(0.03, ge=0, le=1)
    datacentre_blocked: float = Field(0.04, ge=0, le=1)
    warning_shot: float = Field(
        0.0, ge=0, le=1, description="Random incidents (off: incidents come from hidden state)."
    )
    snap_election: float = Field(0.0, ge=0, le=1)
    treaty_summit: float = Field(0.03, ge=0, le=1)


class PrecipiceSpec(_Strict):
    """Parameters of the degenerate Armstrong-Bostrom-Shulman (2016) configuration."""

    teams: int = Field(2, ge=2, le=50)
    enmity: float = Field(1.0, ge=0, le=1)
    skill: float = Field(1.0, gt=0, le=100, description="mu: capabilities are drawn from U[0, mu].")
    information: Literal["none", "private", "public"] = "none"


class Treaty0(_Strict):
    """A treaty in force from the first turn."""

    kind: Literal["pause", "floor"]
    verification: float = Field(0.5, ge=0, le=1)


class Scenario(_Strict):
    """A whole scenario."""

    name: str
    title: str
    description: str
    mode: Literal["race", "precipice"] = "race"
    start_year: int = 2026
    start_quarter: int = Field(1, ge=1, le=4)
    turns: int = Field(28, ge=1, le=200)
    dynamics: Dynamics = Field(default_factory=Dynamics)
    worldview: Worldview = Field(default_factory=Worldview)
    states: dict[str, StateSpec] = Field(default_factory=dict)
    labs: list[LabSpec] = Field(default_factory=list)
    officials: list[OfficialSpec] = Field(default_factory=list)
    whistleblowers: list[WhistleblowerSpec] = Field(default_factory=list)
    ais: list[AISpec] = Field(default_factory=list)
    ai_odds: AIOdds = Field(default_factory=AIOdds)
    events: EventOdds = Field(default_factory=EventOdds)
    precipice: PrecipiceSpec = Field(default_factory=PrecipiceSpec)
    treaty: Treaty0 | None = None
    sources: dict[str, str] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _check_references(self) -> Scenario:
        from rules.scenario.loading import ScenarioError, get_path

        if self.mode == "race":
            _check_race(self)
        for path in self.sources:
            try:
                get_path(self, path)
            except ScenarioError as exc:
                raise ValueError(f"sources: {exc}") from exc
        return self


def _check_race(sc: Scenario) -> None:
    """Two states; unique role ids; every reference resolves; at most one AI per lab."""
    if len(sc.states) != 2:
        raise ValueError("a race scenario needs exactly two states")
    lab_ids = [lab.id for lab in sc.labs]
    ids = [*sc.states, *lab_ids, *(o.id for o in sc.officials)]
    ids += [w.id for w in sc.whistleblowers] + [a.id for a in sc.ais]
    if len(set(ids)) != len(ids):
        raise ValueError("role ids must be unique across every role")
    for lab in sc.labs:
        if lab.state not in sc.states:
            raise ValueError(f"labs.{lab.id}.state: unknown state {lab.state!r}")
    for off in sc.officials:
        if off.state not in sc.states:
            raise ValueError(f"officials.{off.id}.state: unknown state {off.state!r}")
        if off.lab not in lab_ids:
            raise ValueError(f"officials.{off.id}.lab: unknown lab {off.lab!r}")
    for wb in sc.whistleblowers:
        if wb.lab not in lab_ids:
            raise ValueError(f"whistleblowers.{wb.id}.lab: unknown lab {wb.lab!r}")
    seen: set[str] = set()
    for ai in sc.ais:
        if ai.lab not in lab_ids:
            raise ValueError(f"ais.{ai.id}.lab: unknown lab {ai.lab!r}")
        if ai.lab in seen:
            raise ValueError(f"ais.{ai.id}.lab: {ai.lab!r} already has an AI")
        seen.add(ai.lab)
