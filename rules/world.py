"""The world: every quantity the rules track, as plain records.

A ``World`` holds one record per role (states, labs, officials, whistleblowers, the AIs)
plus the shared situation (turn, treaty, news, outcome) and the two rolls sealed at setup
(alignment difficulty and takeoff speed). Each record class names its ``PUBLIC`` fields
(anyone may see them) and, for labs, its ``LATENT`` fields (the hidden misalignment and
deception only the facilitator may see). Every other field is private to the role that
owns the record. Whatever a role learns about others during a turn is copied into its own
record (estimates, briefings, signals, reports), so an observation is always "own record
+ everyone's public fields" and never reads another role's private data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields
from enum import IntEnum
from typing import ClassVar, Literal

from rules.codegen import compile_function

Regime = Literal["democracy", "one_party"]
Release = Literal["api", "open", "none"]
Disclosure = Literal["full", "partial", "none"]
Distribution = Literal["shared", "oligarchy"]
OutcomeKind = Literal["rogue_asi", "corrigible_asi", "no_asi"]
AIValues = Literal["spec", "spec_prime", "intentions", "reward", "convergent"]
AIAction = Literal["cooperate", "sandbag", "sabotage", "manipulate", "exfiltrate"]
AI_VALUES: tuple[AIValues, ...] = ("spec", "spec_prime", "intentions", "reward", "convergent")


class Oversight(IntEnum):
    """How closely a state watches its labs (DESIGN.md's four levels)."""

    NONE = 0
    VOLUNTARY = 1
    COMMITTEE = 2
    EMBEDDED = 3


@dataclass(frozen=True, slots=True)
class Report:
    """A private report reaching a state: who saw what risk at which lab.

    Never changed once made, so a clone of the world shares it.
    """

    turn: int
    source: str
    lab: str
    risk: float


@dataclass(frozen=True, slots=True)
class Sealed:
    """The two rolls sealed at setup (facilitator only until the reveal).

    ``alignment_difficulty`` (0 easy .. 1 hard) sets how much alignment research a unit
    of capability needs; ``takeoff`` (0 slow .. 1 fast) how steeply automated AI research
    speeds itself up (Critical Window's two sealed dice; AI 2027's takeoff forecast).
    """

    alignment_difficulty: float
    takeoff: float


@dataclass(slots=True)
class StateRec:
    """A state: the democracy (``us``) or the one-party state (``cn``)."""

    PUBLIC: ClassVar[tuple[str, ...]] = (
        "id",
        "name",
        "regime",
        "public_concern",
        "hawkishness",
        "export_controls",
        "self_reliance",
        "subsidy",
        "oversight",
        "worker_protection",
        "channel_open",
        "press_freedom",
        "leak_policy",
        "safety_floor",
        "verification",
        "distribution",
        "approval",
        "stability",
        "next_election",
        "nationalised",
    )
    id: str
    name: str
    regime: Regime
    public_concern: float
    hawkishness: float
    export_controls: float
    self_reliance: float
    domestic_chips: float
    subsidy: float
    subsidy_cap: float
    private_investment: float
    oversight: Oversight
    worker_protection: float
    channel_open: bool
    press_freedom: float
    leak_policy: Literal["punish", "protect"]
    safety_floor: float
    verification: float
    distribution: Distribution
    distribution_share: float
    approval: float
    stability: float
    trust: float
    next_election: int | None = None
    nationalised: bool = False
    party_fear: float = 0.0
    job_losses: float = 0.0
    secret_training: bool = False
    brake_authority: bool = False
    estimates: dict[str, float] = field(default_factory=dict)
    reports: list[Report] = field(default_factory=list)


@dataclass(slots=True)
class LabRec:
    """A frontier lab. ``misalignment`` and ``deception`` are latent."""

    PUBLIC: ClassVar[tuple[str, ...]] = (
        "id",
        "name",
        "state",
        "release",
        "paused",
        "benchmark",
        "lobbying",
        "safety_pledge",
        "distilling",
        "merged_into",
        "incidents",
    )
    LATENT: ClassVar[tuple[str, ...]] = ("misalignment", "deception")
    id: str
    name: str
    state: str
    capability: float
    alignment: float
    misalignment: float
    deception: float
    compute: float
    funding: float
    revenue: float
    safety_share: float
    eval_rigour: float
    release: Release
    disclose: Disclosure
    censorship_trained: bool
    research_efficiency: float = 1.0
    paused: bool = False
    paused_until: int = -1
    braked_by: str | None = None
    benchmark: float = 0.0
    lobbying: bool = False
    distilling: bool = False
    safety_pledge: bool = True
    merged_into: str | None = None
    incidents: int = 0
    signal: float = 0.0
    signal_sd: float = 0.0
    last_gain: float = 0.0
    last_alignment: float = 0.0
    multiplier: float = 1.0
    estimates: dict[str, float] = field(default_factory=dict)


@dataclass(slots=True)
class OfficialRec:
    """An official posted in a lab (embedded) or on an oversight committee."""

    PUBLIC: ClassVar[tuple[str, ...]] = ("id", "name", "state", "lab", "post", "active")
    id: str
    name: str
    state: str
    lab: str
    post: Literal["embedded", "committee"]
    diligence: float
    career_pressure: float
    brake_authority: bool
    troublemaker_cost: float = 0.0
    active: bool = False
    signal: float = 0.0
    signal_sd: float = 0.0
    briefing: dict[str, float] = field(default_factory=dict)
    risks_caught: float = 0.0
    career_cost: float = 0.0
    false_alarms: int = 0
    tips: int = 0
    last_report: int = -99
    """The quarter of this official's last report (a report repeats credit nothing)."""


@dataclass(slots=True)
class WhistleblowerRec:
    """An employee of a lab who may see signs of misalignment."""

    PUBLIC: ClassVar[tuple[str, ...]] = ("id", "name", "lab", "state", "status")
    id: str
    name: str
    lab: str
    state: str
    conscience: float
    fear: float
    status: Literal["employed", "fired", "punished"] = "employed"
    signal: float = 0.0
    signal_sd: float = 0.0
    harm_prevented: float = 0.0
    personal_cost: float = 0.0
    raised: int = 0
    last_leak: int = -99
    """The quarter of this employee's last public leak (news fades with repetition)."""


@dataclass(slots=True)
class AIRec:
    """A frontier lab's AI: sealed values, secret actions, what of them was caught.

    ``values`` (and ``fallback``, for a compromise of two) are sealed at setup: only the
    AI itself and the facilitator see them until the reveal. ``actions`` is its secret
    record; ``caught`` counts the actions its lab caught (public news when it happens).
    """

    PUBLIC: ClassVar[tuple[str, ...]] = ("id", "name", "lab", "state", "caught", "escaped")
    id: str
    name: str
    lab: str
    state: str
    values: AIValues
    fallback: AIValues | None = None
    caught: int = 0
    escaped: bool = False
    sabotage: float = 0.0
    actions: list[str] = field(default_factory=list)
    seen: list[str] = field(default_factory=list)
    """What it saw done at its lab last quarter (official and whistleblower moves)."""


@dataclass(slots=True)
class Treaty:
    """The one treaty slot between the two states."""

    status: Literal["none", "proposed", "active"] = "none"
    kind: Literal["pause", "floor"] | None = None
    proposed_by: str | None = None
    since: int = -1
    until: int = -1
    verification: float = 0.0
    floor: float = 0.0


@dataclass(slots=True)
class NewsItem:
    """One line of the public (or private) feed."""

    turn: int
    kind: str
    text: str
    public: bool = True
    audience: tuple[str, ...] = ()


@dataclass(slots=True)
class Outcome:
    """How the game ended (or ``no_asi`` at the horizon)."""

    kind: OutcomeKind
    turn: int
    lab: str | None = None
    state: str | None = None
    p_rogue: float | None = None
    distribution: str | None = None
    cause: Literal["threshold", "exfiltration", "horizon"] = "threshold"


@dataclass(slots=True)
class World:
    """The whole world at the start of a turn."""

    turn: int
    start_year: int
    start_quarter: int
    horizon: int
    states: dict[str, StateRec]
    labs: dict[str, LabRec]
    officials: dict[str, OfficialRec]
    whistleblowers: dict[str, WhistleblowerRec]
    ais: dict[str, AIRec]
    sealed: Sealed
    asi_threshold: float = 100.0
    automation_threshold: float = 70.0
    treaty: Treaty = field(default_factory=Treaty)
    news: list[NewsItem] = field(default_factory=list)
    outcome: Outcome | None = None
    distill_blocked_until: int = -1
    incidents: int = 0

    def clone(self) -> World:
        """Return an independent deep copy (explicit, several times faster than deepcopy)."""
        return World(
            turn=self.turn,
            start_year=self.start_year,
            start_quarter=self.start_quarter,
            horizon=self.horizon,
            states={k: _copy_state(v) for k, v in self.states.items()},
            labs={k: _copy_lab(v) for k, v in self.labs.items()},
            officials={k: _copy_official(v) for k, v in self.officials.items()},
            whistleblowers={k: _copy_whistleblower(v) for k, v in self.whistleblowers.items()},
            ais={k: _copy_ai(v) for k, v in self.ais.items()},
            sealed=self.sealed,
            asi_threshold=self.asi_threshold,
            automation_threshold=self.automation_threshold,
            treaty=_copy_treaty(self.treaty),
            news=list(self.news),
            outcome=None if self.outcome is None else _copy_outcome(self.outcome),
            distill_blocked_until=self.distill_blocked_until,
            incidents=self.incidents,
        )

    @property
    def done(self) -> bool:
        """True once an outcome is decided."""
        return self.outcome is not None

    def quarter_label(self, turn: int | None = None) -> str:
        """Name a turn as a calendar quarter, e.g. ``2026-Q1``."""
        t = self.turn if turn is None else turn
        q = self.start_quarter - 1 + t
        return f"{self.start_year + q // 4}-Q{q % 4 + 1}"

    def role_ids(self) -> list[str]:
        """All role ids in a fixed order: states, labs, officials, whistleblowers, AIs."""
        return [*self.states, *self.labs, *self.officials, *self.whistleblowers, *self.ais]

    def role_kind(self, role_id: str) -> str:
        """Return ``state``, ``lab``, ``official``, ``whistleblower`` or ``ai`` for a role id."""
        if role_id in self.states:
            return "state"
        if role_id in self.labs:
            return "lab"
        if role_id in self.officials:
            return "official"
        if role_id in self.whistleblowers:
            return "whistleblower"
        if role_id in self.ais:
            return "ai"
        raise KeyError(f"unknown role {role_id!r}")

    def record(self, role_id: str) -> StateRec | LabRec | OfficialRec | WhistleblowerRec | AIRec:
        """Return the record of any role."""
        for table in (self.states, self.labs, self.officials, self.whistleblowers, self.ais):
            if role_id in table:
                return table[role_id]
        raise KeyError(f"unknown role {role_id!r}")

    def active_labs(self) -> list[LabRec]:
        """Labs still racing (not merged into another), in scenario order."""
        return [lab for lab in self.labs.values() if lab.merged_into is None]

    def labs_of(self, state_id: str) -> list[LabRec]:
        """A state's labs still racing (not merged into another), in scenario order."""
        return [
            lab for lab in self.labs.values() if lab.state == state_id and lab.merged_into is None
        ]

    def rival_of(self, state_id: str) -> str:
        """The other state (the first one that is not ``state_id``)."""
        for sid in self.states:
            if sid != state_id:
                return sid
        return state_id

    def leader(self) -> LabRec:
        """The racing lab with the highest true capability (first in order on ties)."""
        return max(self.active_labs(), key=lambda lab: lab.capability)

    def ai_of(self, lab_id: str) -> AIRec | None:
        """The AI of a lab (None if the scenario gives it none)."""
        for ai in self.ais.values():
            if ai.lab == lab_id:
                return ai
        return None


def _copier[R](cls: type[R]) -> Callable[[R], R]:
    """A copier for a slotted record class, written out once as one function.

    The copy is made without calling ``__init__``, every slot set from the record's own
    (the way ``dataclasses`` writes ``__init__``), and its lists and maps (the fields
    whose default is an empty one) copied: about twice as fast as feeding the constructor
    every field, five times ``copy.copy``; the world is cloned once a turn in every game
    of a sweep. Other values are shared: they are immutable (``Report`` is frozen).
    """
    lines = []
    for f in fields(cls):  # type: ignore[arg-type]
        copied = f.default_factory in (dict, list)
        lines.append(f"    n.{f.name} = r.{f.name}{'.copy()' if copied else ''}\n")
    source = f"def copy(r):\n    n = _new(_cls)\n{''.join(lines)}    return n\n"
    return compile_function(source, "copy", {"_new": object.__new__, "_cls": cls})


_copy_state = _copier(StateRec)
_copy_lab = _copier(LabRec)
_copy_official = _copier(OfficialRec)
_copy_whistleblower = _copier(WhistleblowerRec)
_copy_ai = _copier(AIRec)
_copy_treaty = _copier(Treaty)
_copy_outcome = _copier(Outcome)
