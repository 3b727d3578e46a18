"""Turning points: the decisions of a finished game that moved the forecast most.

For each candidate decision (role ``r`` gave order ``o`` at turn ``k``) we replay turn
``k`` with ``r`` playing an alternative instead, everything else as it was that quarter:
every other seat's recorded order, the facilitator's events, and the same dice (the
rules' stream as it stood when the turn began). That gives the world the decision's
alternative would have led to at the start of turn ``k + 1``. Both worlds, the game's own
and the fork's, are then forecast with the same rollout seeds (common random numbers:
rollout ``i`` of either draws from ``rollout_rng(seed, k + 1, i)``), every seat played
by its bot. The decision's effect is the difference in P(rogue ASI) (and in every other
outcome and in the role's own mean score), with Newcombe's interval for paired
proportions: rollouts whose outcome the decision did not change narrow it.

The game's own arm is the forecast of quarter ``k + 1``, which the debrief's forecast
series computes anyway, and one arm serves every candidate of the same quarter: the
rollouts are shared through a ``RolloutBank``.

To stay affordable we do not fork every lever of every role at every turn. Candidates
are the *key levers* only:

- every human order (alternative: what the seat's bot would have ordered);
- an official's brake, report, cover-up or inspection (alternative: ignore);
- a whistleblower speaking up, out or internally (alternative: stay silent);
- a state changing its oversight level (alternative: keep it), treaty diplomacy
  (alternative: none), nationalising, or opening/closing the whistleblower channel;
- a lab pausing (alternative: not pausing).

Every candidate is measured with the full number of paired rollouts, unless there are
so many that screening them on a few other rollouts and measuring only the ``top``
largest costs less. They are returned largest effect first (among equal effects, the
one that changed more outcomes first).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from concurrent.futures import Executor
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from agents.analysis.forecast import replay_saved, snapshots_of_saved, summarise
from agents.analysis.rollouts import (
    RolloutBank,
    RolloutResult,
    Snapshot,
    scenario_of,
    turns_left,
)
from agents.analysis.stats import paired_diff_ci
from agents.bots import decide
from agents.engine import play_turn
from agents.saved import SavedGame
from agents.seeds import rollout_rng
from rules.actions import AnyOrder, IllegalOrderError, check_order, order_to_wire, parse_order
from rules.observe import Observer, observe
from rules.world import World


@dataclass(frozen=True, slots=True)
class Candidate:
    """A decision and the alternative it is compared with."""

    turn: int
    role: str
    human: bool
    order: dict[str, Any]
    alternative: dict[str, Any]
    what: str
    instead: str


@dataclass(frozen=True, slots=True)
class TurningPoint:
    """A decision's effect on the forecast: actual minus alternative."""

    turn: int
    quarter: str
    role: str
    human: bool
    what: str
    instead: str
    p_rogue: float
    p_rogue_alternative: float
    delta_rogue: float
    delta_ci: tuple[float, float]
    deltas: dict[str, float]
    score_delta: float
    rollouts: int
    changed: int = 0
    """Paired rollouts whose outcome the decision changed (its sign aside)."""

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready form."""
        return {
            "turn": self.turn,
            "quarter": self.quarter,
            "role": self.role,
            "human": self.human,
            "what": self.what,
            "instead": self.instead,
            "p_rogue": round(self.p_rogue, 4),
            "p_rogue_alternative": round(self.p_rogue_alternative, 4),
            "delta_rogue": round(self.delta_rogue, 4),
            "delta_ci": [round(x, 4) for x in self.delta_ci],
            "deltas": {k: round(v, 4) for k, v in self.deltas.items()},
            "score_delta": round(self.score_delta, 3),
            "rollouts": self.rollouts,
            "changed": self.changed,
        }


def _describe(order: dict[str, Any], keys: tuple[str, ...]) -> str:
    parts = [f"{k}={order[k]}" for k in keys if k in order]
    return ", ".join(parts) if parts else "no change"


OVERSIGHT_NAMES = ("none", "voluntary reporting", "an oversight committee", "embedded officials")


def _key_lever(
    role_kind: str, order: dict[str, Any], world_self: Mapping[str, Any]
) -> list[tuple[dict[str, Any], str, str]]:
    """Alternatives for a bot's order: (alternative, what was done, what instead)."""
    out: list[tuple[dict[str, Any], str, str]] = []
    if role_kind == "official":
        action = order.get("action", "ignore")
        if action in ("brake", "report", "cover_up", "inspect"):
            out.append(
                ({"kind": "official", "action": "ignore"}, action.replace("_", " "), "ignore")
            )
    elif role_kind == "whistleblower":
        action = order.get("action", "silent")
        if action != "silent":
            out.append(
                (
                    {"kind": "whistleblower", "action": "silent"},
                    action.replace("_", " "),
                    "stay silent",
                )
            )
    elif role_kind == "state":
        cur = int(world_self["oversight"])
        if "oversight" in order and int(order["oversight"]) != cur:
            new = int(order["oversight"])
            out.append(
                (
                    order | {"oversight": cur},
                    f"oversight to {OVERSIGHT_NAMES[new]}",
                    f"keep {OVERSIGHT_NAMES[cur]}",
                )
            )
        if order.get("treaty"):
            alt = {k: v for k, v in order.items() if k != "treaty"}
            out.append((alt, f"treaty: {order['treaty'].replace('_', ' ')}", "no treaty move"))
        if order.get("nationalise") and not world_self.get("nationalised"):
            out.append(
                (order | {"nationalise": False}, "nationalise the labs", "leave them private")
            )
        if order.get("merge_labs"):
            out.append(
                (order | {"merge_labs": False}, "merge the labs into one", "keep them apart")
            )
        if "channel_open" in order and bool(order["channel_open"]) != bool(
            world_self["channel_open"]
        ):
            verb = "open" if order["channel_open"] else "close"
            out.append(
                (
                    order | {"channel_open": world_self["channel_open"]},
                    f"{verb} the whistleblower channel",
                    "leave it as it was",
                )
            )
    elif role_kind == "lab" and order.get("pause"):
        out.append((order | {"pause": False}, "pause frontier training", "keep training"))
    return out


