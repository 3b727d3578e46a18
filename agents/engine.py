"""The one turn loop: every game, rollout, sweep, tournament and server turn is played here.

``play_turn`` takes the world, the orders given (by people, or fixed for a fork), a way
for the bots to decide the rest, and the one random generator; the bots decide in role
order (decisions are simultaneous: each sees the world at the start of the quarter), then
the pure rules resolve the quarter. The Mesa model (``agents.model.RaceModel``) steps a
game by calling ``play_turn`` with its agents deciding; analysis plays whole games with
``play_game`` and rollouts with ``play_from``, the bots deciding through ``decide_with``.
Both paths draw the same numbers in the same order, so they reach the same worlds (a
test checks the hashes on many seeds).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from agents.bots import Policy, make_policy
from agents.seeds import Streams, game_rng
from rules.actions import AnyOrder
from rules.hashing import world_hash
from rules.observe import Observer
from rules.scenario import Scenario
from rules.scoring import scores
from rules.setup import initial_world
from rules.turn import resolve_turn
from rules.world import NewsItem, Oversight, World

Decide = Callable[[Observer, dict[str, AnyOrder]], None]
"""Adds an order to ``orders`` for every role that has none (the bots), in role order,
each from its observation of the world at the start of the quarter (``Observer``)."""


@dataclass(frozen=True, slots=True)
class Played:
    """One resolved quarter: the new world, its news, and every order that was played."""

    world: World
    news: list[NewsItem]
    orders: dict[str, AnyOrder]
    given: frozenset[str]
    """Roles whose order was given (by a person, or fixed) rather than decided by a bot."""

    def bot_orders(self) -> dict[str, AnyOrder]:
        """The orders the bots decided, in role order."""
        return {r: o for r, o in self.orders.items() if r not in self.given}


def play_turn(
    world: World,
    scenario: Scenario,
    orders: Mapping[str, AnyOrder],
    decide: Decide,
    rng: np.random.Generator,
    injected: Sequence[str] = (),
) -> Played:
    """Play one quarter: the bots decide for every role without an order, then the rules resolve.

    ``world`` is not modified. ``orders`` are the orders given this quarter; ``decide``
    fills in the rest (each bot from its own stream); ``rng`` is the rules' stream;
    ``injected`` are facilitator events (applied after random ones).
    """
    given = dict(orders)
    decided = dict(given)
    decide(Observer(world), decided)
    ordered = {rid: decided[rid] for rid in world.role_ids() if rid in decided}
    new, news = resolve_turn(world, ordered, scenario, rng, list(injected))
    return Played(new, news, ordered, frozenset(given))


def decide_with(policies: Mapping[str, Policy], streams: Streams) -> Decide:
    """A ``Decide`` that asks each role's policy, in role order, each drawing from its stream."""

    def decide(seen: Observer, orders: dict[str, AnyOrder]) -> None:
        for rid in seen.world.role_ids():
            if rid not in orders:
                orders[rid] = policies[rid](seen.observe(rid), streams.roles[rid])

    return decide


def new_game(scenario: Scenario, root: np.random.Generator) -> tuple[World, Streams]:
    """The starting world of a game and its streams, split from the game's root generator.

    The rules' stream draws the sealed rolls first, then every quarter's dice.
    """
    roles = scenario_roles(scenario)
    streams = Streams.split(root, roles)
    world = initial_world(scenario, streams.rules)
    assert world.role_ids() == roles
    return world, streams


def scenario_roles(scenario: Scenario) -> list[str]:
    """Every role id of a scenario in the world's role order (known before the world is built)."""
    return [
        *scenario.states,
        *(spec.id for spec in scenario.labs),
        *(spec.id for spec in scenario.officials),
        *(spec.id for spec in scenario.whistleblowers),
        *(spec.id for spec in scenario.ais),
    ]


def policies_for(
    world: World, personalities: Mapping[str, str], base: Mapping[str, str] | None = None
) -> dict[str, Policy]:
    """Each role's policy from its spec (a personality or ``fixed:...``).

    ``base`` gives the personality a fixed policy's bot plays for the other levers (the
    scenario's, by default the first personality of the kind).

    Raises:
        KeyError: for a role without a policy. ValueError: for an unknown policy.
    """
    under = base or {}
    return {
        rid: make_policy(world.role_kind(rid), personalities[rid], under.get(rid))
        for rid in world.role_ids()
    }


