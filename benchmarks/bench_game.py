"""Speed of the world model (issue 2): prints figures, asserts nothing.

- median wall time of a full default bot-only game through RaceModel (Mesa), and of the
  same game through a bare loop over the pure rules and bots (the baseline, same run);
- the share of a game's time spent in Mesa bookkeeping (1 - bare/Mesa), and inside that
  game the split between rules resolution, bot decisions and hashing (cProfile);
- sweep throughput: games per second on all cores, and the projected time of 10,000 runs.

Run: ``uv run python benchmarks/bench_game.py [--games 200] [--sweep 2000]``
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import time

import numpy as np

from agents.analysis.sweep import sweep
from agents.bots import decide
from agents.engine import default_personalities
from agents.model import RaceModel
from rules.hashing import world_hash
from rules.observe import observe, public_state
from rules.scenario import load_scenario
from rules.setup import initial_world
from rules.turn import resolve_turn


def bare_game(seed: int) -> str:
    """The same game without Mesa: rules + bots + hashes in a plain loop."""
    sc = load_scenario("baseline")
    personalities = default_personalities(sc)
    rng = np.random.default_rng(seed)
    w = initial_world(sc, rng)
    h = ""
    while not w.done:
        pub = public_state(w)
        orders = {
            r: decide(w.role_kind(r), personalities[r], observe(w, r, pub), rng)
            for r in w.role_ids()
        }
        w, _ = resolve_turn(w, orders, sc, rng)
        h = world_hash(w)
    return h


def mesa_game(seed: int) -> str:
    """A full bot-only game through RaceModel (no data collection, as in sweeps)."""
    m = RaceModel(load_scenario("baseline"), seed, collect=False)
    m.run()
    return m.history[-1].hash


def median_ms(fn, n: int) -> float:
    times = []
    for seed in range(n):
        t = time.perf_counter()
        fn(seed)
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--games", type=int, default=200)
    ap.add_argument("--sweep", type=int, default=2000)
    args = ap.parse_args()
    mesa_game(0), bare_game(0)  # warm caches
    m_ms = median_ms(mesa_game, args.games)
    b_ms = median_ms(bare_game, args.games)
    print(
        f"full default bot-only game (RaceModel, 28 turns max): median {m_ms:.2f} ms over {args.games} seeds"
    )
    print(f"same game, bare rules+bots loop (baseline):          median {b_ms:.2f} ms")
    print(
        f"ratio Mesa/bare: {m_ms / b_ms:.2f}  -> share of Mesa and the model's per-turn record"
        f" (orders as JSON, history) ~{max(0.0, 1 - b_ms / m_ms) * 100:.0f}%"
    )

    prof = cProfile.Profile()
    prof.enable()
    for seed in range(50):
        mesa_game(seed)
    prof.disable()
    st = pstats.Stats(prof)
    total = st.total_tt

    def cum(name: str) -> float:
        return sum(v[3] for k, v in st.stats.items() if k[2] == name)  # type: ignore[attr-defined]

    parts = {
        "rules (resolve_turn)": cum("resolve_turn"),
        "bots (decide)": cum("decide"),
        "hashing": cum("world_hash"),
    }
    print(
        "profile of 50 games: "
        + ", ".join(f"{k} {v / total * 100:.0f}%" for k, v in parts.items())
        + f", rest (Mesa, model glue) {max(0.0, 1 - sum(parts.values()) / total) * 100:.0f}%"
    )

    jobs = os.cpu_count() or 1
    t = time.perf_counter()
    sweep("baseline", args.sweep, jobs=jobs)
    dt = time.perf_counter() - t
    rate = args.sweep / dt
    print(
        f"sweep: {args.sweep} games on {jobs} cores in {dt:.1f} s = {rate:.0f} games/s; "
        f"10,000 runs would take ~{10000 / rate:.0f} s"
    )


if __name__ == "__main__":
    main()