def candidates(saved: SavedGame, snaps: list[Snapshot] | None = None) -> list[Candidate]:
    """Every key-lever decision of a saved game, each with its alternative (see module doc)."""
    snaps = snaps or snapshots_of_saved(saved)
    out: list[Candidate] = []
    for st in saved.turns:
        world = snaps[st.turn].world
        for rid in world.role_ids():
            kind = world.role_kind(rid)
            obs = observe(world, rid)
            if rid in st.orders:
                order = parse_order(kind, st.orders[rid])
                # The bot's alternative draws from a stream no rollout uses (index -1).
                rng = rollout_rng(saved.seed, st.turn, 2**32 - 1)
                bot: AnyOrder = decide(kind, saved.personalities[rid], obs, rng)
                if order_to_wire(bot) != order_to_wire(order):
                    out.append(
                        Candidate(
                            st.turn,
                            rid,
                            True,
                            order_to_wire(order),
                            order_to_wire(bot),
                            _summary(order_to_wire(order)),
                            "the bot's order",
                        )
                    )
                continue
            order_wire = st.bot_orders.get(rid)
            if order_wire is None:
                continue
            for alt, what, instead in _key_lever(kind, order_wire, obs["self"]):
                try:
                    check_order(parse_order(kind, alt), obs)
                except IllegalOrderError:
                    continue
                out.append(Candidate(st.turn, rid, False, order_wire, alt, what, instead))
    return out


