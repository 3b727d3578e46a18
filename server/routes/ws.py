"""Websockets: one endpoint per game for seats, spectators and the facilitator, plus an echo.

No database session is injected here: each unit of work opens its own short transaction
inside ``GameSession``. The reader loop enforces the rate and size limits before parsing,
and turns every refusal into a typed ``error`` that echoes the client's ``id`` (a refused
frame is parsed only to find it: see ``peek_id``). It reads the next message only when
the connection's outbox has room for the reply (``Connection.wait_for_room``). A handshake
from a web page of another origin than the server's (or ``allowed_origins``) is refused
with HTTP 403. A game the
server cannot play (created under other rules) is refused at once: a
``rules_version_mismatch`` error, then close code 4409. In a cluster, a game another
process owns is refused the same way: a ``not_owner`` error, then close code 4409 whose
reason is the owner's websocket URL (the client re-asks REST and reconnects there).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from fastapi import APIRouter, WebSocket
from starlette.websockets import WebSocketDisconnect, WebSocketState

from agents.saved import RulesVersionError
from server.cluster.node import NotOwner, ws_url
from server.conn import Connection, TokenBucket
from server.deps import HubDep
from server.dispatch import dispatch
from server.origins import origin_allowed
from server.protocol import ErrorCode, Hello, ProtocolError, parse_client, peek_id
from server.server_messages import Error, encode

router = APIRouter(tags=["websocket"])
log = logging.getLogger("precipice.ws")


def error(
    code: ErrorCode, message: str, mid: str | int | None = None, field: str | None = None
) -> str:
    """Encode a typed error."""
    return encode(Error(code=code, message=message, id=mid, field=field))


async def _hello_watchdog(conn: Connection, seconds: float) -> None:
    await asyncio.sleep(seconds)
    if not conn.authed:
        conn.send(error("unauthorized", f"no hello within {seconds:g} s"))
        await conn.close(4401)


@router.websocket("/ws/games/{game_id}")
async def game_socket(ws: WebSocket, game_id: str, hub: HubDep) -> None:
    """A game's socket: say ``hello`` (with a seat or facilitator token, or none to spectate)."""
    settings = hub.settings
    if not origin_allowed(ws.headers, ws.url.scheme, settings.allowed_origins):
        await ws.close(4403)  # before the handshake completes: the client gets HTTP 403
        return
    await ws.accept()
    if hub.connections >= settings.max_connections:
        await ws.send_text(error("too_many_connections", "the server is full; try again later"))
        await ws.close(1013)
        return
    hub.connections += 1
    conn = Connection(ws, settings.outbox_size)
    watchdog = asyncio.get_running_loop().create_task(
        _hello_watchdog(conn, settings.hello_timeout_seconds)
    )
    game = None
    try:
        try:
            game = await hub.get(game_id)
        except RulesVersionError:
            stale = hub.stale.get(game_id)
            conn.send(error("rules_version_mismatch", stale.message if stale else "other rules"))
            await conn.close(4409)
            return
        except NotOwner as exc:
            where = ws_url(exc.url, game_id)
            conn.send(error("not_owner", f"game {game_id!r} is served at {where}; connect there"))
            await conn.close(4409, where)
            return
        except ValueError:
            game = None
        if game is None:
            conn.send(error("unauthorized", f"no playable game {game_id!r}"))
            await conn.close(4404)
            return
        bucket = TokenBucket(settings.messages_per_second, settings.message_burst)
        limit = settings.max_message_bytes
        while not conn.closed:
            # Backpressure: the next message is read only when its reply has room.
            if not await conn.wait_for_room(settings.slow_client_seconds):
                break
            frame = await ws.receive()
            if frame["type"] == "websocket.disconnect":
                break
            text = frame.get("text")
            allowed = bucket.take()
            if text is None:
                data = frame.get("bytes") or b""
                big = len(data) > limit
                if not allowed:
                    conn.send(error("rate_limited", "over the message rate; send JSON text frames"))
                    continue
                conn.send(
                    error(
                        "too_large" if big else "bad_json",
                        f"message over {limit} bytes" if big else "send JSON text frames",
                    )
                )
                continue
            big = len(text) > limit or (len(text) * 4 > limit and len(text.encode()) > limit)
            if not allowed:
                # The id of a rate-limited frame is read only if the frame is within the size
                # limit: parsing is what the limit saves.
                conn.send(
                    error(
                        "rate_limited",
                        f"over {settings.messages_per_second:g} messages per second",
                        None if big else peek_id(text),
                    )
                )
                continue
            if big:
                conn.send(error("too_large", f"message over {limit} bytes", peek_id(text)))
                continue
            message, mid, err = parse_client(text)
            if err is not None or message is None:
                assert err is not None
                conn.send(error(err.code, err.message, mid, err.field))
                continue
            conn.replied = False
            try:
                if not conn.authed:
                    if not isinstance(message, Hello):
                        raise ProtocolError("unauthorized", "say hello first", "type")
                    await game.attach(conn, message.token, mid)
                else:
                    await dispatch(game, conn, message, mid)
            except ProtocolError as exc:
                if conn.replied:  # pragma: no cover - handlers refuse before they ack
                    log.error("game %s: %s refused after its ack: %s", game_id, message.type, exc)
                    continue
                conn.send(error(exc.code, exc.message, mid, exc.field))
            except Exception:
                log.exception("game %s: message %s failed", game_id, message.type)
                if conn.replied:
                    continue  # acked (and so committed): one reply only; the failure is logged
                conn.send(
                    error(
                        "internal", "the server could not handle this message; nothing changed", mid
                    )
                )
    except WebSocketDisconnect:
        pass
    finally:
        watchdog.cancel()
        hub.connections -= 1
        if game is not None and conn.authed:
            await game.detach(conn)
        await conn.stop_writer()
        if ws.application_state != WebSocketState.DISCONNECTED:
            with contextlib.suppress(Exception):
                await ws.close()


@router.websocket("/ws/echo")
async def echo(ws: WebSocket) -> None:
    """Echo every text frame back (benchmark baseline; enabled by ``PRECIPICE_ENABLE_ECHO``)."""
    if not ws.app.state.settings.enable_echo:
        await ws.close(4404)
        return
    await ws.accept()
    try:
        while True:
            await ws.send_text(await ws.receive_text())
    except WebSocketDisconnect:
        pass