def play_from(
    world: World,
    scenario: Scenario,
    policies: Mapping[str, Policy],
    root: np.random.Generator,
    first: Mapping[str, AnyOrder] | None = None,
) -> World:
    """Play a world to its end with every seat its policy; return the final world.

    ``root`` is split into the rollout's streams. ``first`` gives orders some roles play
    in the first quarter instead of their policy (a fork). The input world is not modified.
    """
    streams = Streams.split(root, world.role_ids())
    decide = decide_with(policies, streams)
    orders: Mapping[str, AnyOrder] = first or {}
    w = world
    while not w.done:
        w = play_turn(w, scenario, orders, decide, streams.rules).world
        orders = {}
    return w


@dataclass(frozen=True, slots=True)
class GameResult:
    """How one game from the start ended (what sweeps and tournaments count)."""

    seed: int
    outcome: str
    lab: str | None
    state: str | None
    turn: int
    turns_played: int
    p_rogue: float | None
    distribution: str | None
    scores: dict[str, float]
    final_hash: str
    capability: dict[str, list[float]] = field(default_factory=dict)
    """Each lab's capability at the end of every quarter played."""
    safety: dict[str, float] = field(default_factory=dict)
    """Each lab's mean safety share over the quarters it raced."""
    oversight: dict[str, int] = field(default_factory=dict)
    """Each state's oversight level at the end."""
    committee_quarters: dict[str, int] = field(default_factory=dict)
    """Quarters each state spent with a committee or embedded officials watching its labs."""
    brakes: int = 0
    caught: int = 0
    values: dict[str, str] = field(default_factory=dict)
    """The sealed values of each lab's AI, by lab id (a compromise as ``primary+fallback``)."""


def play_game(scenario: Scenario, seed: int, personalities: Mapping[str, str]) -> GameResult:
    """Play one game from the scenario's start to its end with the bare loop (no Mesa).

    ``personalities`` gives every role's policy (``default_personalities`` merged with any
    the caller plays instead). Besides the outcome, the result keeps a short trace of the
    game (capability per quarter, mean safety share, brakes, catches) for analysis.
    """
    world, streams = new_game(scenario, game_rng(seed))
    policies = policies_for(world, personalities, default_personalities(scenario))
    decide = decide_with(policies, streams)
    caps: dict[str, list[float]] = {lid: [] for lid in world.labs}
    safety = dict.fromkeys(world.labs, 0.0)
    raced = dict.fromkeys(world.labs, 0)
    brakes = 0
    watched = dict.fromkeys(world.states, 0)
    end = world
    while not end.done:
        played = play_turn(end, scenario, {}, decide, streams.rules)
        brakes += sum(
            1
            for rid, order in played.orders.items()
            if rid in end.officials and getattr(order, "action", None) == "brake"
        )
        end = played.world
        for sid, st in end.states.items():
            watched[sid] += int(st.oversight >= Oversight.COMMITTEE)
        for lid, lab in end.labs.items():
            caps[lid].append(round(lab.capability, 3))
            if lab.merged_into is None:
                safety[lid] += lab.safety_share
                raced[lid] += 1
    out = end.outcome
    assert out is not None
    return GameResult(
        seed=seed,
        outcome=out.kind,
        lab=out.lab,
        state=out.state,
        turn=out.turn,
        turns_played=out.turn + 1,
        p_rogue=out.p_rogue,
        distribution=out.distribution,
        scores=scores(end, scenario.dynamics),
        final_hash=world_hash(end),
        capability=caps,
        safety={lid: round(safety[lid] / max(1, raced[lid]), 4) for lid in world.labs},
        oversight={sid: int(s.oversight) for sid, s in end.states.items()},
        committee_quarters=watched,
        brakes=brakes,
        caught=sum(ai.caught for ai in end.ais.values()),
        values={
            ai.lab: ai.values + (f"+{ai.fallback}" if ai.fallback else "")
            for ai in end.ais.values()
        },
    )


def default_personalities(scenario: Scenario) -> dict[str, str]:
    """Personalities the scenario assigns to each role."""
    out: dict[str, str] = {sid: spec.personality for sid, spec in scenario.states.items()}
    out |= {spec.id: spec.personality for spec in scenario.labs}
    out |= {spec.id: spec.personality for spec in scenario.officials}
    out |= {spec.id: spec.personality for spec in scenario.whistleblowers}
    out |= {spec.id: spec.personality for spec in scenario.ais}
    return out
