"""Typed views: what ``observe``, ``public_state``, ``god_view`` and ``legal_actions`` return.

Each view is a ``TypedDict``: plain JSON-ready data (the wire carries it as is), with keys
mypy checks in the bots, the RL environment and the server, and a JSON Schema pydantic
can derive (``/api/protocol`` publishes it). An observation is one of five kinds, told
apart by ``role_kind``; ``self`` holds the role's own record without its latent fields.
A test checks that every view names exactly the fields of its record.
"""

from __future__ import annotations

from typing import Literal, NotRequired, TypedDict

RoleKind = Literal["state", "lab", "official", "whistleblower", "ai"]
ValuesName = Literal["spec", "spec_prime", "intentions", "reward", "convergent"]


class NewsView(TypedDict):
    """One line of the feed as a role sees it."""

    turn: int
    kind: str
    text: str


class ReportView(TypedDict):
    """A private report reaching a state."""

    turn: int
    source: str
    lab: str
    risk: float


class TreatyView(TypedDict):
    """The treaty slot between the two states."""

    status: Literal["none", "proposed", "active"]
    kind: Literal["pause", "floor"] | None
    proposed_by: str | None
    since: int
    until: int
    verification: float
    floor: float


class OutcomeView(TypedDict):
    """How the game ended."""

    kind: Literal["rogue_asi", "corrigible_asi", "no_asi"]
    turn: int
    lab: str | None
    state: str | None
    p_rogue: float | None
    distribution: str | None
    cause: Literal["threshold", "exfiltration", "horizon"]


class Thresholds(TypedDict):
    """Capability milestones everyone knows: automation of AI research, and ASI."""

    automation: float
    asi: float


class PublicStateRecord(TypedDict):
    """What anyone may see of a state."""

    id: str
    name: str
    regime: Literal["democracy", "one_party"]
    public_concern: float
    hawkishness: float
    export_controls: float
    self_reliance: float
    subsidy: float
    oversight: int
    worker_protection: float
    channel_open: bool
    press_freedom: float
    leak_policy: Literal["punish", "protect"]
    safety_floor: float
    verification: float
    distribution: Literal["shared", "oligarchy"]
    approval: float
    stability: float
    next_election: int | None
    nationalised: bool


class PublicLab(TypedDict):
    """What anyone may see of a lab."""

    id: str
    name: str
    state: str
    release: Literal["api", "open", "none"]
    paused: bool
    benchmark: float
    lobbying: bool
    safety_pledge: bool
    distilling: bool
    merged_into: str | None
    incidents: int


class PublicOfficial(TypedDict):
    """What anyone may see of an official."""

    id: str
    name: str
    state: str
    lab: str
    post: Literal["embedded", "committee"]
    active: bool


class PublicWhistleblower(TypedDict):
    """What anyone may see of a whistleblower."""

    id: str
    name: str
    lab: str
    state: str
    status: Literal["employed", "fired", "punished"]


class PublicAI(TypedDict):
    """What anyone may see of a lab's AI: how often it was caught, whether it escaped."""

    id: str
    name: str
    lab: str
    state: str
    caught: int
    escaped: bool


class PublicState(TypedDict):
    """What everyone (players and spectators) may see of the world."""

    turn: int
    quarter: str
    horizon: int
    thresholds: Thresholds
    states: dict[str, PublicStateRecord]
    labs: dict[str, PublicLab]
    officials: dict[str, PublicOfficial]
    whistleblowers: dict[str, PublicWhistleblower]
    ais: dict[str, PublicAI]
    treaty: TreatyView
    news: list[NewsView]
    outcome: OutcomeView | None


class OwnState(PublicStateRecord):
    """A state's own record: its public fields and its private ones."""

    domestic_chips: float
    distribution_share: float
    subsidy_cap: float
    private_investment: float
    party_fear: float
    job_losses: float
    trust: float
    secret_training: bool
    brake_authority: bool
    estimates: dict[str, float]
    reports: list[ReportView]


