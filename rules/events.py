"""Scenario events: dealt at random with the scenario's odds, or injected by a facilitator.

Each event comes from the essay or the sources it cites, changes the world, and leaves
one line of text in the public feed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rules.phases.politics import hold_election
from rules.rng import RandomSource, clamp
from rules.scenario import EventOdds, Scenario
from rules.world import NewsItem, Oversight, StateRec, World


@dataclass(frozen=True, slots=True)
class EventDef:
    """An event: id, title, where it comes from, and its effect."""

    id: str
    title: str
    source: str
    effect: Callable[[World, Scenario], str]


def _democracy(world: World) -> StateRec:
    return next(s for s in world.states.values() if s.regime == "democracy")


def _one_party(world: World) -> StateRec:
    return next(s for s in world.states.values() if s.regime == "one_party")


def _pledge(world: World, sc: Scenario) -> str:
    us = _democracy(world)
    labs = world.labs_of(us.id)
    lab = max(labs, key=lambda item: item.capability)
    lab.safety_pledge = False
    lab.safety_share = max(0.0, lab.safety_share - 0.03)
    return f"{lab.name} drops its pledge not to train models it cannot show to be safe."


def _chips(world: World, sc: Scenario) -> str:
    cn = _one_party(world)
    cn.self_reliance = clamp(max(cn.self_reliance + 0.3, 0.6))
    return f"{cn.name} refuses imported chips to build its own, even though the ban was lifted."


def _ruling(world: World, sc: Scenario) -> str:
    cn = _one_party(world)
    cn.worker_protection = clamp(cn.worker_protection + 0.2)
    return "An arbitration panel rules that workers replaced by AI keep their jobs."


def _memo(world: World, sc: Scenario) -> str:
    us = _democracy(world)
    us.public_concern = clamp(us.public_concern + 0.25)
    text = "A misalignment memo leaks to the press."
    if us.public_concern > sc.dynamics.scandal_threshold and us.oversight < Oversight.COMMITTEE:
        us.oversight = Oversight.COMMITTEE
        text += f" {us.name} forms an oversight committee."
    return text


def _committee(world: World, sc: Scenario) -> str:
    us = _democracy(world)
    us.oversight = max(us.oversight, Oversight.COMMITTEE)
    return f"{us.name} sets up an oversight committee of company and government representatives."


def _relaxed(world: World, sc: Scenario) -> str:
    us = _democracy(world)
    us.export_controls = clamp(us.export_controls - 0.3)
    return f"{us.name} relaxes export controls on advanced chips."


def _crackdown(world: World, sc: Scenario) -> str:
    world.distill_blocked_until = world.turn + 4
    return "A distillation crackdown cuts off access to frontier model outputs for a year."


def _datacentre(world: World, sc: Scenario) -> str:
    us = _democracy(world)
    lab = max(world.labs_of(us.id), key=lambda item: item.capability)
    lab.compute *= 0.92
    us.public_concern = clamp(us.public_concern + 0.02)
    return f"Local opposition blocks a {lab.name} data centre."


def _warning_shot(world: World, sc: Scenario) -> str:
    lab = world.leader()
    lab.incidents += 1
    world.incidents += 1
    for s in world.states.values():
        s.public_concern = clamp(s.public_concern + (0.15 if s.id == lab.state else 0.08))
        s.hawkishness = clamp(s.hawkishness - 0.05)
        if s.regime == "one_party":
            s.party_fear = clamp(s.party_fear + 0.1)
    return f"An AI incident at {lab.name}: a deployed model causes real harm before it is shut down (a warning shot)."


def _election(world: World, sc: Scenario) -> str:
    us = _democracy(world)
    return hold_election(world, us, sc.dynamics).text


def _summit(world: World, sc: Scenario) -> str:
    for s in world.states.values():
        s.hawkishness = clamp(s.hawkishness - 0.1)
    return "A treaty summit: both states talk about pauses and safety floors."


EVENTS: dict[str, EventDef] = {
    e.id: e
    for e in (
        EventDef(
            "safety_pledge_dropped",
            "A frontier lab drops its safety pledge",
            "TIME on Anthropic's dropped pledge (the essay)",
            _pledge,
        ),
        EventDef(
            "chip_refusal",
            "The one-party state refuses imported chips",
            "China refusing NVIDIA H200 chips (the essay)",
            _chips,
        ),
        EventDef(
            "worker_ruling",
            "Workers replaced by AI keep their jobs",
            "NYT on a Chinese arbitration ruling (the essay)",
            _ruling,
        ),
        EventDef("memo_leak", "A misalignment memo leaks", "AI 2027", _memo),
        EventDef("oversight_committee", "An oversight committee is formed", "AI 2027", _committee),
        EventDef(
            "controls_relaxed",
            "Export controls are relaxed",
            "H200 ban lifted (the essay)",
            _relaxed,
        ),
        EventDef(
            "distillation_crackdown",
            "A distillation crackdown",
            "the essay's tow-truck argument",
            _crackdown,
        ),
        EventDef(
            "datacentre_blocked",
            "Local opposition blocks a data centre",
            "US polling on data centres (the essay)",
            _datacentre,
        ),
        EventDef(
            "warning_shot", "An AI incident (warning shot)", "the essay; AI 2027", _warning_shot
        ),
        EventDef("snap_election", "An election", "the essay on democracy and concern", _election),
        EventDef("treaty_summit", "A treaty summit", "DESIGN.md", _summit),
    )
}


def roll_events(odds: EventOdds, rng: RandomSource) -> list[str]:
    """Draw this quarter's random events, one uniform draw per event in a fixed order."""
    return [eid for eid in EVENTS if float(rng.random()) < getattr(odds, eid)]


def apply_events(world: World, sc: Scenario, event_ids: list[str]) -> list[NewsItem]:
    """Apply events in the given order; unknown ids raise ``KeyError``."""
    news = []
    for eid in event_ids:
        text = EVENTS[eid].effect(world, sc)
        news.append(NewsItem(world.turn, f"event:{eid}", text))
    return news
