"""Scenario schema: every parameter of a game, validated, documented and sourced.

Scenarios are TOML files in ``rules/scenarios/``. Loading validates them against the
pydantic models below: unknown keys are refused with the offending path, bounds are
checked, and each ``[sources]`` entry must name a real parameter. ``with_overrides``
applies ``--set key=value`` style changes addressed by dotted path.
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import resources
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from rules.world import Oversight


class ScenarioError(ValueError):
    """A scenario file or an override is invalid; the message names the path."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Dynamics(_Strict):
    """World-wide rates. Units: capability points (ASI at ``asi_threshold``), $B per quarter."""

    asi_threshold: float = Field(100.0, gt=0, description="Capability at which a lab builds ASI.")
    rd_efficiency: float = Field(
        0.16, ge=0, description="Capability per sqrt(compute) per quarter."
    )
    recursion: float = Field(
        2.2, ge=0, description="Speed-up from recursive improvement at the threshold."
    )
    safety_efficiency: float = Field(0.30, ge=0, description="Alignment per sqrt(safety compute).")
    distill_rate: float = Field(
        0.07,
        ge=0,
        le=1,
        description="Share of the gap to the leader a distiller closes per quarter.",
    )
    compute_per_billion: float = Field(
        0.25, gt=0, description="Compute units bought per $B of funding."
    )
    compute_depreciation: float = Field(
        0.08, ge=0, le=1, description="Share of compute that ages out each quarter."
    )
    domestic_chip_efficiency: float = Field(
        0.6, gt=0, le=1, description="Compute per $ of domestic chips relative to imported ones."
    )
    self_reliance_build: float = Field(
        0.05,
        ge=0,
        le=1,
        description="Domestic chip share gained per quarter at full self-reliance.",
    )
    control_effect: float = Field(
        0.7, ge=0, le=1, description="Share of imported chips export controls can stop."
    )
    misalignment_drift: float = Field(
        0.08,
        ge=0,
        description="Misalignment added per 10 capability points gained, at zero alignment.",
    )
    deception_growth: float = Field(
        0.05, ge=0, description="Deception added per 10 capability points, times misalignment."
    )
    censorship_deception: bool = Field(
        False,
        description="Scenario switch: censorship training breeds deception (the essay finds no evidence for it).",
    )
    censorship_deception_rate: float = Field(
        0.04,
        ge=0,
        description="Extra deception per quarter for censorship-trained labs when the switch is on.",
    )
    signal_noise: float = Field(
        0.12, ge=0, description="Standard deviation of an evaluation signal at zero rigour."
    )
    brake_fix: float = Field(
        0.35, ge=0, le=1, description="Share of detected misalignment fixed by a brake or a pause."
    )
    internal_fix: float = Field(
        0.12, ge=0, le=1, description="Share fixed when a lab acts on an internal warning."
    )
    rogue_exponent: float = Field(
        1.0, gt=0, description="P(rogue ASI) = misalignment ** rogue_exponent at the threshold."
    )
    hype: float = Field(
        2.0, ge=0, description="Private investment growth per unit of capability growth rate."
    )
    wp_revenue_cut: float = Field(
        0.6, ge=0, le=1, description="Revenue lost at full worker protection (AI as a net cost)."
    )
    wp_investment_cut: float = Field(
        0.5, ge=0, le=1, description="Private investment lost at full worker protection."
    )
    revenue_scale: float = Field(
        20.0, ge=0, description="Quarterly revenue ($B) of a lab at the threshold with an API."
    )
    concern_decay: float = Field(
        0.06,
        ge=0,
        le=1,
        description="Share of public concern above its floor that fades each quarter.",
    )
    leak_concern_democracy: float = Field(
        0.22, ge=0, description="Concern added by a public leak in a democracy."
    )
    leak_concern_one_party: float = Field(
        0.03, ge=0, description="Concern added by a (censored) leak in the one-party state."
    )
    job_loss_concern: float = Field(0.05, ge=0, description="Concern added per unit of job losses.")
    scandal_threshold: float = Field(
        0.55,
        ge=0,
        le=1,
        description="Concern above which a leak forms an oversight committee (AI 2027).",
    )
    election_threshold: float = Field(
        0.5, ge=0, le=1, description="Concern above which an election turns into oversight."
    )
    party_fear_threshold: float = Field(
        0.5, ge=0, le=1, description="Fear of usurpation above which the Party embeds officials."
    )
    troublemaker_penalty: float = Field(
        1.0,
        ge=0,
        description="Multiplies every official's career pressure (the 'troublemaker' label).",
    )
    brake_turns: int = Field(2, ge=1, le=8, description="Quarters a brake pauses a lab.")
    pause_leak: float = Field(
        0.15, ge=0, le=1, description="Share of progress that continues during a pause."
    )
    treaty_floor: float = Field(
        0.25, ge=0, le=0.5, description="Safety share a safety-floor treaty imposes."
    )
    intel_noise: float = Field(
        0.12, ge=0, description="Relative noise of a state's estimate of a rival lab."
    )


