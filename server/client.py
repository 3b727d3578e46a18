"""A research client: join a game over the websocket and play one seat with any policy.

A *policy* is a function from a seat's observation (the ``data`` of an ``observation``
push: ``turn``, ``observation``, ``legal_actions``, ``your_order``) to an order dict, or
``None`` to let the seat's bot decide (``agents.bots.decide`` runs locally on the same
observation the server would give the bot).

The async core, ``SeatClient``, says ``hello`` with the seat token, submits one order per
turn naming that turn, waits for each ``ack`` (sent only after the order is committed),
and survives disconnects and server restarts: it reconnects with back-off and, if the
order for the current turn was not acknowledged, resubmits it (the server's
``observation.your_order`` says whether it was). It returns the final scores.

``play_seat(base_url, game_id, scenario, role, policy)`` is the synchronous wrapper: it
claims the seat over REST (creating a game first when ``game_id`` is None) and plays it::

    from server.client import play_seat
    result = play_seat("http://127.0.0.1:8000", None, "baseline", "us", lambda obs: None)
    print(result.scores["us"])
"""

from __future__ import annotations

import asyncio
import json
import random
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake

from agents.bots import PERSONALITIES, decide
from rules.actions import order_to_wire

Policy = Callable[[dict[str, Any]], dict[str, Any] | None]
#: Close codes after which reconnecting cannot help (seat taken over, revoked, bad token, no game).
FINAL_CLOSE_CODES = frozenset({4000, 4001, 4401, 4404})
#: Close code of a process that does not own the game; its reason is the owner's ws URL.
MOVED = 4409


class ClientError(Exception):
    """The server refused the client for good (bad token, unknown game, seat lost)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


@dataclass(slots=True)
class SeatResult:
    """What playing a seat produced: the scores and the orders the server holds.

    ``acked`` has the orders acknowledged by an ``ack``; ``orders`` also those the server
    confirmed after a reconnect (``your_order``) when the ack itself was lost.
    """

    game_id: str
    role: str
    scores: dict[str, float] = field(default_factory=dict)
    outcome: dict[str, Any] | None = None
    orders: dict[int, dict[str, Any]] = field(default_factory=dict)
    acked: dict[int, dict[str, Any]] = field(default_factory=dict)
    ack_seconds: list[float] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)
    reconnects: int = 0
    moves: int = 0
    """Times a process refused the socket with 4409 and named the game's owner."""

    @property
    def score(self) -> float | None:
        """This seat's score (None until the game is over)."""
        return self.scores.get(self.role)


def bot_order(data: dict[str, Any], rng: np.random.Generator) -> dict[str, Any]:
    """The order the seat's default bot would give for this observation (wire form)."""
    obs = data["observation"]
    kind = obs["role_kind"]
    return order_to_wire(decide(kind, PERSONALITIES[kind][0], obs, rng))


def http_json(
    method: str,
    url: str,
    body: dict[str, Any] | None = None,
    token: str | None = None,
    timeout: float = 60.0,
) -> dict[str, Any]:
    """One blocking JSON request (stdlib only); raises ``ClientError`` on an HTTP error."""
    if not url.startswith(("http://", "https://")):
        raise ValueError(f"not an http(s) URL: {url!r}")
    headers = {"Content-Type": "application/json"}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method, headers=headers)  # noqa: S310
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310
            out: dict[str, Any] = json.loads(resp.read())
            return out
    except urllib.error.HTTPError as exc:
        try:
            err = json.loads(exc.read())
        except ValueError:
            err = {}
        raise ClientError(
            str(err.get("error", exc.code)), str(err.get("message", exc.reason))
        ) from None


def ws_url(base_url: str, game_id: str) -> str:
    """The websocket URL of a game on the server at ``base_url`` (``http://host:port``)."""
    return base_url.rstrip("/").replace("http", "ws", 1) + f"/ws/games/{game_id}"


