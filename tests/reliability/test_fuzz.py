"""Bad input, CI version of ``benchmarks/fuzz.py``: every hostile message a typed error, nothing changes."""

from __future__ import annotations

from benchmarks.fuzz import run_fuzz


def test_fuzz_typed_errors_and_no_change() -> None:
    res = run_fuzz(1500, seed=1)
    print(res.table())
    assert res.ok, res.table()
    assert len(res.tally.sent) >= 40  # many kinds of attack were tried
