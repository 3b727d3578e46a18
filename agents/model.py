"""``RaceModel``: the Mesa model that runs a Precipice race, turn by turn.

The game is a pure function of (scenario, seed, secret, rules version, order log): the
model's ``rng`` is seeded once (from the seed, and the server's secret for the game if it
has one: ``agents.seeds.game_rng``) and split into the rules' stream and one stream per agent
(``agents.seeds.Streams``); each step plays one quarter through the one turn loop
(``agents.engine.play_turn``): every agent without a human order decides, in role order
(decisions are simultaneous, so no shuffling), then the pure rules resolve the quarter and
the model records the turn (its world's hash is computed when first read). Human orders
and facilitator events given before a step are used for that step and kept in ``history``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import mesa
import numpy as np

from agents.engine import default_personalities, new_game, play_turn
from agents.roles import AGENT_TYPES, RoleAgent
from agents.seeds import Streams, fork_rng, game_rng
from rules import RULES_VERSION
from rules.actions import AnyOrder, check_order, order_to_wire
from rules.events import EVENTS
from rules.hashing import world_hash
from rules.observe import Observer, god_view, observe
from rules.scenario import Scenario
from rules.scoring import scores
from rules.views import GodView, Observation
from rules.world import NewsItem, World


@dataclass(slots=True)
class TurnRecord:
    """What happened in one resolved turn.

    ``hash`` is the hash of the world the turn ended in, computed the first time it is
    read (the server announces it, a replay checks it, a saved game keeps it): hashing a
    world is the dearest step of a quarter, and a game run for its outcome reads at most
    the last one. The record keeps that world until then, and lets it go once hashed (a
    server game hashes every quarter, so its history does not hold every world); worlds
    are never changed once a turn has produced them (the next turn works on a clone).
    ``bot_orders`` are likewise turned into their wire form when first read (orders are
    frozen models, so they are the same then as when played).
    """

    turn: int
    quarter: str
    human_orders: dict[str, dict[str, Any]]
    played: dict[str, AnyOrder] = field(repr=False, compare=False)
    """The bots' orders as they were played, until ``bot_orders`` is first read."""
    injected: list[str] = field(default_factory=list)
    news: list[NewsItem] = field(default_factory=list)
    world: World | None = field(default=None, repr=False, compare=False)
    extra: dict[str, Any] = field(default_factory=dict)
    _hash: str | None = field(default=None, repr=False, compare=False)
    _bot_orders: dict[str, dict[str, Any]] | None = field(default=None, compare=False)

    @property
    def hash(self) -> str:
        """The hash of the world at the end of this turn (``rules.hashing.world_hash``)."""
        if self._hash is None:
            assert self.world is not None  # kept until the first read
            self._hash = world_hash(self.world)
            self.world = None
        return self._hash

    @hash.setter
    def hash(self, value: str) -> None:
        self._hash = value
        self.world = None

    @property
    def bot_orders(self) -> dict[str, dict[str, Any]]:
        """The orders the bots decided, in role order, in their wire form (``order_to_wire``)."""
        if self._bot_orders is None:
            self._bot_orders = {r: order_to_wire(o) for r, o in self.played.items()}
            self.played = {}
        return self._bot_orders

    @bot_orders.setter
    def bot_orders(self, value: dict[str, dict[str, Any]]) -> None:
        self._bot_orders = value
        self.played = {}


__all__ = ["RaceModel", "TurnRecord", "default_personalities"]


