"""Measure every outcome claim's margin on one seed: the table of docs/model.md.

Runs each test of ``tests/agents/test_claims.py`` on fresh dice (``PRECIPICE_MC_SEED``) and
prints, for every interval a test draws, how many half-widths its centre lies from zero
(``t``; a test asserting a sign needs more than 1), or, for a bound the test holds to a
level, the interval itself. A failing test is reported, not raised.

Run: ``uv run python docs/measure_claims.py SEED [SEED ...]`` (about two minutes a seed).
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Callable
from typing import Any


def _t(centre: float, lo: float, hi: float) -> str:
    half = (hi - lo) / 2
    return f"{abs(centre) / half:.1f}" if half > 0 else "inf"


def measure(seed: int) -> list[tuple[str, list[str], str]]:
    """Each claim test's name, its intervals' margins, and whether it passed, on ``seed``."""
    os.environ["PRECIPICE_MC_SEED"] = str(seed)
    claims: Any = importlib.reload(importlib.import_module("tests.agents.test_claims"))
    seen: list[str] = []
    depth = [0]

    def wrap(name: str, show: Callable[[Any], str]) -> None:
        inner = getattr(claims, name)

        def recorded(*args: Any, **kwargs: Any) -> Any:
            depth[0] += 1
            try:
                out = inner(*args, **kwargs)
            finally:
                depth[0] -= 1
            if depth[0] == 0:
                seen.append(show(out))
            return out

        setattr(claims, name, recorded)

    wrap("paired", lambda r: _t(r[1], r[0], r[2]))
    wrap("paired_share", lambda r: _t(r[1], r[0], r[2]))
    wrap("mean_ci", lambda r: _t(r[0], *r[1]))
    wrap("hidden_share_ci", lambda r: f"{r[0]:.2f} [{r[1][0]:.2f}, {r[1][1]:.2f}]")
    wrap("spread_ci", lambda r: f"{r[0]:.2f} [{r[1][0]:.2f}, {r[1][1]:.2f}]")
    wrap("wilson", lambda r: f"[{r[0]:.2f}, {r[1]:.2f}]")
    rows = []
    for name in sorted(n for n in dir(claims) if n.startswith("test_")):
        seen.clear()
        try:
            getattr(claims, name)()
            verdict = "passed"
        except AssertionError as err:
            verdict = f"FAILED: {err}"
        rows.append((name, list(seen), verdict))
    return rows


def main(argv: list[str]) -> int:
    """Print each claim's margins for every seed given."""
    if not argv:
        sys.stderr.write(f"{__doc__}\n")
        return 2
    for seed in map(int, argv):
        sys.stdout.write(f"== seed {seed}\n")
        for name, margins, verdict in measure(seed):
            sys.stdout.write(f"{name}: {', '.join(margins)}  ({verdict})\n")
            sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
