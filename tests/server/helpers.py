"""Test helpers: start/stop a real server process, and a small synchronous protocol client."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from websockets.sync.client import ClientConnection, connect

from server.server_messages import SERVER_ADAPTER

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 30.0
OPEN: list[Any] = []


def close_all() -> None:
    """Close every client and HTTP client the helpers opened (called after each test)."""
    while OPEN:
        item = OPEN.pop()
        with contextlib.suppress(Exception):
            item.close()


def free_port() -> int:
    """A port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class ServerProc:
    """A ``precipice serve`` subprocess."""

    proc: subprocess.Popen[bytes]
    port: int
    db_url: str
    env: dict[str, str]
    log_path: Path
    out: Any = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def ws_url(self, game_id: str) -> str:
        return f"ws://127.0.0.1:{self.port}/ws/games/{game_id}"

    def http(self) -> httpx.Client:
        client = httpx.Client(base_url=self.base, timeout=TIMEOUT)
        OPEN.append(client)
        return client

    def kill(self) -> None:
        """SIGKILL: no shutdown, no flush."""
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(TIMEOUT)
        self._close_log()

    def _close_log(self) -> None:
        if self.out is not None:
            self.out.close()
            self.out = None

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(TIMEOUT)
            except subprocess.TimeoutExpired:
                self.kill()
        self._close_log()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


def start_server(
    db_url: str,
    env: dict[str, str] | None = None,
    port: int | None = None,
    log_level: str = "warning",
) -> ServerProc:
    """Start ``python -m server.cli serve`` and wait until ``/api/health`` answers."""
    port = port or free_port()
    full_env = {**os.environ, "DATABASE_URL": db_url, **(env or {})}
    log_path = (
        Path(db_url.removeprefix("sqlite:///") + f".{port}.log")
        if db_url.startswith("sqlite")
        else Path(f"/tmp/precipice-test-{port}.log")
    )
    out = log_path.open("wb")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "server.cli",
            "serve",
            "--port",
            str(port),
            "--log-level",
            log_level,
        ],
        cwd=ROOT,
        env=full_env,
        stdout=out,
        stderr=subprocess.STDOUT,
    )
    sp = ServerProc(proc, port, db_url, env or {}, log_path, out)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited: {sp.log()}")
        try:
            if httpx.get(f"{sp.base}/api/health", timeout=2).status_code == 200:
                return sp
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    sp.kill()
    raise RuntimeError(f"server did not start: {sp.log()}")


@dataclass
class Client:
    """A synchronous protocol client that validates every server message."""

    ws: ClientConnection
    # Kept out of the repr: a long-lived client holds megabytes of messages, and Hypothesis
    # prints its arguments (fixtures included) when it reports a failing example.
    seen: list[dict[str, Any]] = field(default_factory=list, repr=False)
    raw: list[str] = field(default_factory=list, repr=False)
    _n: int = 0

    @classmethod
    def open(cls, url: str, token: str | None = None, hello: bool = True) -> Client:
        c = cls(connect(url, open_timeout=TIMEOUT, max_size=None, max_queue=None, legacy=True))
        OPEN.append(c)
        if hello:
            reply = c.request({"type": "hello", **({"token": token} if token else {})})
            assert reply["type"] == "ack", reply
        return c

    def recv(self, timeout: float = TIMEOUT) -> dict[str, Any]:
        text = self.ws.recv(timeout=timeout)
        assert isinstance(text, str)
        self.raw.append(text)
        msg = json.loads(text)
        SERVER_ADAPTER.validate_python(msg)
        assert msg["v"] == 1
        self.seen.append(msg)
        return msg

    def send(self, msg: dict[str, Any]) -> str | int:
        self._n += 1
        mid = msg.get("id", f"m{self._n}")
        self.ws.send(json.dumps({"v": 1, "id": mid, **msg}))
        return mid

    def send_raw(self, text: str | bytes) -> None:
        self.ws.send(text)

    def reply_to(self, mid: str | int | None, timeout: float = TIMEOUT) -> dict[str, Any]:
        """Read until the ack or error for ``mid`` arrives (pushes are kept in ``seen``)."""
        end = time.monotonic() + timeout
        while True:
            msg = self.recv(max(0.1, end - time.monotonic()))
            if msg["type"] in ("ack", "error") and msg.get("id") == mid:
                return msg

    def request(self, msg: dict[str, Any]) -> dict[str, Any]:
        return self.reply_to(self.send(msg))

    def wait_for(self, kind: str, pred: Any = None, timeout: float = TIMEOUT) -> dict[str, Any]:
        """Read until a push of type ``kind`` (matching ``pred``) arrives."""
        end = time.monotonic() + timeout
        for msg in self.seen:
            if msg["type"] == kind and (pred is None or pred(msg)) and not msg.get("_used"):
                msg["_used"] = True
                return msg
        while True:
            msg = self.recv(max(0.1, end - time.monotonic()))
            if msg["type"] == kind and (pred is None or pred(msg)):
                msg["_used"] = True
                return msg

    def latest(self, kind: str) -> dict[str, Any]:
        return next(m for m in reversed(self.seen) if m["type"] == kind)

    def drain(self, quiet: float = 0.3) -> None:
        """Read whatever arrives until the socket is quiet for ``quiet`` seconds."""
        while True:
            try:
                self.recv(quiet)
            except TimeoutError:
                return

    def close(self) -> None:
        self.ws.close()


def json_keys(tree: object) -> set[str]:
    """Every dict key anywhere in a decoded JSON tree."""
    if isinstance(tree, dict):
        return set(tree) | {k for v in tree.values() for k in json_keys(v)}
    if isinstance(tree, list):
        return {k for v in tree for k in json_keys(v)}
    return set()


def create_game(http: httpx.Client, start: bool = True, **body: Any) -> dict[str, Any]:
    """Create a game (public unless ``visibility`` says otherwise) and, with ``start``, start it."""
    if not body.get("single_player"):
        body.setdefault("visibility", "public")
    r = http.post("/api/games", json=body)
    assert r.status_code == 201, r.text
    out: dict[str, Any] = r.json()
    if start and out["game"]["phase"] == "lobby":
        s = http.post(
            f"/api/games/{out['game_id']}/start",
            headers={"Authorization": f"Bearer {out['facilitator_token']}"},
        )
        assert s.status_code == 200, s.text
        out["game"] = s.json()
    return out


def claim(http: httpx.Client, game_id: str, role: str, join_code: str | None = None) -> str:
    body: dict[str, Any] = {"player": role}
    if join_code is not None:
        body["join_code"] = join_code
    r = http.post(f"/api/games/{game_id}/seats/{role}/claim", json=body)
    assert r.status_code == 201, r.text
    token: str = r.json()["seat_token"]
    return token


def default_order(obs_msg: dict[str, Any]) -> dict[str, Any]:
    """A legal order built from ``legal_actions``: every lever at its current value (first option else)."""
    order: dict[str, Any] = {}
    for lever in obs_msg["data"]["legal_actions"]:
        cur = lever.get("current")
        if lever["type"] == "choice":
            order[lever["name"]] = cur if cur in lever["options"] else lever["options"][0]
        elif lever["type"] == "number" and cur is not None:
            order[lever["name"]] = min(max(cur, lever["min"]), lever["max"])
        elif lever["type"] == "boolean" and cur is not None:
            order[lever["name"]] = bool(cur)
    return order
