"""Failing commits on demand: the real store, its real transaction rolled back for chosen log entries.

``Faults(store)`` wraps ``Store.commit`` (the one path every log append takes). Each unit
of work runs in its real transaction; if it added a log entry whose kind is in ``kinds``
(or whose facilitator ``action`` is), the transaction raises before it commits and is
rolled back. ``cancel`` instead lets the unit commit and then cancels the caller, as a
client that went away mid-append would.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from server.db.models import LogRow
from server.store import Store


class InjectedFailure(RuntimeError):
    """The commit this test chose to fail."""


@dataclass
class Faults:
    """Fail (or cancel after) the commits that log chosen entry kinds."""

    store: Store
    kinds: set[str] = field(default_factory=set)
    cancel: set[str] = field(default_factory=set)
    failed: list[str] = field(default_factory=list)
    game: str | None = None  # only this game's entries (None: every game's)
    _real: Callable[..., Any] | None = None

    def install(self) -> Faults:
        self._real = self.store.commit
        self.store.commit = self._commit  # type: ignore[method-assign]
        return self

    def uninstall(self) -> None:
        if self._real is not None:
            self.store.commit = self._real  # type: ignore[method-assign]

    @staticmethod
    def _kinds(rows: list[LogRow]) -> set[str]:
        out = set()
        for r in rows:
            out.add(r.kind)
            if r.kind == "facilitator":
                out.add(f"facilitator:{r.data.get('action')}")
        return out

    async def _commit(self, fn: Callable[[Session], Any]) -> Any:
        assert self._real is not None
        seen: set[str] = set()

        def rows(s: Session) -> set[LogRow]:
            return {
                o
                for o in s.new
                if isinstance(o, LogRow) and (self.game is None or o.game_id == self.game)
            }

        def work(s: Session) -> Any:
            before = rows(s)
            with s.no_autoflush:  # new rows stay in s.new (held) until we have looked
                out = fn(s)
            added = self._kinds(list(rows(s) - before))
            seen.update(added)
            hit = added & self.kinds
            if hit:
                self.failed.append(sorted(hit)[0])
                raise InjectedFailure(f"injected commit failure ({sorted(hit)[0]})")
            return out

        out = await self._real(work)
        if seen & self.cancel:
            self.failed.append("cancelled:" + sorted(seen & self.cancel)[0])
            raise asyncio.CancelledError
        return out
