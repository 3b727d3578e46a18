"""Resolve one turn: the phases in order, a pure function of (world, orders, rng).

``resolve_turn`` does not modify its input; it returns the next world and the news of
the turn (public and private). Randomness comes only from the ``rng`` argument, drawn
in a fixed order, so the same inputs always give the same world.
"""

from __future__ import annotations

from rules.actions import AnyOrder, OfficialOrder
from rules.events import apply_events, roll_events
from rules.phases.ai import ai_phase
from rules.phases.economy import economy_phase
from rules.phases.intel import intel_phase
from rules.phases.outcome import outcome_phase
from rules.phases.policy import enforce_floors, policy_phase
from rules.phases.politics import politics_phase
from rules.phases.research import research_phase
from rules.phases.safety import safety_phase
from rules.phases.voice import voice_phase
from rules.rng import RandomSource
from rules.scenario import Scenario
from rules.world import NewsItem, World


class GameOverError(ValueError):
    """A turn was asked of a world whose outcome is already decided."""


def _credit_brakes(world: World, repaired: dict[str, float]) -> None:
    """Misalignment repaired during a brake's pause is credited to whoever braked."""
    for lab in world.active_labs():
        if lab.braked_by is None:
            continue
        if world.turn >= lab.paused_until:
            lab.braked_by = None
            continue
        if not lab.paused:
            continue
        gain = repaired.get(lab.id, 0.0)
        if lab.braked_by in world.officials:
            world.officials[lab.braked_by].risks_caught += gain
        elif lab.braked_by in world.whistleblowers:
            world.whistleblowers[lab.braked_by].harm_prevented += gain


def resolve_turn(
    world: World,
    orders: dict[str, AnyOrder],
    scenario: Scenario,
    rng: RandomSource,
    injected_events: list[str] | None = None,
) -> tuple[World, list[NewsItem]]:
    """Return the world after one quarter, and that quarter's news.

    Args:
        world: the world at the start of the turn (not modified).
        orders: one order per role that gave one; missing roles change nothing.
        scenario: parameters (``dynamics``, event odds, election calendar).
        rng: the only source of randomness.
        injected_events: event ids a facilitator injects this turn (applied after random ones).

    Raises:
        GameOverError: if the world already has an outcome.
        KeyError: for an unknown injected event id.
    """
    if world.done:
        raise GameOverError("the game is over")
    dyn = scenario.dynamics
    w = world.clone()
    w.news = []
    news: list[NewsItem] = []
    events = roll_events(scenario.events, rng) + list(injected_events or [])
    news += policy_phase(w, orders, dyn)
    news += apply_events(w, scenario, events)
    economy_phase(w, dyn)
    research_phase(w, dyn)
    inspected = {
        oid for oid, o in orders.items() if isinstance(o, OfficialOrder) and o.action == "inspect"
    }
    moves, ai_news = ai_phase(w, orders, dyn, rng, inspected)
    news += ai_news
    repaired, incidents = safety_phase(w, dyn, rng, inspected, moves)
    news += incidents
    _credit_brakes(w, repaired)
    news += voice_phase(w, orders, dyn)
    elections = {sid: spec.election_turns for sid, spec in scenario.states.items()}
    bases = {sid: spec.hawkishness for sid, spec in scenario.states.items()}
    news += politics_phase(w, dyn, elections, bases, rng)
    news += outcome_phase(w, dyn, rng)
    intel_phase(w, dyn, rng)
    enforce_floors(w)
    w.news = news
    if not w.done:
        w.turn += 1
    return w, news
