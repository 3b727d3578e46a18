"""The lobby listing: cards of public games read from the database, never by folding a game.

A card says what a passer-by needs to pick a game: its scenario, phase, turn and quarter,
its seats (who plays each, and which are open), when it was made and under which rules.
Nothing secret is on it (no seed, no join code, no token). A game made under other rules
than this server's is listed as ``needs_upgrade`` with both versions named.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Literal, NotRequired, TypedDict

from rules import RULES_VERSION
from rules.scenario import ScenarioError, load_scenario
from server.db.models import GameRow
from server.db.repo import SeatBrief
from server.payloads import Phase, SeatMode


class CardSeat(TypedDict):
    """A seat on a lobby card: its role, who plays it (bot, open, human) and the player's name."""

    role: str
    mode: SeatMode
    player: str


class GameCard(TypedDict):
    """A public game in the lobby listing."""

    game_id: str
    scenario: str
    status: Literal["live", "over", "needs_upgrade"]
    phase: Phase
    turn: int
    quarter: str | None
    seats: list[CardSeat]
    open_seats: list[str]
    created_at: str
    parent_id: str | None
    fork_turn: int | None
    rules_version: str
    current_rules_version: str
    stored_status: NotRequired[str]
    message: NotRequired[str]


class GameList(TypedDict):
    """One page of the lobby listing."""

    games: list[GameCard]
    total: int
    limit: int
    offset: int


@lru_cache(maxsize=64)
def _start(scenario: str) -> tuple[int, int] | None:
    try:
        spec = load_scenario(scenario)
    except (ScenarioError, KeyError, ValueError):
        return None
    return spec.start_year, spec.start_quarter


def quarter_of(scenario: str, turn: int) -> str | None:
    """The quarter label (``2027-Q3``) of ``turn`` in ``scenario`` (None if it no longer loads)."""
    start = _start(scenario)
    if start is None:
        return None
    q = start[0] * 4 + start[1] - 1 + turn
    return f"{q // 4}-Q{q % 4 + 1}"


def card(row: GameRow, seats: list[SeatBrief]) -> GameCard:
    """A game's lobby card from its row and seats."""
    stale = row.rules_version != RULES_VERSION
    out: GameCard = {
        "game_id": row.id,
        "scenario": row.scenario,
        "status": "needs_upgrade" if stale else ("over" if row.phase == "over" else "live"),
        "phase": row.phase,  # type: ignore[typeddict-item]
        "turn": row.turn,
        "quarter": quarter_of(row.scenario, row.turn),
        "seats": [
            {"role": s.role_id, "mode": s.mode, "player": s.player}  # type: ignore[typeddict-item]
            for s in seats
        ],
        "open_seats": [s.role_id for s in seats if s.mode == "open"],
        "created_at": row.created_at.isoformat(),
        "parent_id": row.parent_id,
        "fork_turn": row.fork_turn,
        "rules_version": row.rules_version,
        "current_rules_version": RULES_VERSION,
    }
    if stale:
        out["stored_status"] = row.status
        out["message"] = (
            f"game {row.id!r} was created under rules {row.rules_version}; this server runs "
            f"rules {RULES_VERSION}, so it cannot be played, exported or replayed here until "
            "it is upgraded (or served by a release of its rules)"
        )
    return out
