"""Turning points: the decisions of a finished game that moved the forecast most.

For each candidate decision (role ``r`` gave order ``o`` at turn ``k``) we fork the game at
the start of turn ``k`` and forecast twice from the same world with the same rollout seeds
(common random numbers): once with ``r`` playing ``o`` in turn ``k``, once with ``r``
playing an alternative; every other seat, and every later turn, is played by the bots.
The decision's effect is the difference in P(rogue ASI) (and in every other outcome and
in the role's own mean score).

To stay affordable we do not fork every lever of every role at every turn. Candidates
are the *key levers* only:

- every human order (alternative: what the seat's bot would have ordered);
- an official's brake, report, cover-up or inspection (alternative: ignore);
- a whistleblower speaking up, out or internally (alternative: stay silent);
- a state changing its oversight level (alternative: keep it), treaty diplomacy
  (alternative: none), nationalising, or opening/closing the whistleblower channel;
- a lab pausing (alternative: not pausing).

All candidates are screened with a few rollouts; the ``top`` largest are re-forecast
with the full number of rollouts and returned, largest effect first.
"""

from __future__ import annotations

from collections.abc import Mapping
from concurrent.futures import Executor
from dataclasses import dataclass
from typing import Any

from agents.analysis.forecast import Forecast, Snapshot, forecast_many, snapshots_of_saved
from agents.analysis.stats import diff_ci
from agents.bots import decide
from agents.saved import SavedGame
from agents.seeds import rollout_rng
from rules.actions import AnyOrder, IllegalOrderError, check_order, order_to_wire, parse_order
from rules.observe import observe


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


def _diff(c: Candidate, snap: Snapshot, fa: Forecast, fb: Forecast) -> TurningPoint:
    pa, pb = fa.p_rogue, fb.p_rogue
    n = fa.rollouts
    d, (lo, hi) = diff_ci(fa.counts["rogue_asi"], n, fb.counts["rogue_asi"], n)
    return TurningPoint(
        turn=c.turn,
        quarter=snap.world.quarter_label(),
        role=c.role,
        human=c.human,
        what=c.what,
        instead=c.instead,
        p_rogue=pa,
        p_rogue_alternative=pb,
        delta_rogue=d,
        delta_ci=(lo, hi),
        deltas={k: fa.p(k) - fb.p(k) for k in fa.keys},
        score_delta=fa.mean_scores[c.role] - fb.mean_scores[c.role],
        rollouts=n,
    )


def _evaluate(
    cands: list[Candidate],
    snaps: list[Snapshot],
    rollouts: int,
    seed: int,
    jobs: int | None,
    executor: Executor | None,
) -> list[TurningPoint]:
    pairs: list[Snapshot] = []
    for c in cands:
        base = snaps[c.turn]
        pairs.append(
            Snapshot(
                base.scenario, base.overrides, base.world, base.personalities, {c.role: c.order}
            )
        )
        pairs.append(
            Snapshot(
                base.scenario,
                base.overrides,
                base.world,
                base.personalities,
                {c.role: c.alternative},
            )
        )
    fcs = forecast_many(pairs, rollouts, seed, jobs, executor)
    return [_diff(c, snaps[c.turn], fcs[2 * i], fcs[2 * i + 1]) for i, c in enumerate(cands)]


def turning_points(
    saved: SavedGame,
    top: int = 8,
    rollouts: int = 200,
    screen_rollouts: int = 30,
    seed: int | None = None,
    jobs: int | None = 1,
    snaps: list[Snapshot] | None = None,
    executor: Executor | None = None,
) -> list[TurningPoint]:
    """The ``top`` decisions of a saved game that moved P(rogue ASI) most, largest first.

    Every key-lever candidate is screened with ``screen_rollouts`` paired rollouts; the
    ``top`` largest are re-forecast with ``rollouts`` (fresh seeds) and sorted by the
    size of their effect.

    Raises:
        ReplayError: if the saved game does not replay to its hashes.
    """
    snaps = snaps or snapshots_of_saved(saved)
    base_seed = saved.seed if seed is None else seed
    cands = candidates(saved, snaps)
    if not cands:
        return []
    if len(cands) > top:
        screened = _evaluate(cands, snaps, screen_rollouts, base_seed + 1, jobs, executor)
        order = sorted(range(len(cands)), key=lambda i: -abs(screened[i].delta_rogue))
        cands = [cands[i] for i in sorted(order[:top])]
    final = _evaluate(cands, snaps, rollouts, base_seed, jobs, executor)
    return sorted(final, key=lambda tp: -abs(tp.delta_rogue))
