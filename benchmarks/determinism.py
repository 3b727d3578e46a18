"""Full determinism check (issue 6): N random games (mixed scenarios, seeds, human-like
orders and injected events) saved to JSON and replayed; every turn's hash must match.

Run: ``uv run python benchmarks/determinism.py [--games 1000]``; prints the tally and exits 1
on any mismatch.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

import numpy as np

from agents.saved import ReplayError, load_saved, new_model, replay, to_saved
from rules.scenario import SCENARIO_NAMES, load_scenario
from tests.support.fuzzplay import play_randomly


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--games", type=int, default=1000)
    args = ap.parse_args()
    race = [n for n in SCENARIO_NAMES if load_scenario(n).mode == "race"]
    t0 = time.perf_counter()
    turns = bad = humans = 0
    for k in range(args.games):
        rng = np.random.default_rng([k, 2026])
        model = new_model(race[k % len(race)], int(rng.integers(1_000_000)), collect=False)
        play_randomly(model, rng)
        humans += sum(len(h.human_orders) for h in model.history)
        try:
            again = replay(load_saved(json.loads(to_saved(model).model_dump_json())), collect=False)
            ok = [h.hash for h in again.history] == [h.hash for h in model.history]
        except ReplayError as exc:
            print(f"game {k}: {exc}")
            ok = False
        bad += not ok
        turns += len(model.history)
    dt = time.perf_counter() - t0
    print(
        f"{args.games} games, {turns} turns, {humans} human orders: {args.games - bad} replayed exactly, "
        f"{bad} mismatched ({dt:.1f} s)"
    )
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