def _summary(order: dict[str, Any]) -> str:
    kind = order.get("kind")
    if kind in ("official", "whistleblower"):
        return str(order.get("action", "")).replace("_", " ")
    keys = (
        (
            "oversight",
            "treaty",
            "export_controls",
            "safety_floor",
            "channel_open",
            "nationalise",
            "merge_labs",
        )
        if kind == "state"
        else ("safety_share", "pause", "eval_rigour", "release", "distil", "lobby")
    )
    return _describe(order, keys)


def fork_world(
    saved: SavedGame, snaps: list[Snapshot], dice: list[np.random.Generator], c: Candidate
) -> World:
    """The world at the end of turn ``c.turn`` had ``c.role`` played ``c.alternative``.

    Every other order and event of that turn is the one recorded, and the rules draw the
    same dice as they did in the game (``dice``), so the quarter differs only by the
    decision; ``c.order`` instead of the alternative gives the game's own next world.
    """
    st = saved.turns[c.turn]
    snap = snaps[c.turn]
    w = snap.world
    wire = {**st.orders, **st.bot_orders, c.role: c.alternative}
    orders = {rid: parse_order(w.role_kind(rid), dict(data)) for rid, data in wire.items()}
    played = play_turn(
        w, scenario_of(snap), orders, _nobody, copy.deepcopy(dice[c.turn]), st.events
    )
    return played.world


def _nobody(seen: Observer, orders: dict[str, AnyOrder]) -> None:
    """No bot decides: every order of a replayed turn is given."""


def _pairs(
    c: Candidate, snap: Snapshot, actual: list[RolloutResult], alt: list[RolloutResult], seed: int
) -> TurningPoint:
    """A decision's effect from paired rollouts: the game as it went on, and the fork."""
    fa, fb = summarise(snap, seed, actual), summarise(snap, seed, alt)
    rogue_a = [r.outcome == "rogue_asi" for r in actual]
    rogue_b = [r.outcome == "rogue_asi" for r in alt]
    both = sum(a and b for a, b in zip(rogue_a, rogue_b, strict=True))
    only_a = sum(a and not b for a, b in zip(rogue_a, rogue_b, strict=True))
    only_b = sum(b and not a for a, b in zip(rogue_a, rogue_b, strict=True))
    d, (lo, hi) = paired_diff_ci(both, only_a, only_b, len(actual) - both - only_a - only_b)
    changed = sum(
        (ra.outcome, ra.state) != (rb.outcome, rb.state) for ra, rb in zip(actual, alt, strict=True)
    )
    return TurningPoint(
        turn=c.turn,
        quarter=snap.world.quarter_label(c.turn),
        role=c.role,
        human=c.human,
        what=c.what,
        instead=c.instead,
        p_rogue=fa.p_rogue,
        p_rogue_alternative=fb.p_rogue,
        delta_rogue=d,
        delta_ci=(lo, hi),
        deltas={k: fa.p(k) - fb.p(k) for k in fa.keys},
        score_delta=fa.mean_scores[c.role] - fb.mean_scores[c.role],
        rollouts=len(actual),
        changed=changed,
    )


def _rank(tp: TurningPoint) -> tuple[float, int]:
    """Largest effect on P(rogue ASI) first; among equals, the one that changed most outcomes."""
    return (-abs(tp.delta_rogue), -tp.changed)


