"""Why a saved game or a game log cannot be replayed."""

from __future__ import annotations


class ReplayError(ValueError):
    """A saved game does not replay to the hashes it records (or cannot be read)."""

    def __init__(self, message: str, turn: int | None = None) -> None:
        super().__init__(message)
        self.turn = turn


class RulesVersionError(ReplayError):
    """A game was played under other rules than these; it cannot be replayed here."""

    def __init__(self, saved: str, current: str) -> None:
        super().__init__(
            f"this game was played under rules {saved}; this installation runs rules {current}. "
            f"Replay it with a Precipice release of rules {saved}."
        )
        self.saved = saved
        self.current = current
