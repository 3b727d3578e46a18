"""The registry of games on this server: create, load (rebuild from the log), import, fork.

At start-up every game being played is rebuilt by folding its log (hash-checked); games
in the lobby, over or abandoned are loaded on first use, and leave memory again once
nobody has used them for ``PRECIPICE_EVICT_IDLE_SECONDS``. One ``GameSession`` per game, each with its own lock, so one
game's turn never blocks another's traffic. A stored game created under other rules
cannot be rebuilt here: the hub remembers it (``stale``) so every route can refuse it with
a typed error naming both rules versions (the lobby lists it as needing an upgrade from
the database, ``server.listing``).
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from dataclasses import dataclass
from typing import Any, cast

import anyio.to_thread
from sqlalchemy.orm import Session

from agents.bots import PERSONALITIES
from agents.saved import (
    ReplayError,
    RulesVersionError,
    SavedGame,
    replay,
    saved_reseeds,
    to_saved,
)
from rules import RULES_VERSION
from rules.scenario import ScenarioError, load_scenario
from rules.views import RoleKind
from server.cluster.node import Node, ws_url
from server.db import repo
from server.db.models import GameRow, SeatRow
from server.fold import IMPORTED, Entry, export_log, fold, start_model
from server.payloads import SeatMode, Visibility
from server.security import (
    new_game_id,
    new_game_secret,
    new_join_code,
    new_link_key,
    new_nonce,
    new_token,
    seat_token,
    token_hash,
)
from server.session import GameSession, Seat
from server.settings import Settings
from server.store import Store

log = logging.getLogger("precipice.hub")


class LobbyError(ValueError):
    """A request the lobby refuses; ``code`` is the JSON error code, ``status`` the HTTP status."""

    def __init__(self, code: str, message: str, status: int = 422) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status


@dataclass(slots=True)
class NewGame:
    """What creating (importing, forking) a game hands back: the only copy of its tokens."""

    game: GameSession
    facilitator_token: str
    seat_tokens: dict[str, str]


@dataclass(frozen=True, slots=True)
class StaleGame:
    """A stored game created under other rules than this server's: listed, never played here."""

    game_id: str
    error: RulesVersionError

    @property
    def message(self) -> str:
        """Why it cannot be played here, naming both rules versions."""
        return (
            f"game {self.game_id!r} was created under rules {self.error.saved}; this server "
            f"runs rules {self.error.current}, so it cannot be played, exported or replayed "
            "here until it is upgraded (or served by a release of its rules)"
        )


def _row_info(row: GameRow) -> dict[str, Any]:
    return {
        "scenario": row.scenario,
        "seed": row.seed,
        "overrides": row.overrides,
        "status": row.status,
        "personalities": row.personalities,
        "settings": row.settings,
        "parent_id": row.parent_id,
        "fork_turn": row.fork_turn,
        "created_at": row.created_at.isoformat(),
        "rules_version": row.rules_version,
        "phase": row.phase,
        "visibility": row.visibility,
        "join_code": row.join_code,
        "link_key": row.link_key,
    }


def _load(s: Session, game_id: str) -> tuple[GameRow, list[SeatRow], list[Entry]] | None:
    row = repo.get_game(s, game_id)
    if row is None:
        return None
    entries = [
        Entry(e.seq, e.turn, e.kind, e.data, e.at.isoformat()) for e in repo.log_entries(s, game_id)
    ]
    return row, repo.seats(s, game_id), entries


def _fork_reseeds(saved: SavedGame, upto: int | None) -> dict[int, str]:
    """The fork secrets of a game forked from ``saved`` at ``upto``: the parent's before it, a fresh one at it."""
    turn = len(saved.turns) if upto is None else upto
    return {t: s for t, s in saved_reseeds(saved).items() if t < turn} | {turn: new_game_secret()}