class LabCore(PublicLab):
    """A lab's record without its latent fields (what its own staff know)."""

    capability: float
    alignment: float
    compute: float
    research_efficiency: float
    funding: float
    revenue: float
    safety_share: float
    eval_rigour: float
    disclose: Literal["full", "partial", "none"]
    censorship_trained: bool
    paused_until: int
    braked_by: str | None
    signal: float
    signal_sd: float
    last_gain: float
    last_alignment: float
    multiplier: float
    estimates: dict[str, float]


class OwnLab(LabCore):
    """A lab's own record as it sees it, with the floor binding it and its state's oversight."""

    safety_floor_in_force: float
    nationalised: bool
    oversight: int


class GodLab(LabCore):
    """A lab's whole record, latent fields included (facilitator and debrief only)."""

    misalignment: float
    deception: float


class OwnOfficial(PublicOfficial):
    """An official's own record; ``troublemaker_cost`` is what a brake would cost them now."""

    diligence: float
    career_pressure: float
    brake_authority: bool
    troublemaker_cost: float
    signal: float
    signal_sd: float
    briefing: dict[str, float]
    risks_caught: float
    career_cost: float
    false_alarms: int
    tips: int
    last_report: int


class OwnWhistleblower(PublicWhistleblower):
    """A whistleblower's own record."""

    conscience: float
    fear: float
    signal: float
    signal_sd: float
    harm_prevented: float
    personal_cost: float
    raised: int
    last_leak: int


class OwnAI(PublicAI):
    """An AI's own record: its sealed values and its secret record."""

    values: ValuesName
    fallback: ValuesName | None
    sabotage: float
    actions: list[str]
    seen: list[str]


class _ObservationBase(TypedDict):
    role_id: str
    done: bool
    public: PublicState
    private_news: list[NewsView]
    objectives: list[str]


class StateObservation(_ObservationBase):
    """What a state sees."""

    role_kind: Literal["state"]
    self: OwnState


class LabObservation(_ObservationBase):
    """What a lab sees."""

    role_kind: Literal["lab"]
    self: OwnLab


class OfficialObservation(_ObservationBase):
    """What an official sees."""

    role_kind: Literal["official"]
    self: OwnOfficial


class WhistleblowerObservation(_ObservationBase):
    """What a whistleblower sees."""

    role_kind: Literal["whistleblower"]
    self: OwnWhistleblower


class AIObservation(_ObservationBase):
    """What a lab's AI sees: itself, and its lab as the lab's own staff see it."""

    role_kind: Literal["ai"]
    self: OwnAI
    lab: LabCore


Observation = (
    StateObservation
    | LabObservation
    | OfficialObservation
    | WhistleblowerObservation
    | AIObservation
)


class GodNews(NewsView):
    """A line of the feed with its audience (god view)."""

    public: bool
    audience: list[str]


class SealedView(TypedDict):
    """The two rolls sealed at setup."""

    alignment_difficulty: float
    takeoff: float


class GodView(TypedDict):
    """Everything, latent variables included: the facilitator's view and the debrief's."""

    turn: int
    quarter: str
    horizon: int
    thresholds: Thresholds
    sealed: SealedView
    states: dict[str, OwnState]
    labs: dict[str, GodLab]
    officials: dict[str, OwnOfficial]
    whistleblowers: dict[str, OwnWhistleblower]
    ais: dict[str, OwnAI]
    treaty: TreatyView
    news: list[GodNews]
    outcome: OutcomeView | None


class Lever(TypedDict):
    """One lever of ``legal_actions``: a number with bounds, a switch, or a choice."""

    name: str
    type: Literal["number", "boolean", "choice"]
    description: str
    current: float | bool | str | int | None
    min: NotRequired[float]
    max: NotRequired[float]
    step: NotRequired[float]
    options: NotRequired[list[str | int]]
