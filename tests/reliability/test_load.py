"""Load, small CI version of ``benchmarks/load.py``: concurrent games, no error, no lost order."""

from __future__ import annotations

from benchmarks.load import run_load


def test_small_load_loses_nothing() -> None:
    res = run_load(games=6, seconds=3, echo=4, timeout=120)
    print(res.table())
    assert res.ok, res.table()
    assert res.check.acked > 0 and res.tally.echo