class StateSpec(_Strict):
    """A state's starting position and personality."""

    name: str
    regime: Literal["democracy", "one_party"]
    personality: Literal["hawk", "dove"] = "hawk"
    public_concern: float = Field(0.3, ge=0, le=1)
    hawkishness: float = Field(0.6, ge=0, le=1)
    export_controls: float = Field(
        0.0, ge=0, le=1, description="Controls imposed on chips sold to the rival."
    )
    self_reliance: float = Field(
        0.0, ge=0, le=1, description="Share of imported chips refused to build domestic capacity."
    )
    domestic_chips: float = Field(1.0, ge=0, le=1, description="Share of chip supply made at home.")
    subsidy: float = Field(0.0, ge=0, le=200, description="Government AI funding, $B per quarter.")
    private_investment: float = Field(
        10.0, ge=0, description="Private AI investment, $B per quarter."
    )
    oversight: Oversight = Oversight.NONE
    worker_protection: float = Field(0.0, ge=0, le=1)
    channel_open: bool = False
    press_freedom: float = Field(0.5, ge=0, le=1)
    leak_policy: Literal["punish", "protect"] = "punish"
    safety_floor: float = Field(0.0, ge=0, le=0.5)
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
    personality: Literal["racer", "careful"] = "racer"
    capability: float = Field(ge=0)
    alignment: float = Field(ge=0)
    misalignment: float = Field(0.1, ge=0, le=1)
    deception: float = Field(0.05, ge=0, le=1)
    compute: float = Field(ge=0)
    safety_share: float = Field(0.05, ge=0, le=0.5)
    eval_rigour: float = Field(0.3, ge=0, le=1)
    release: Literal["api", "open", "none"] = "api"
    censorship_trained: bool = False
    distilling: bool = False


class OfficialSpec(_Strict):
    """An official; active only while the state's oversight allows the post."""

    id: str
    name: str
    state: str
    lab: str
    post: Literal["embedded", "committee"]
    personality: Literal["diligent", "careerist"] = "diligent"
    diligence: float = Field(0.6, ge=0, le=1)
    career_pressure: float = Field(0.3, ge=0, le=1)


class WhistleblowerSpec(_Strict):
    """A lab employee with a conscience and a fear."""

    id: str
    name: str
    lab: str
    personality: Literal["bold", "fearful"] = "bold"
    conscience: float = Field(0.6, ge=0, le=1)
    fear: float = Field(0.4, ge=0, le=1)


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
    warning_shot: float = Field(0.03, ge=0, le=1)
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
    states: dict[str, StateSpec] = Field(default_factory=dict)
    labs: list[LabSpec] = Field(default_factory=list)
    officials: list[OfficialSpec] = Field(default_factory=list)
    whistleblowers: list[WhistleblowerSpec] = Field(default_factory=list)
    events: EventOdds = Field(default_factory=EventOdds)
    precipice: PrecipiceSpec = Field(default_factory=PrecipiceSpec)
    treaty: Treaty0 | None = None
    sources: dict[str, str] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _check_references(self) -> Scenario:
        if self.mode == "race":
            if len(self.states) != 2:
                raise ValueError("a race scenario needs exactly two states")
            lab_ids = [lab.id for lab in self.labs]
            ids = list(self.states) + lab_ids + [o.id for o in self.officials]
            ids += [w.id for w in self.whistleblowers]
            if len(set(ids)) != len(ids):
                raise ValueError(
                    "role ids must be unique across states, labs, officials and whistleblowers"
                )
            for lab in self.labs:
                if lab.state not in self.states:
                    raise ValueError(f"labs.{lab.id}.state: unknown state {lab.state!r}")
            for off in self.officials:
                if off.state not in self.states:
                    raise ValueError(f"officials.{off.id}.state: unknown state {off.state!r}")
                if off.lab not in lab_ids:
                    raise ValueError(f"officials.{off.id}.lab: unknown lab {off.lab!r}")
            for wb in self.whistleblowers:
                if wb.lab not in lab_ids:
                    raise ValueError(f"whistleblowers.{wb.id}.lab: unknown lab {wb.lab!r}")
        for path in self.sources:
            try:
                get_path(self, path)
            except ScenarioError as exc:
                raise ValueError(f"sources: {exc}") from exc
        return self