class RaceModel(mesa.Model):  # type: ignore[misc]
    """A race between two states' labs, with officials and whistleblowers."""

    def __init__(
        self,
        scenario: Scenario,
        seed: int,
        personalities: dict[str, str] | None = None,
        collect: bool = True,
        record: bool = True,
        secret: str | None = None,
    ) -> None:
        if scenario.mode != "race":
            raise ValueError(f"scenario {scenario.name!r} is not a race scenario")
        super().__init__(rng=seed)
        if secret is not None:  # a server game: the seed alone does not rebuild it
            self.rng = game_rng(seed, secret)
            self._rng = self.rng.bit_generator.state
        self.spec = scenario
        self.seed = seed
        self.secret = secret
        self.reseeds: list[tuple[int, str]] = []
        """(turn, secret): from that turn on, the game draws from ``fork_rng`` (a fork)."""
        self.overrides: dict[str, Any] = {}
        self.personalities = default_personalities(scenario) | (personalities or {})
        self.world: World
        self.world, self.streams = new_game(scenario, self.rng)
        self._initial_world: World | None = self.world
        self._initial_hash: str | None = None
        self.pending: dict[str, AnyOrder] = {}
        self.pending_events: list[str] = []
        self.history: list[TurnRecord] = []
        base = default_personalities(scenario)
        for kind, agent_type in AGENT_TYPES.items():  # role order: grouped by kind
            ids = [rid for rid in self.world.role_ids() if self.world.role_kind(rid) == kind]
            agent_type.create_agents(
                self,
                len(ids),
                ids,
                [self.personalities[r] for r in ids],
                [base.get(r) for r in ids],
            )
        self._role_agents: tuple[RoleAgent, ...] = tuple(self.agents)
        """The agents in role order (``agents``, as a plain tuple to step through)."""
        self.collect = collect
        self.record = record
        self.turns_played = 0
        self.datacollector = mesa.DataCollector(model_reporters=self._reporters())
        if collect:
            self.datacollector.collect(self)

    def _reporters(self) -> dict[str, Any]:
        rep: dict[str, Any] = {}
        for lid in self.world.labs:
            for attr in (
                "capability",
                "alignment",
                "misalignment",
                "deception",
                "compute",
                "safety_share",
                "revenue",
            ):
                rep[f"{lid}.{attr}"] = lambda m, lid=lid, attr=attr: getattr(
                    m.world.labs[lid], attr
                )
        for sid in self.world.states:
            for attr in (
                "public_concern",
                "hawkishness",
                "oversight",
                "worker_protection",
                "export_controls",
                "approval",
            ):
                rep[f"{sid}.{attr}"] = lambda m, sid=sid, attr=attr: float(
                    getattr(m.world.states[sid], attr)
                )
        return rep

    def draw_from(self, root: np.random.Generator) -> None:
        """Draw the rest of the game from ``root``, split into streams as at the start.

        This is what a rollout of a forecast does with its own generator.
        """
        self.rng = root
        self.streams = Streams.split(root, self.world.role_ids())

    def reseed(self, secret: str) -> None:
        """Draw the rest of the game from a fresh secret (a fork, from its fork turn on)."""
        self.draw_from(fork_rng(self.seed, secret, self.turn))
        self.reseeds.append((self.turn, secret))

    @property
    def initial_hash(self) -> str:
        """The hash of the world the game started from, computed when first read."""
        if self._initial_hash is None:
            assert self._initial_world is not None  # kept until the first read
            self._initial_hash = world_hash(self._initial_world)
            self._initial_world = None
        return self._initial_hash

    @initial_hash.setter
    def initial_hash(self, value: str) -> None:
        self._initial_hash = value
        self._initial_world = None

    @property
    def rules_version(self) -> str:
        """Version of the rules this game is played under."""
        return RULES_VERSION

    @property
    def turn(self) -> int:
        """Index of the turn about to be played (or the last one, once done)."""
        return self.world.turn

    @property
    def done(self) -> bool:
        """True once the outcome is decided."""
        return self.world.done

    def roles(self) -> list[dict[str, str]]:
        """Every seat: id, kind, name and bot personality."""
        return [
            {
                "id": rid,
                "kind": self.world.role_kind(rid),
                "name": self.world.record(rid).name,
                "personality": self.personalities[rid],
            }
            for rid in self.world.role_ids()
        ]

    def observe(self, role_id: str) -> Observation:
        """The observation of one role now."""
        return observe(self.world, role_id)

    def god_view(self) -> GodView:
        """Everything, latent variables included."""
        return god_view(self.world)

    def submit(self, role_id: str, order: AnyOrder) -> None:
        """Queue a human order for this turn, after checking it is legal.

        Raises:
            IllegalOrderError: if the role may not give this order now.
        """
        check_order(order, self.observe(role_id))
        self.pending[role_id] = order

    def inject(self, event_id: str) -> None:
        """Queue a scenario event for this turn (facilitator).

        Raises:
            KeyError: for an unknown event id.
        """
        if event_id not in EVENTS:
            raise KeyError(f"unknown event {event_id!r}")
        self.pending_events.append(event_id)

    def step(self) -> None:
        """Resolve one turn: bots decide, the rules resolve, the turn is recorded."""
        if self.done:
            return
        human = dict(self.pending)
        injected = list(self.pending_events)
        before = self.world.quarter_label()
        played = play_turn(self.world, self.spec, human, self._decide, self.streams.rules, injected)
        self.world = played.world
        self.pending.clear()
        self.pending_events.clear()
        self.turns_played += 1
        if self.record:
            self._record(before, human, played.bot_orders(), injected, played.news)
        if self.collect:
            self.datacollector.collect(self)
        if self.done:
            self.running = False

    def _decide(self, seen: Observer, orders: dict[str, AnyOrder]) -> None:
        """Every agent without an order decides, in role order (the order they were made in).

        A plain loop over ``_role_agents``, not ``AgentSet.do``: Mesa's goes through weak
        references and ``getattr`` for each agent, every quarter.
        """
        for agent in self._role_agents:
            agent.decide(seen, orders)

    def _record(
        self,
        before: str,
        human: dict[str, AnyOrder],
        bot_orders: dict[str, AnyOrder],
        injected: list[str],
        news: list[NewsItem],
    ) -> None:
        self.history.append(
            TurnRecord(
                turn=len(self.history),
                quarter=before,
                human_orders={r: order_to_wire(o) for r, o in sorted(human.items())},
                played=bot_orders,
                injected=injected,
                news=news,
                world=self.world,
            )
        )

    def run(self, turns: int | None = None) -> None:
        """Step until the game ends (or for ``turns`` turns)."""
        n = 0
        while not self.done and (turns is None or n < turns):
            self.step()
            n += 1

    def scores(self) -> dict[str, float]:
        """Every role's score now."""
        return scores(self.world, self.spec.dynamics)

    def agent_for(self, role_id: str) -> RoleAgent:
        """The Mesa agent playing a role."""
        for agent in self.agents:
            if isinstance(agent, RoleAgent) and agent.role_id == role_id:
                return agent
        raise KeyError(role_id)