class _Pairs:
    """The two arms of every candidate, named in a rollout bank."""

    def __init__(
        self,
        saved: SavedGame,
        snaps: list[Snapshot],
        dice: list[np.random.Generator],
        cands: list[Candidate],
        bank: RolloutBank,
    ) -> None:
        self.snaps, self.cands, self.bank = snaps, cands, bank
        self.forks = [
            replace(snaps[c.turn + 1], world=fork_world(saved, snaps, dice, c), fixed={})
            for c in cands
        ]

    def arms(self, j: int) -> tuple[tuple[str, int], Snapshot, tuple[str, int], Snapshot]:
        """(key, snapshot) of the game as it went on after the decision, then of the fork."""
        t = self.cands[j].turn + 1
        return ("turn", t), self.snaps[t], ("fork", j), self.forks[j]

    def cost(self, chosen: list[int], indices: range) -> int:
        """Quarters of play the bank would add to evaluate these candidates on these rollouts."""
        seen: set[tuple[str, int]] = set()
        total = 0
        for j in chosen:
            ka, sa, kb, sb = self.arms(j)
            if ka not in seen:
                seen.add(ka)
                total += self.bank.missing_cost(ka, sa, indices)
            total += self.bank.missing_cost(kb, sb, indices)
        return total

    def need(self, chosen: list[int], indices: range) -> None:
        """Ask the bank for both arms of these candidates."""
        for j in chosen:
            ka, sa, kb, sb = self.arms(j)
            self.bank.need(ka, sa, indices)
            self.bank.need(kb, sb, indices)

    def evaluate(self, chosen: list[int], indices: range) -> list[TurningPoint]:
        """The turning points of these candidates from the bank's rollouts (``run`` first)."""
        out = []
        for j in chosen:
            ka, _, kb, _ = self.arms(j)
            c = self.cands[j]
            actual = self.bank.results(ka, indices)
            alt = self.bank.results(kb, indices)
            out.append(_pairs(c, self.snaps[c.turn], actual, alt, self.bank.seed))
        return out


def turning_points(
    saved: SavedGame,
    top: int = 8,
    rollouts: int = 200,
    screen_rollouts: int = 30,
    seed: int | None = None,
    jobs: int | None = 1,
    snaps: list[Snapshot] | None = None,
    executor: Executor | None = None,
    dice: list[np.random.Generator] | None = None,
    bank: RolloutBank | None = None,
) -> list[TurningPoint]:
    """The ``top`` decisions of a saved game that moved P(rogue ASI) most, largest first.

    Each candidate is measured on ``rollouts`` paired rollouts (indices 0 to
    ``rollouts - 1``). When there are many candidates, they are first screened on
    ``screen_rollouts`` other rollouts (the indices after those) and only the ``top``
    largest are measured, if that costs less than measuring them all. ``bank`` may hold
    rollouts asked for by another analysis (the debrief's forecast series asks for the
    game's own quarters): they are computed with the candidates' in one batch and shared;
    ``snaps`` and ``dice`` may pass ``replay_saved(saved)`` done already.

    Raises:
        ReplayError: if the saved game does not replay to its hashes.
        ValueError: if ``rollouts`` or ``screen_rollouts`` is less than 1.
    """
    if rollouts < 1 or screen_rollouts < 1:
        raise ValueError("rollouts and screen_rollouts must be at least 1")
    if snaps is None or dice is None:
        snaps, dice = replay_saved(saved)
    base_seed = saved.seed if seed is None else seed
    bank = bank or RolloutBank(base_seed, executor, jobs)
    if bank.seed != base_seed:
        raise ValueError("the bank draws from another seed")
    cands = candidates(saved, snaps)
    if not cands or top < 1:
        bank.run()
        return []
    pairs = _Pairs(saved, snaps, dice, cands, bank)
    every = list(range(len(cands)))
    final = range(rollouts)
    chosen = every
    if len(cands) > top:
        screen = range(rollouts, rollouts + screen_rollouts)
        # Judged before asking for anything: what both ways would add to the bank.
        costliest = sorted(every, key=lambda j: -turns_left(snaps[cands[j].turn + 1]))[:top]
        screened_cost = pairs.cost(every, screen) + pairs.cost(costliest, final)
        if screened_cost < pairs.cost(every, final):
            pairs.need(every, screen)
            bank.run()
            ranked = pairs.evaluate(every, screen)
            chosen = sorted(sorted(every, key=lambda j: _rank(ranked[j]))[:top])
    pairs.need(chosen, final)
    bank.run()
    return sorted(pairs.evaluate(chosen, final), key=_rank)[:top]