class SeatClient:
    """Play one seat over the websocket until the game ends (async core)."""

    def __init__(
        self,
        base_url: str,
        game_id: str,
        token: str,
        policy: Policy,
        *,
        seed: int = 0,
        timeout: float = 120.0,
        max_reconnects: int = 50,
        reconnect_window: float = 120.0,
        other_urls: tuple[str, ...] = (),
    ) -> None:
        """Play ``game_id`` with ``token``.

        ``timeout`` is the longest wait for any message; reconnecting gives up after
        ``max_reconnects`` attempts or ``reconnect_window`` seconds without a hello.
        ``other_urls`` are more processes of the same cluster: after a drop the client asks
        REST (``GET /api/games/{id}``, its ``ws_url``) on each in turn where the game is now.
        """
        self.base_url = base_url
        self.base_urls = (base_url, *other_urls)
        self._target: str | None = None  # where the next connection goes (None: ask REST)
        self._asked = 0
        self.game_id = game_id
        self.token = token
        self.policy = policy
        self.rng = np.random.default_rng(seed)
        self.timeout = timeout
        self.max_reconnects = max_reconnects
        self.reconnect_window = reconnect_window
        self.result = SeatResult(game_id, "")
        self._n = 0
        self._sent: dict[int, dict[str, Any]] = {}  # turn -> order sent, not yet acked
        self._inflight: dict[str, tuple[int, float]] = {}  # message id -> (turn, sent at)
        self._obs: dict[int, dict[str, Any]] = {}  # turn -> the latest observation of it
        self._fallback: set[int] = set()  # turns where the bot's order replaced a refused one
        self._connected = False
        self._over = False
        self._phase = "playing"

    def _id(self) -> str:
        self._n += 1
        return f"c{self._n}"

    async def _send(self, ws: ClientConnection, msg: dict[str, Any]) -> str:
        mid = self._id()
        await ws.send(json.dumps({"v": 1, "id": mid, **msg}))
        return mid

    async def run(self) -> SeatResult:
        """Play to the end of the game; returns the scores and the acknowledged orders.

        Raises:
            ClientError: the token or game is refused, or the seat was taken over or revoked.
            TimeoutError: the server went quiet for ``timeout`` or never came back.
        """
        attempts = 0
        down_since: float | None = None
        self._target = ws_url(self.base_url, self.game_id)
        while True:
            try:
                async with connect(
                    self._target or await self._locate(),
                    open_timeout=self.timeout,
                    max_size=None,
                    ping_interval=None,
                ) as ws:
                    if await self._session(ws):
                        return self.result
            except ClientError:
                raise
            except ConnectionClosed as exc:
                code = exc.rcvd.code if exc.rcvd is not None else None
                if code in FINAL_CLOSE_CODES:
                    raise ClientError("closed", f"the server closed the seat ({code})") from None
                self._target = None
                if code == MOVED and exc.rcvd is not None and exc.rcvd.reason.startswith("ws"):
                    self._target = exc.rcvd.reason  # the owner, named by the refusing process
                    self.result.moves += 1
            except (OSError, InvalidHandshake, TimeoutError):
                self._target = None
            if self._connected:
                attempts, down_since = 0, None
            self._connected = False
            attempts += 1
            down_since = down_since if down_since is not None else time.monotonic()
            if (
                attempts > self.max_reconnects
                or time.monotonic() - down_since > self.reconnect_window
            ):
                raise TimeoutError(f"could not reconnect to game {self.game_id}")
            self.result.reconnects += 1
            if self._target is None:  # a refusal naming the owner needs no back-off
                await asyncio.sleep(min(2.0, 0.05 * 2**attempts) * (0.5 + random.random()))

    async def _locate(self) -> str:
        """Ask REST where the game is served now (each known process in turn)."""
        for _ in self.base_urls:
            base = self.base_urls[self._asked % len(self.base_urls)]
            self._asked += 1
            url = f"{base.rstrip('/')}/api/games/{self.game_id}"
            try:
                info = await asyncio.to_thread(http_json, "GET", url, None, None, 5.0)
            except (ClientError, OSError, ValueError):
                continue
            where = str(info.get("ws_url") or "")
            if where.startswith("ws"):
                return where
            return ws_url(base, self.game_id)
        return ws_url(self.base_urls[self._asked % len(self.base_urls)], self.game_id)

    async def _session(self, ws: ClientConnection) -> bool:
        """One connection: hello, then play; True once the game is over."""
        hello = await self._send(ws, {"type": "hello", "token": self.token})
        self._inflight.clear()
        while True:
            text = await asyncio.wait_for(ws.recv(), self.timeout)
            m = json.loads(text)
            kind = m.get("type")
            if kind in ("ack", "error") and m.get("id") == hello:
                if kind == "error":
                    raise ClientError(m["code"], m["message"])
                self._connected = True
                self.result.role = m["result"]["role"] or ""
            elif kind == "ack" and m.get("of") == "order":
                turn, t0 = self._inflight.pop(m["id"], (m["result"]["turn"], None))
                if t0 is not None:
                    self.result.ack_seconds.append(time.perf_counter() - t0)
                self.result.orders[turn] = self.result.acked[turn] = m["result"]["order"]
                self._sent.pop(turn, None)
            elif kind == "error":
                await self._on_error(ws, m)
            elif kind == "game_state":
                await self._on_state(ws, m["data"])
            elif kind == "observation":
                await self._on_observation(ws, m["data"])
            elif kind == "game_over":
                self.result.scores = dict(m["data"]["scores"])
                self.result.outcome = m["data"]["outcome"]
                return True
            elif kind in ("seat_revoked", "replaced"):
                raise ClientError(kind, json.dumps(m["data"]))
            if self._over:
                await self._fetch_scores()
                return True

    async def _on_state(self, ws: ClientConnection, data: dict[str, Any]) -> None:
        """Follow the game's phase: in the lobby, say ready and wait; once it starts, play."""
        before, self._phase = self._phase, str(data.get("phase", "playing"))
        if self._phase == "lobby" and before != "lobby":
            await self._send(ws, {"type": "ready", "ready": True})
        if before != "playing" and self._phase == "playing":
            for obs in list(self._obs.values()):
                await self._on_observation(ws, obs)

    async def _on_observation(self, ws: ClientConnection, data: dict[str, Any]) -> None:
        turn = int(data["turn"])
        if data["observation"].get("done"):
            # Joined (or came back) after the end: no game_over push follows; ask REST.
            self._over = not self.result.scores
            return
        if data.get("your_order") is not None:
            self.result.orders[turn] = data["your_order"]
            self._sent.pop(turn, None)
            return
        self._obs = {turn: data}
        if self._phase != "playing":
            return  # nothing is played in the lobby: the order goes once the game starts
        if turn in self.result.orders or any(t == turn for t, _ in self._inflight.values()):
            return
        order = self._sent.get(turn)
        if order is None:
            chosen = self.policy(data)
            order = bot_order(data, self.rng) if chosen is None else chosen
        await self._submit(ws, turn, order)

    async def _submit(self, ws: ClientConnection, turn: int, order: dict[str, Any]) -> None:
        self._sent[turn] = order
        mid = self._id()
        self._inflight[mid] = (turn, time.perf_counter())
        await ws.send(
            json.dumps({"v": 1, "id": mid, "type": "order", "turn": turn, "order": order})
        )

    async def _on_error(self, ws: ClientConnection, m: dict[str, Any]) -> None:
        self.result.errors.append(m)
        sent = self._inflight.pop(str(m.get("id")), None)
        if sent is None:
            return
        turn = sent[0]
        code = m.get("code")
        if code in ("invalid_action", "illegal_action"):
            # The policy's order was refused: the bot plays this turn instead (once).
            self._sent.pop(turn, None)
            if turn in self._obs and turn not in self._fallback:
                self._fallback.add(turn)
                await self._submit(ws, turn, bot_order(self._obs[turn], self.rng))
        elif code == "rate_limited":
            await asyncio.sleep(0.5)
            await self._submit(ws, turn, self._sent[turn])
        else:  # stale_turn, game_paused, game_over: a new observation will say what to do
            self._sent.pop(turn, None)

    async def _fetch_scores(self) -> None:
        """The final scores over REST, from the first known process that answers.

        A process that is down, or that answers 503 ``owner_unreachable`` (the game's owner
        just died and its lease has not expired yet), is passed over; the known processes
        are asked again every half second until ``reconnect_window`` runs out.
        """
        deadline = time.monotonic() + self.reconnect_window
        while True:
            error: Exception | None = None
            for base in self.base_urls:
                url = f"{base.rstrip('/')}/api/games/{self.game_id}/export"
                try:
                    saved = await asyncio.to_thread(http_json, "GET", url, None, self.token, 30.0)
                except OSError as exc:  # that process is down: ask the next one
                    error = exc
                    continue
                except ClientError as exc:
                    if exc.code != "owner_unreachable":
                        raise
                    error = exc
                    continue
                self.result.scores = dict(saved.get("scores") or {})
                self.result.outcome = saved.get("outcome")
                return
            assert error is not None
            if time.monotonic() > deadline:
                raise error
            await asyncio.sleep(0.5)


