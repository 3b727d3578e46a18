"""Random human-like play: legal orders drawn from each seat's ``legal_actions``.

Used by the determinism checks (issue 6) and handy for load tests: a "human" picks a few
levers from what its seat may do now, with values inside their bounds.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from agents.model import RaceModel
from rules.actions import AnyOrder, legal_actions, parse_order
from rules.events import EVENTS
from rules.observe import observe
from rules.scenario import load_scenario
from rules.setup import initial_world
from rules.turn import resolve_turn
from rules.world import World


def random_order(obs: dict[str, Any], rng: np.random.Generator) -> AnyOrder | None:
    """A legal order for the observing seat: a random subset of its levers, or None."""
    specs = legal_actions(obs)
    if not specs:
        return None
    data: dict[str, Any] = {}
    for spec in specs:
        if rng.random() < 0.5:
            continue
        if spec["type"] == "boolean":
            data[spec["name"]] = bool(rng.random() < 0.5)
        elif spec["type"] == "choice":
            data[spec["name"]] = spec["options"][int(rng.integers(len(spec["options"])))]
        else:
            lo, hi = float(spec["min"]), float(spec["max"])
            data[spec["name"]] = round(lo + (hi - lo) * float(rng.random()), 3)
    return parse_order(obs["role_kind"], data)


def play_randomly(
    model: RaceModel, rng: np.random.Generator, human_share: float = 0.4, event_rate: float = 0.1
) -> None:
    """Play a model to the end, with some seats given random legal human orders each turn."""
    roles = model.world.role_ids()
    while not model.done:
        for rid in roles:
            if rng.random() < human_share:
                order = random_order(model.observe(rid), rng)
                if order is not None:
                    model.submit(rid, order)
        if rng.random() < event_rate:
            ids = list(EVENTS)
            model.inject(ids[int(rng.integers(len(ids)))])
        model.step()


OrderPicker = Callable[[dict[str, Any], np.random.Generator], AnyOrder | None]


def play_rules(scenario: str, seed: int, turns: int, pick: OrderPicker = random_order) -> World:
    """The world after ``turns`` quarters of the bare rules (no Mesa), stopping at an outcome.

    Every role's order each quarter is ``pick(observation, rng)`` (None: no order).
    """
    sc = load_scenario(scenario)
    rng = np.random.default_rng(seed)
    world = initial_world(sc, rng)
    for _ in range(turns):
        if world.done:
            break
        orders = {}
        for rid in world.role_ids():
            order = pick(observe(world, rid), rng)
            if order is not None:
                orders[rid] = order
        world, _ = resolve_turn(world, orders, sc, rng)
    return world
