"""The registry of games on this server: create, load (rebuild from the log), import, fork.

At start-up every live game is rebuilt by folding its log (hash-checked); finished games
are loaded on first use. One ``GameSession`` per game, each with its own lock, so one
game's turn never blocks another's traffic. A stored game created under other rules
cannot be rebuilt here: the hub remembers it (``stale``) so the lobby can list it as
needing an upgrade and every route can refuse it with a typed error.
"""

from __future__ import annotations

import asyncio
import logging
import random
from dataclasses import dataclass
from typing import Any, cast

import anyio.to_thread
from sqlalchemy.orm import Session

from agents.bots import PERSONALITIES
from agents.saved import ReplayError, RulesVersionError, SavedGame, replay, to_saved
from rules import RULES_VERSION
from rules.scenario import ScenarioError, load_scenario
from rules.views import RoleKind
from server.db import repo
from server.db.models import GameRow, SeatRow
from server.fold import Entry, export_log, fold, start_model
from server.payloads import SeatMode
from server.security import new_game_id, new_token, token_hash
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
    info: dict[str, Any]
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
    }


def _load(s: Session, game_id: str) -> tuple[GameRow, list[SeatRow], list[Entry]] | None:
    row = repo.get_game(s, game_id)
    if row is None:
        return None
    entries = [
        Entry(e.seq, e.turn, e.kind, e.data, e.at.isoformat()) for e in repo.log_entries(s, game_id)
    ]
    return row, repo.seats(s, game_id), entries


class Hub:
    """Every game this server holds in memory, and the connection count."""

    def __init__(self, settings: Settings, store: Store) -> None:
        self.settings = settings
        self.store = store
        self.games: dict[str, GameSession] = {}
        self.stale: dict[str, StaleGame] = {}
        self.connections = 0
        self._loading = asyncio.Lock()

    async def start(self) -> None:
        """Rebuild every live game from its log and arm its clocks.

        A game that cannot be rebuilt (other rules, a log that does not replay) is logged
        and left out; the server starts all the same.
        """
        rows = await self.store.run(lambda s: [r.id for r in repo.list_games(s, "live")])
        for gid in rows:
            try:
                await self.get(gid)
            except RulesVersionError as exc:
                log.warning("game %s needs an upgrade: %s", gid, exc)
            except ReplayError as exc:
                log.error("game %s could not be rebuilt: %s", gid, exc)

    async def shutdown(self) -> None:
        """Stop every game's timers and sockets."""
        for game in list(self.games.values()):
            await game.shutdown()

    async def get(self, game_id: str) -> GameSession | None:
        """The game with this id, rebuilt from the database if not in memory.

        Raises:
            RulesVersionError: if it was created under other rules (remembered in ``stale``).
            ReplayError: if its log does not replay to the hashes it recorded.
        """
        game = self.games.get(game_id)
        if game is not None:
            return game
        if game_id in self.stale:
            raise self.stale[game_id].error
        async with self._loading:
            if game_id in self.games:
                return self.games[game_id]
            loaded = await self.store.run(lambda s: _load(s, game_id))
            if loaded is None:
                return None
            row, seat_rows, entries = loaded
            try:
                game = await anyio.to_thread.run_sync(self._build, row, seat_rows, entries)
            except RulesVersionError as exc:
                self.stale[game_id] = StaleGame(game_id, _row_info(row), exc)
                raise
            self.games[game_id] = game
            game.start()
        await self._catch_up(game)
        return game

    async def _catch_up(self, game: GameSession) -> None:
        """Resolve a turn whose last order was committed just before a crash.

        Every present human may already have submitted (their orders are in the log) while
        the turn's resolution was never committed: nobody would submit again, so without
        this the game would wait for ever (or for its deadline).
        """
        async with game.lock:
            try:
                await game.maybe_resolve()
            except Exception:
                log.exception("game %s: resolving a caught-up turn failed", game.id)

    def _build(self, row: GameRow, seat_rows: list[SeatRow], entries: list[Entry]) -> GameSession:
        model = start_model(
            row.scenario, row.seed, row.overrides, row.personalities, row.rules_version
        )
        folded = fold(model, entries, row.settings.get("deadline_seconds"))
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
    ) -> NewGame:
        """Create a game; ``claim`` seats a person at once (single player).

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
        model = start_model(scenario, seed, overrides, {}, RULES_VERSION)
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
        n = await self.store.run(lambda s: repo.count_live_games_by(s, creator))
        if n >= self.settings.max_games_per_creator:
            raise LobbyError(
                "too_many_games",
                f"at most {self.settings.max_games_per_creator} live games per creator",
                429,
            )
        gid, fac = new_game_id(), new_token()
        tokens: dict[str, str] = {}
        seats = []
        for role in kinds:
            mode, digest, who = ("open" if role in opened else "bot"), None, ""
            if role == claim:
                tokens[role] = new_token()
                mode, digest, who = "human", token_hash(tokens[role]), player
            seats.append(
                SeatRow(game_id=gid, role_id=role, mode=mode, token_hash=digest, player=who)
            )
        row = GameRow(
            id=gid,
            scenario=scenario,
            overrides=overrides,
            seed=seed,
            rules_version=RULES_VERSION,
            personalities=personalities,
            settings={"deadline_seconds": deadline_seconds, "open_seats": opened},
            status="live",
            creator=creator,
            facilitator_hash=token_hash(fac),
            parent_id=parent_id,
            fork_turn=fork_turn,
            created_at=repo.now(),
        )

        def work(s: Session) -> None:
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

        await self.store.run(work)
        game = await self.get(gid)
        assert game is not None
        if game.model.done:
            game.info["status"] = "over"
            await self.store.run(lambda s: repo.set_status(s, gid, "over"))
        return NewGame(game, fac, tokens)

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

        Raises:
            ReplayError: the file does not replay (names the turn). LobbyError: as ``create``.
        """
        await anyio.to_thread.run_sync(lambda: replay(saved, upto=upto, collect=False))
        turns = saved.turns[: upto if upto is not None else len(saved.turns)]
        rows: list[tuple[int, str, dict[str, Any]]] = (
            [(0, "imported", {"entry": e}) for e in saved.log] if upto is None else []
        )
        for st in turns:
            rows += [(st.turn, "order", {"role": r, "order": o}) for r, o in st.orders.items()]
            rows += [(st.turn, "inject", {"event": e}) for e in st.events]
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
        )