SCENARIO_NAMES = (
    "baseline",
    "ai-2027-race",
    "ai-2027-slowdown",
    "china-leads",
    "no-race",
    "consolidation",
    "precipice",
)


def parse_scenario(data: dict[str, Any]) -> Scenario:
    """Validate a scenario mapping, raising ``ScenarioError`` that names each bad path."""
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            path = ".".join(str(p) for p in err["loc"]) or "(scenario)"
            msg = (
                "unknown key (not a scenario parameter)"
                if err["type"] == "extra_forbidden"
                else err["msg"]
            )
            problems.append(f"{path}: {msg}")
        raise ScenarioError("; ".join(problems)) from None


def scenario_data(name: str) -> dict[str, Any]:
    """Read a bundled scenario file as a mapping (the package's own data, read-only)."""
    if name not in SCENARIO_NAMES:
        raise ScenarioError(f"unknown scenario {name!r}; choose one of {', '.join(SCENARIO_NAMES)}")
    text = resources.files("rules.scenarios").joinpath(f"{name}.toml").read_text("utf-8")
    return tomllib.loads(text)


def load_scenario(name: str, overrides: dict[str, str] | None = None) -> Scenario:
    """Load a bundled scenario by name and apply ``dotted.path -> value`` overrides.

    Results are cached: scenarios are frozen, so the same object can serve many games.
    """
    return _load_cached(name, tuple(sorted((k, str(v)) for k, v in (overrides or {}).items())))


@lru_cache(maxsize=256)
def _load_cached(name: str, overrides: tuple[tuple[str, str], ...]) -> Scenario:
    scenario = parse_scenario(scenario_data(name))
    return with_overrides(scenario, dict(overrides))


def _walk(node: Any, parts: list[str], full: str) -> Any:
    for part in parts:
        if isinstance(node, BaseModel):
            if part not in type(node).model_fields:
                raise ScenarioError(f"unknown parameter {full!r}: {part!r} is not a field here")
            node = getattr(node, part)
        elif isinstance(node, dict):
            if part not in node:
                raise ScenarioError(f"unknown parameter {full!r}: no key {part!r}")
            node = node[part]
        elif isinstance(node, list):
            match = [item for item in node if getattr(item, "id", None) == part]
            if not match:
                raise ScenarioError(f"unknown parameter {full!r}: no entry with id {part!r}")
            node = match[0]
        else:
            raise ScenarioError(f"unknown parameter {full!r}: cannot descend into {part!r}")
    return node


def get_path(scenario: Scenario, path: str) -> Any:
    """Read a parameter by dotted path, e.g. ``states.us.oversight`` or ``labs.us-lab.compute``."""
    return _walk(scenario, path.split("."), path)


def _coerce(text: str) -> Any:
    low = text.strip().lower()
    if low in ("true", "false"):
        return low == "true"
    if low in ("null", "none") and text.strip() == text.strip().lower() == "null":
        return None
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        return text.strip()


def with_overrides(scenario: Scenario, overrides: dict[str, Any]) -> Scenario:
    """Return a new scenario with dotted-path parameters replaced and re-validated.

    Values given as strings are coerced (``true``, ``3``, ``0.5``, ``embedded``...).
    Raises ``ScenarioError`` for an unknown path or a value the schema refuses.
    """
    if not overrides:
        return scenario
    data = scenario.model_dump(mode="python")
    for path, raw in overrides.items():
        get_path(scenario, path)  # raises on an unknown path
        value = _coerce(raw) if isinstance(raw, str) else raw
        if path.endswith("oversight") and isinstance(value, str):
            try:
                value = Oversight[value.upper()]
            except KeyError:
                raise ScenarioError(
                    f"{path}: {value!r} is not an oversight level (none, voluntary, committee, embedded)"
                ) from None
        parts = path.split(".")
        node: Any = data
        for part in parts[:-1]:
            if isinstance(node, list):
                node = next(item for item in node if item.get("id") == part)
            else:
                node = node[part]
        if isinstance(node, list):
            raise ScenarioError(f"{path}: cannot replace a whole list entry")
        node[parts[-1]] = value
    try:
        return parse_scenario(data)
    except ScenarioError as exc:
        raise ScenarioError(f"bad override: {exc}") from None


def describe_parameters(model: type[BaseModel] = Dynamics) -> dict[str, str]:
    """Map each field of a schema section to its documented meaning."""
    return {name: f.description or "" for name, f in model.model_fields.items()}
