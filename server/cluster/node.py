"""This process's part in a cluster: its id and URL, its leases, takeover, and notifications.

Every ``lease_seconds / 3`` the node renews its leases in one statement (a game whose
lease another process took meanwhile is dropped here: its sockets are closed with 4409
naming the new owner), then takes over every live game whose lease expired (its owner
died or hung): ``Hub.get`` folds the log, re-arms the clocks and accepts the reconnects.

Lease moves reach every process through PostgreSQL ``LISTEN/NOTIFY``
on the cluster's own database rather than Redis pub/sub: a notification sent in the
transaction that moves a lease is delivered only if that transaction commits, so a
process never hears of a move that did not happen, and a cluster needs nothing but the
database it already shares. A notification is only a hint that saves a round trip; the
lease row, checked on every log append, is the authority. Lobby changes need no message:
the lobby listing is read from the shared database on every request (``server.listing``),
so every process lists the same games, and a claim or release is forwarded to the owner.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
import socket
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

import psycopg
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from server.cluster import leases
from server.settings import Settings
from server.store import Store

if TYPE_CHECKING:
    from server.hub import Hub

log = logging.getLogger("precipice.cluster")


class NotOwner(LookupError):
    """Another live process owns this game: talk to it at ``url``."""

    def __init__(self, game_id: str, url: str) -> None:
        super().__init__(f"game {game_id!r} is served by {url}")
        self.game_id = game_id
        self.url = url


class ClusterConfigError(ValueError):
    """The settings cannot run a cluster (SQLite, or no public URL)."""


def check_config(settings: Settings) -> None:
    """Refuse a cluster on anything but PostgreSQL, with a clear message.

    Raises:
        ClusterConfigError: naming what to change.
    """
    if settings.public_url is None:
        return
    backend = make_url(settings.database_url).get_backend_name()
    if backend != "postgresql":
        raise ClusterConfigError(
            f"--public-url joins a cluster of servers sharing one PostgreSQL database; "
            f"this DATABASE_URL is {backend}, which serves one process only. Set "
            "DATABASE_URL=postgresql+psycopg://... or drop --public-url."
        )
    if not settings.public_url.startswith(("http://", "https://")):
        raise ClusterConfigError("--public-url must be an absolute http:// or https:// URL")


def ws_url(base: str, game_id: str) -> str:
    """The absolute websocket URL of a game on the process at ``base``."""
    return base.rstrip("/").replace("http", "ws", 1) + f"/ws/games/{game_id}"


class Node:
    """One process of the cluster."""

    def __init__(self, settings: Settings, store: Store) -> None:
        assert settings.public_url is not None
        self.url = settings.public_url.rstrip("/")
        self.peer_url = (settings.peer_url or settings.public_url).rstrip("/")
        self.id = f"{socket.gethostname()[:32]}-{os.getpid()}-{secrets.token_hex(4)}"
        self.seconds = settings.lease_seconds
        self.database_url = settings.database_url
        self.store = store
        self.epochs: dict[str, int] = {}
        self.owners: dict[str, str] = {}
        self.takeovers = 0
        self._tasks: list[asyncio.Task[None]] = []
        self._hub: Hub | None = None

    # ----- leases ----------------------------------------------------------------------

    async def take(self, game_id: str) -> None:
        """Take the game's lease, or raise ``NotOwner`` naming the live process that holds it."""
        epoch = await self.store.run(
            lambda s: leases.acquire(s, game_id, self.id, self.url, self.seconds, self.peer_url)
        )
        if epoch is None:
            lease = await self.store.run(lambda s: leases.lookup(s, game_id))
            raise NotOwner(game_id, lease.url if lease else self.url)
        self.epochs[game_id] = epoch
        self.owners[game_id] = self.url

    def lease_new(self, s: Session, game_id: str) -> int | None:
        """Lease a game being created, in its creating transaction (call ``held`` after commit)."""
        return leases.acquire(s, game_id, self.id, self.url, self.seconds, self.peer_url)

    def held(self, game_id: str, epoch: int) -> None:
        """This process holds the game at ``epoch`` (its lease committed)."""
        self.epochs[game_id] = epoch
        self.owners[game_id] = self.url

    async def owner(self, game_id: str) -> str | None:
        """Where to reach the live process owning the game (its peer URL), if not this one."""
        if self._hub is not None and game_id in self._hub.games:
            return None
        lease = await self.store.run(lambda s: leases.lookup(s, game_id))
        if lease is None or not lease.alive or lease.owner == self.id:
            return None
        return lease.peer_url

    def guard(self, game_id: str) -> Callable[[Session], None]:
        """The check every log append of this game runs in its transaction (owner and epoch)."""
        epoch = self.epochs[game_id]

        def check(s: Session) -> None:
            leases.check(s, game_id, self.id, epoch, self.seconds)

        return check

    def forget(self, game_id: str) -> None:
        """This process no longer holds the game."""
        self.epochs.pop(game_id, None)

    # ----- the loop ----------------------------------------------------------------------

    def start(self, hub: Hub) -> None:
        """Start renewing, taking over and listening (in the running event loop)."""
        self._hub = hub
        loop = asyncio.get_running_loop()
        self._tasks = [loop.create_task(self._run()), loop.create_task(self._listen())]

    async def stop(self) -> None:
        """Stop the loops and let this process's leases expire now (a clean handover)."""
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(BaseException):
                await task
        with contextlib.suppress(Exception):
            await self.store.run(lambda s: leases.release(s, self.id))

    async def _run(self) -> None:
        while True:
            try:
                await self.tick()
            except Exception:
                log.exception("cluster: renew/takeover round failed")
            await asyncio.sleep(self.seconds / 3)

    async def tick(self) -> None:
        """One round: renew this process's leases, drop lost games, take over orphans."""
        hub = self._hub
        assert hub is not None
        held = await self.store.run(lambda s: leases.renew(s, self.id, self.seconds))
        for gid in list(hub.games):
            if held.get(gid) != self.epochs.get(gid):
                lease = await self.store.run(partial(leases.lookup, game_id=gid))
                await hub.drop(gid, lease.url if lease else None)
        orphans = await self.store.run(lambda s: leases.orphans(s) + leases.unleased(s))
        for gid in orphans:
            if gid in hub.games:
                continue
            try:
                await hub.get(gid)
            except NotOwner:
                continue  # another process was quicker
            except Exception:
                log.exception("cluster: taking over game %s failed", gid)
                continue
            self.takeovers += 1
            log.warning("cluster: took over game %s", gid)

    async def _listen(self) -> None:
        """Follow lease moves announced by other processes (``LISTEN/NOTIFY``)."""
        url = make_url(self.database_url).set(drivername="postgresql")
        dsn = url.render_as_string(hide_password=False)
        while True:
            try:
                async with await psycopg.AsyncConnection.connect(dsn, autocommit=True) as conn:
                    await conn.execute(f"LISTEN {leases.CHANNEL}")
                    async for note in conn.notifies():
                        await self._heard(note.payload)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("cluster: LISTEN connection lost; reconnecting")
                await asyncio.sleep(self.seconds / 3)

    async def _heard(self, payload: str) -> None:
        """A notification: a lease moved (``lease GAME URL``) or a process left."""
        parts = payload.split()
        if len(parts) != 3 or parts[0] != "lease":
            return
        gid, url = parts[1], parts[2]
        self.owners[gid] = url
        hub = self._hub
        if hub is not None and url != self.url and gid in hub.games:
            await hub.drop(gid, url)