async def claim_seat(
    base_url: str, game_id: str, role: str, player: str = "", join_code: str | None = None
) -> str:
    """Claim an open seat over REST (a private game needs its ``join_code``); returns its token."""
    url = f"{base_url.rstrip('/')}/api/games/{game_id}/seats/{role}/claim"
    body: dict[str, Any] = {"player": player}
    if join_code is not None:
        body["join_code"] = join_code
    out = await asyncio.to_thread(http_json, "POST", url, body)
    return str(out["seat_token"])


async def create_game(base_url: str, **body: Any) -> dict[str, Any]:
    """Create a game over REST (``POST /api/games``); returns the server's reply."""
    return await asyncio.to_thread(http_json, "POST", f"{base_url.rstrip('/')}/api/games", body)


async def play_seat_async(
    base_url: str,
    game_id: str | None,
    scenario: str,
    role: str,
    policy: Policy,
    *,
    token: str | None = None,
    seed: int | None = None,
    timeout: float = 120.0,
) -> SeatResult:
    """Claim ``role`` (or use ``token``) in ``game_id`` and play it to the end.

    With ``game_id`` None a game of ``scenario`` is created with ``role`` as its only human
    seat (every other seat a bot). Raises ``ClientError`` if the server refuses.
    """
    if game_id is None:
        new = await create_game(
            base_url, scenario=scenario, seed=seed, single_player=True, seat=role
        )
        game_id, token = str(new["game_id"]), str(new["seat_token"])
    elif token is None:
        token = await claim_seat(base_url, game_id, role)
    client = SeatClient(base_url, game_id, token, policy, seed=seed or 0, timeout=timeout)
    return await client.run()


def play_seat(
    base_url: str,
    game_id: str | None,
    scenario: str,
    role: str,
    policy: Policy,
    *,
    token: str | None = None,
    seed: int | None = None,
    timeout: float = 120.0,
) -> SeatResult:
    """Synchronous ``play_seat_async``: play one seat to the end and return the result."""
    return asyncio.run(
        play_seat_async(
            base_url, game_id, scenario, role, policy, token=token, seed=seed, timeout=timeout
        )
    )