class Hub:
    """Every game this server holds in memory, and the connection count."""

    def __init__(self, settings: Settings, store: Store, node: Node | None = None) -> None:
        self.settings = settings
        self.store = store
        self.node = node
        self.games: dict[str, GameSession] = {}
        self.stale: dict[str, StaleGame] = {}
        self.connections = 0
        self._loading = asyncio.Lock()
        self._sweeper: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Rebuild every game being played from its log and arm its clocks.

        Games in the lobby, over or abandoned are not rebuilt: they are folded on first use.

        A game that cannot be rebuilt (other rules, a log that does not replay) is logged
        and left out; the server starts all the same. In a cluster, the node's loop takes
        the games nobody holds instead (each process its share).
        """
        rows: list[str] = []
        if self.node is not None:
            self.node.start(self)
        else:
            rows = await self.store.run(lambda s: repo.game_ids_in_phase(s, "playing"))
        for gid in rows:
            try:
                await self.get(gid)
            except RulesVersionError as exc:
                log.warning("game %s needs an upgrade: %s", gid, exc)
            except ReplayError as exc:
                log.error("game %s could not be rebuilt: %s", gid, exc)
        self._sweeper = asyncio.get_running_loop().create_task(self._sweep())

    async def shutdown(self) -> None:
        """Stop the sweeper, every game's timers and sockets (and hand this process's leases back)."""
        if self._sweeper is not None:
            self._sweeper.cancel()
        if self.node is not None:
            await self.node.stop()
        for game in list(self.games.values()):
            await game.shutdown()

    async def _sweep(self) -> None:
        """Now and then, let games nobody plays or uses leave memory (see ``evict_idle``)."""
        every = min(30.0, max(0.05, self.settings.evict_idle_seconds / 3))
        while True:
            await asyncio.sleep(every)
            try:
                await self.evict_idle()
            except Exception:
                log.exception("evicting idle games failed")

    async def evict_idle(self) -> list[str]:
        """Drop idle games that are not being played from memory; their ids.

        A game in the lobby, over or abandoned, with no socket, unused for
        ``evict_idle_seconds``, goes; it is folded again from its log when needed.
        """
        limit = time.monotonic() - self.settings.evict_idle_seconds
        gone = []
        for gid, game in list(self.games.items()):
            if game.phase == "playing" and not game.over:
                continue
            if game.last_used > limit or game.connections() or game.lock.locked():
                continue
            async with game.lock:
                if game.connections() or self.games.get(gid) is not game:
                    continue
                del self.games[gid]
                await game.shutdown()
            gone.append(gid)
        return gone

    def ws_url(self, game_id: str) -> str:
        """Where a game's websocket is: absolute in a cluster (this process), else a path."""
        if self.node is not None:
            return ws_url(self.node.url, game_id)
        return f"/ws/games/{game_id}"

    async def drop(self, game_id: str, owner_url: str | None) -> None:
        """Forget a game another process took over: its sockets close with 4409 naming the owner."""
        game = self.games.pop(game_id, None)
        if self.node is not None:
            self.node.forget(game_id)
        if game is None:
            return
        log.warning("game %s moved to %s; dropping it here", game_id, owner_url)
        where = ws_url(owner_url, game_id) if owner_url else ""
        await game.shutdown(4409, where)

    async def get(self, game_id: str) -> GameSession | None:
        """The game with this id, rebuilt from the database if not in memory.

        Raises:
            RulesVersionError: if it was created under other rules (remembered in ``stale``).
            ReplayError: if its log does not replay to the hashes it recorded.
        """
        game = self.games.get(game_id)
        if game is not None:
            game.touch()
            return game
        if game_id in self.stale:
            raise self.stale[game_id].error
        async with self._loading:
            if game_id in self.games:
                return self.games[game_id]
            if self.node is not None and game_id not in self.node.epochs:
                exists = await self.store.run(lambda s: repo.get_game(s, game_id) is not None)
                if not exists:
                    return None
                await self.node.take(game_id)
            loaded = await self.store.run(lambda s: _load(s, game_id))
            if loaded is None:
                return None
            row, seat_rows, entries = loaded
            try:
                game = await anyio.to_thread.run_sync(self._build, row, seat_rows, entries)
            except RulesVersionError as exc:
                self.stale[game_id] = StaleGame(game_id, exc)
                raise
            if self.node is not None:
                game.log.guard = self.node.guard(game_id)
            self.games[game_id] = game
            game.start()
        await self._catch_up(game)
        return game

    async def _catch_up(self, game: GameSession) -> None:
        """Resolve a turn that was due when the server stopped.

        Every present human may already have submitted (their orders are in the log) while
        the turn's resolution was never committed: nobody would submit again, so without
        this the game would wait for ever (or for its deadline). A ``force_turn`` logged
        without its resolution (a log written before the two were one transaction) is
        carried out now. A failure is retried and reported (``GameSession.settle``).
        """
        async with game.lock:
            forced = game.forced_pending and game.running
            game.forced_pending = False
            await game.settle("forced" if forced else "all_submitted")

    def _build(self, row: GameRow, seat_rows: list[SeatRow], entries: list[Entry]) -> GameSession:
        model = start_model(
            row.scenario, row.seed, row.overrides, row.personalities, row.rules_version, row.secret
        )
        reseeds = {int(t): str(s) for t, s in row.reseeds or []}
        folded = fold(model, entries, row.settings.get("deadline_seconds"), reseeds)
        by_role = {s.role_id: s for s in seat_rows}
        seats = []
        for r in model.roles():
            sr = by_role.get(r["id"])
            seats.append(
                Seat(
                    r["id"],
                    cast(RoleKind, r["kind"]),
                    r["name"],
                    cast(SeatMode, sr.mode) if sr else "bot",
                    sr.token_hash if sr else None,
                    sr.player if sr else "",
                    token_nonce=sr.token_nonce if sr else None,
                )
            )
        info = _row_info(row) | {"entries": None}
        return GameSession(
            row.id, info, folded, seats, row.facilitator_hash, self.store, self.settings
        )

    async def entries(self, game_id: str) -> list[Entry]:
        """A game's log (for export)."""
        loaded = await self.store.run(lambda s: _load(s, game_id))
        return loaded[2] if loaded else []

    async def export(self, game: GameSession) -> SavedGame:
        """The game as one saved-game document (with the server log)."""
        entries = await self.entries(game.id)
        async with game.lock:
            return to_saved(game.model, export_log(entries))

    async def create(
        self,
        *,
        scenario: str,
        seed: int | None,
        overrides: dict[str, Any],
        personalities: dict[str, str],
        open_seats: list[str] | None,
        deadline_seconds: float | None,
        creator: str,
        claim: str | None = None,
        player: str = "",
        log_rows: list[tuple[int, str, dict[str, Any]]] | None = None,
        parent_id: str | None = None,
        fork_turn: int | None = None,
        visibility: Visibility | None = None,
        secret: str | None = None,
        fresh_secret: bool = True,
        reseeds: dict[int, str] | None = None,
    ) -> NewGame:
        """Create a game; ``claim`` seats a person at once (single player).

        A new exercise waits in the lobby for its facilitator to start it; a single-player
        game, an import and a fork are played at once. ``visibility`` defaults to
        ``private`` for an exercise (it gets a join code) and ``public`` for single player.
        The creation quota (games per client address over a sliding window) is counted and
        the game inserted in one transaction, serialised per creator, so it cannot be raced.

        The game gets a new random secret mixed with its seed (``agents.seeds.game_rng``),
        unless ``fresh_secret`` is false: then ``secret`` is kept (an imported or forked
        game continues the randomness it was recorded with; None: the seed alone), and
        ``reseeds`` (turn: secret) switch to a fork's fresh secrets.

        Raises:
            LobbyError: unknown scenario or role, a non-race scenario, bad personality, too many games.
        """
        try:
            spec = load_scenario(scenario, {k: str(v) for k, v in overrides.items()})
        except ScenarioError as exc:
            raise LobbyError("bad_scenario", str(exc)) from None
        if spec.mode != "race":
            raise LobbyError(
                "not_playable", f"scenario {scenario!r} is a one-shot analysis, not a playable race"
            )
        seed = random.SystemRandom().randrange(2**31) if seed is None else seed
        if fresh_secret:
            secret = new_game_secret()
        model = start_model(scenario, seed, overrides, {}, RULES_VERSION, secret)
        kinds = {r["id"]: r["kind"] for r in model.roles()}
        for role, pers in personalities.items():
            if role not in kinds:
                raise LobbyError("unknown_role", f"no role {role!r} in scenario {scenario!r}")
            if pers not in PERSONALITIES[kinds[role]]:
                raise LobbyError(
                    "bad_personality",
                    f"{role}: {pers!r} is not one of {list(PERSONALITIES[kinds[role]])}",
                )
        opened = list(kinds) if open_seats is None else list(open_seats)
        if claim is not None and claim not in opened:
            opened.append(claim)
        for role in opened:
            if role not in kinds:
                raise LobbyError("unknown_role", f"no role {role!r} in scenario {scenario!r}")
        if visibility is None:
            visibility = "public" if claim is not None else "private"
        starts_now = claim is not None or log_rows is not None
        gid, fac, link_key = new_game_id(), new_token(), new_link_key()
        tokens: dict[str, str] = {}
        seats = []
        for role in kinds:
            mode, digest, who, nonce = ("open" if role in opened else "bot"), None, "", None
            if role == claim:
                nonce = new_nonce()
                tokens[role] = seat_token(link_key, gid, role, nonce)
                mode, digest, who = "human", token_hash(tokens[role]), player
            seats.append(
                SeatRow(
                    game_id=gid,
                    role_id=role,
                    mode=mode,
                    token_hash=digest,
                    player=who,
                    token_nonce=nonce,
                )
            )
        row = GameRow(
            id=gid,
            scenario=scenario,
            overrides=overrides,
            seed=seed,
            secret=secret,
            reseeds=[[t, s] for t, s in sorted((reseeds or {}).items())] or None,
            rules_version=RULES_VERSION,
            personalities=personalities,
            settings={"deadline_seconds": deadline_seconds, "open_seats": opened},
            status="live",
            creator=creator,
            facilitator_hash=token_hash(fac),
            parent_id=parent_id,
            fork_turn=fork_turn,
            created_at=repo.now(),
            phase="playing" if starts_now else "lobby",
            visibility=visibility,
            join_code=new_join_code() if visibility == "private" else None,
            link_key=link_key,
            turn=sum(1 for _, kind, _ in log_rows or [] if kind == "turn_resolved"),
        )
        quota, window = self.settings.max_games_per_creator, self.settings.creation_window_seconds

        def work(s: Session) -> int | None:
            if not repo.note_creation(s, creator, quota, window):
                raise LobbyError(
                    "too_many_games",
                    f"at most {quota} games per client address in {window:g} seconds",
                    429,
                )
            repo.add_game(s, row, seats)
            for seq, (turn, kind, data) in enumerate(log_rows or [], start=1):
                repo.append_log(s, gid, seq, turn, kind, data)
            if claim is not None:
                repo.append_log(
                    s,
                    gid,
                    len(log_rows or []) + 1,
                    model.turn if not log_rows else log_rows[-1][0] + 1,
                    "seat",
                    {"role": claim, "change": "claimed", "player": player},
                )
            # In a cluster the creator owns the game from the start (the same transaction).
            return self.node.lease_new(s, gid) if self.node is not None else None

        epoch = await self.store.run(work)
        if self.node is not None and epoch is not None:
            self.node.held(gid, epoch)
        game = await self.get(gid)
        assert game is not None
        if game.model.done:
            game.info["status"] = "over"
            await self.store.run(lambda s: repo.set_status(s, gid, "over"))
        return NewGame(game, fac, tokens)

    async def delete(self, game: GameSession) -> None:
        """Delete a game: its row, seats and log go, every socket is closed (4404), memory freed."""
        async with game.lock:
            await self.store.run(lambda s: repo.delete_game(s, game.id))
            self.games.pop(game.id, None)
            await game.shutdown(4404)

    async def from_saved(
        self,
        saved: SavedGame,
        creator: str,
        upto: int | None = None,
        parent_id: str | None = None,
        open_seats: list[str] | None = None,
        deadline_seconds: float | None = None,
    ) -> NewGame:
        """Replay a saved game (to turn ``upto``), verify it, and start a new live game from there.

        A fork (``parent_id``) draws the rest of its game from a fresh secret from turn
        ``upto`` on, so the parent's seed and secret (public once it is over) do not rebuild it.

        Raises:
            ReplayError: the file does not replay (names the turn). LobbyError: as ``create``.
        """
        await anyio.to_thread.run_sync(lambda: replay(saved, upto=upto, collect=False))
        turns = saved.turns[: upto if upto is not None else len(saved.turns)]
        rows: list[tuple[int, str, dict[str, Any]]] = (
            [(0, "imported", {"entry": e}) for e in saved.log] if upto is None else []
        )
        src = {"source": IMPORTED}
        for st in turns:
            rows += [
                (st.turn, "order", {"role": r, "order": o, **src}) for r, o in st.orders.items()
            ]
            rows += [(st.turn, "inject", {"event": e, **src}) for e in st.events]
            rows.append(
                (st.turn, "turn_resolved", {"turn": st.turn, "hash": st.hash, "reason": "imported"})
            )
        return await self.create(
            scenario=saved.scenario,
            seed=saved.seed,
            overrides=saved.overrides,
            personalities=saved.personalities,
            open_seats=open_seats,
            deadline_seconds=deadline_seconds,
            creator=creator,
            log_rows=rows,
            parent_id=parent_id,
            fork_turn=upto if parent_id else None,
            secret=saved.secret,
            fresh_secret=False,
            reseeds=_fork_reseeds(saved, upto) if parent_id else saved_reseeds(saved),
        )
