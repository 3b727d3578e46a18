"""Resolving a turn: when the quarter may end, and ending it (bots fill the bots' seats).

The turn resolves when every present human who has something to decide has submitted,
at the deadline, or when the facilitator forces it; at the deadline or forced, a present
person who has not submitted keeps their settings (bots decide only for seats nobody holds
or whose holder is away). Its hash is committed to the log
before anyone hears of it; if that commit fails, the model is put back as it was. A
resolution that follows an ack (the last order, a resume, a seat handed to a bot, the
deadline) never fails the acked message: ``settle`` reports it to the facilitator and
retries it in a kept task until it commits. The model is put back from a cheap snapshot
(``server.session.snapshot``), not a copy; the step itself (bots and rules) runs in a worker
thread so one game's quarter does not stall every other game's traffic; and a resolution,
once begun, runs to its end even if its caller is cancelled (a socket closing right after
its ``force_turn`` was acknowledged), the lock held meanwhile.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import anyio.to_thread
from sqlalchemy.orm import Session

from rules.actions import AnyOrder, default_order, idle_roles, order_to_wire
from server.db import repo
from server.payloads import AlertKind, ChatLine, ServerAlertData, TurnReason, TurnResolvedData
from server.session import botchat, snapshot
from server.session.log import LogEntry
from server.session.push import encode_push
from server.views import (
    all_news,
    game_over,
    private_news,
    seat_observation,
    series_point,
    turn_resolved,
)

if TYPE_CHECKING:
    from agents.model import RaceModel, TurnRecord
    from server.session.game import GameSession

log = logging.getLogger("precipice.game")


def waiting_on(game: GameSession) -> list[str] | None:
    """Present human seats the quarter still waits for (None: no person is present).

    A seat with nothing to decide (a merged lab, an official without a post, a fired
    whistleblower) is not waited for while someone else still decides; if every
    present person is in that position, they end the quarter by submitting.
    """
    present = [s.role for s in game.seats.values() if s.mode == "human" and not s.away]
    if not present:
        return None
    idle = set(idle_roles(game.public_world()))
    deciding = [r for r in present if r not in idle] or present
    return [r for r in deciding if r not in game.submitted]


async def maybe_resolve(game: GameSession) -> None:
    """Resolve the turn once every present human seat has submitted (lock held).

    Raises:
        Exception: the resolution's commit failed (the model is as it was).
    """
    if not game.running:
        return
    if waiting_on(game) == []:
        await resolve(game, "all_submitted")


async def settle(game: GameSession, reason: TurnReason = "all_submitted") -> None:
    """After an ack: resolve the turn if it is due, never raising (lock held).

    A resolution whose commit fails is reported to the facilitator (``server_alert``) and
    retried by a kept task until it commits, or until it no longer applies (another path
    resolved the turn, the game paused or ended). The client whose message was acked has
    had its one reply; this failure is not theirs.
    """
    turn = game.model.turn
    try:
        if reason == "all_submitted":
            await maybe_resolve(game)
        else:
            await resolve(game, reason)
    except Exception as exc:
        log.exception("game %s: resolving turn %d failed; retrying", game.id, turn)
        message = f"resolving the quarter failed ({exc}); retrying"
        _alert(game, "resolution_failed", turn, message, RETRY_SECONDS[0])
        game.spawn(_retry(game, turn, reason))


RETRY_SECONDS = (0.5, 1.0, 2.0, 5.0, 10.0, 30.0)
"""How long to wait before each retry of a failed resolution (the last repeats)."""


def _due(game: GameSession, turn: int, reason: TurnReason) -> bool:
    """Whether a resolution of ``turn`` for ``reason`` still applies."""
    if game.model.turn != turn or game.model.done:
        return False
    if reason == "forced":
        return True
    return not game.paused and (reason == "deadline" or waiting_on(game) == [])


async def _retry(game: GameSession, turn: int, reason: TurnReason) -> None:
    """Retry a failed resolution with back-off until it commits or no longer applies."""
    attempt = 0
    while True:
        await asyncio.sleep(RETRY_SECONDS[min(attempt, len(RETRY_SECONDS) - 1)])
        attempt += 1
        async with game.lock:
            if not _due(game, turn, reason):
                return
            try:
                await resolve(game, reason)
            except Exception as exc:
                wait = RETRY_SECONDS[min(attempt, len(RETRY_SECONDS) - 1)]
                log.warning("game %s: retry %d of turn %d failed: %s", game.id, attempt, turn, exc)
                _alert(game, "resolution_failed", turn, f"retry {attempt} failed ({exc})", wait)
                continue
            _alert(game, "resolution_recovered", turn, f"resolved after {attempt} retries", None)
            return


def _alert(
    game: GameSession, kind: AlertKind, turn: int, message: str, retry_in: float | None
) -> None:
    data: ServerAlertData = {
        "kind": kind,
        "turn": turn,
        "message": message,
        "retry_in_seconds": retry_in,
    }
    game.room.to_facilitators(encode_push("server_alert", data))


@dataclass(frozen=True, slots=True)
class Resolution:
    """A committed quarter: its record, and the chat lines bots wrote as it resolved."""

    rec: TurnRecord
    bot_lines: list[ChatLine]


async def commit_resolution(
    game: GameSession,
    reason: TurnReason,
    before: tuple[LogEntry, ...] = (),
    kept: Mapping[str, AnyOrder] | None = None,
) -> Resolution:
    """Resolve the turn in memory and commit it (with ``before`` first, in one transaction).

    ``kept`` are orders queued for the resolution (a forced quarter's present people). A
    bot's answer to a person's treaty proposal (``botchat``) is logged in the same
    transaction. If the commit fails the model is put back as it was and nothing was logged.

    Raises:
        Exception: the commit failed.
    """
    work = asyncio.ensure_future(_commit_resolution(game, reason, before, kept))
    try:
        done = await asyncio.shield(work)
    except asyncio.CancelledError:
        if not work.done():
            await asyncio.wait([work])
        if not work.cancelled() and work.exception() is None:
            # Committed though the caller was cancelled: memory and the clients follow the
            # log all the same (the caller will not get to announce it).
            _committed(game, work.result())
            announce(game, work.result(), reason)
        raise
    _committed(game, done)
    return done


def _committed(game: GameSession, done: Resolution) -> None:
    """What a committed quarter changes in memory besides the model.

    Run in the caller's task: a deadline's timer re-arming itself is not cancelled.
    """
    game.submitted.clear()
    game.series.append(series_point(game.model))
    game.arm_deadline(game.clock.seconds)
    game.chat.extend(done.bot_lines)


def _step(model: RaceModel) -> TurnRecord:
    """Play the quarter and hash its world: both are CPU work, done in a worker thread."""
    model.step()
    rec = model.history[-1]
    rec.hash  # noqa: B018 - reading it hashes the world here, off the event loop
    return rec


async def _commit_resolution(
    game: GameSession,
    reason: TurnReason,
    before: tuple[LogEntry, ...],
    kept: Mapping[str, AnyOrder] | None,
) -> Resolution:
    model = game.model
    treaty = game.public_world()["treaty"]
    saved = snapshot.take(model)
    turn = model.turn
    model.pending.update(kept or {})
    try:
        rec = await anyio.to_thread.run_sync(_step, model)
    except BaseException:
        snapshot.restore(model, saved)
        raise
    lines = botchat.treaty_replies(game, treaty, rec)
    over = game.model.done
    gid, next_turn = game.id, game.model.turn

    def record(s: Session) -> None:
        repo.set_turn(s, gid, next_turn)
        if over:
            repo.set_status(s, gid, "over")

    try:
        await game.append(
            *before,
            ("turn_resolved", {"turn": turn, "hash": rec.hash, "reason": reason}),
            *[("chat", line) for line in lines],
            extra=record,
            turn=turn,
        )
    except BaseException:  # not committed (this task is shielded from its caller's cancel)
        snapshot.restore(model, saved)
        raise
    return Resolution(rec, lines)


def announce(game: GameSession, done: Resolution, reason: TurnReason) -> None:
    """Tell every audience what a committed resolution brought (each its own news).

    Then the bots' chat lines, each to its two roles and the facilitators.
    """
    rec = done.rec
    turn = rec.turn
    over = game.model.done
    base = turn_resolved(rec, turn, game.model.turn, reason, over)
    for seat in game.seats.values():
        if seat.conn is None:
            continue
        own: TurnResolvedData = {**base, "private_news": private_news(rec, seat.role)}
        seat.conn.send(encode_push("turn_resolved", own))
        seat.conn.send(encode_push("observation", seat_observation(game, seat.role)))
    game.room.to_spectators(encode_push("turn_resolved", base))
    full: TurnResolvedData = {**base, "hash": rec.hash, "all_news": all_news(rec)}
    game.room.to_facilitators(encode_push("turn_resolved", full))
    for line in done.bot_lines:
        text = encode_push("chat", line)
        game.room.to_roles((line["from"], line["to"]), text)
        game.room.to_facilitators(text)
    if over:
        game.info["status"] = "over"
        game.phase = "over"
        game.broadcast(encode_push("game_over", game_over(game)))
    game.broadcast_state()


def kept_for_present(game: GameSession) -> dict[str, AnyOrder]:
    """Orders that keep a present person's current settings, for each who has not submitted.

    A person holding a seat (connected, or within the grace period) is there: when the
    quarter ends without their order (forced, or at the deadline), they keep their last
    order's settings (last quarter's levers), and a bot never decides for them.
    """
    return {
        s.role: default_order(s.kind)
        for s in game.seats.values()
        if s.mode == "human" and not s.away and s.role not in game.model.pending
    }


def kept_entries(kept: Mapping[str, AnyOrder], reason: TurnReason) -> tuple[LogEntry, ...]:
    """The log entries of kept orders (``kept`` says why), replayed like any other order."""
    return tuple(
        ("order", {"role": r, "order": order_to_wire(o), "kept": reason}) for r, o in kept.items()
    )


async def resolve(game: GameSession, reason: TurnReason) -> None:
    """Resolve the turn (lock held): bots fill the rest, commit the hash, push the news.

    At the deadline (and a forced quarter carried out at load) present people who have not
    submitted keep their settings (``kept_for_present``), logged with the resolution.

    Raises:
        Exception: the commit failed (the model is as it was).
    """
    kept = kept_for_present(game) if reason in ("deadline", "forced") else {}
    done = await commit_resolution(game, reason, kept_entries(kept, reason), kept)
    announce(game, done, reason)


async def on_deadline(game: GameSession, turn: int) -> None:
    """The deadline of ``turn`` passed: resolve it, if it is still the turn and the clock runs."""
    async with game.lock:
        if game.model.turn == turn and game.running:
            await settle(game, "deadline")
