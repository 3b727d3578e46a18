"""Speed of the world model (issues 2 and 14): prints figures, asserts nothing.

Every figure is printed next to its baseline measured in the same run, the bare turn loop
(``agents.engine.play_game``: rules, bots and their observations, no Mesa, one hash at the
end; what sweeps play), so runs on a loaded machine stay comparable:

- a full default bot-only game through ``RaceModel`` (Mesa), as ``precipice simulate``
  plays it: the hash of the final world only (a turn's hash is computed when read);
- the same game with every turn's hash read, as a server game or ``replay --verify`` does;
- the bare loop's quarter split into public state, observations, bots and rules (timers
  around each step, not cProfile, whose per-call cost inflates small functions);
- a cProfile of RaceModel games: rules, bots (observations included), hashing, the rest;
- sweep throughput on all cores through the one task runner, against what the cores
  would give at the bare loop's speed (the runner's efficiency);
- the load average before and after, and the issue's goals.

Run: ``uv run python benchmarks/bench_game.py [--games 200] [--sweep 2000]``
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import time
from collections.abc import Callable

from agents.analysis.sweep import sweep
from agents.engine import default_personalities, new_game, play_game, policies_for
from agents.model import RaceModel
from agents.seeds import game_rng
from rules.observe import Observer
from rules.scenario import load_scenario
from rules.turn import resolve_turn

SCENARIO = load_scenario("baseline")
WHO = default_personalities(SCENARIO)
GOAL_GAME_MS = 2.0
GOAL_SWEEP_RATE = 1500.0


def bare_game(seed: int) -> str:
    """The baseline: one game through the bare loop sweeps play."""
    return play_game(SCENARIO, seed, WHO).final_hash


def mesa_game(seed: int) -> str:
    """A full bot-only game through RaceModel (no data collection), its final hash read."""
    m = RaceModel(SCENARIO, seed, collect=False)
    m.run()
    return m.history[-1].hash


def hashed_game(seed: int) -> str:
    """The same game with every turn's hash read (a server game, a verified replay)."""
    m = RaceModel(SCENARIO, seed, collect=False)
    hashes = []
    while not m.done:
        m.step()
        hashes.append(m.history[-1].hash)
    return hashes[-1]


def median_ms(fn: Callable[[int], str], n: int) -> float:
    """Median wall time of ``fn(seed)`` over seeds ``0 .. n-1``, in milliseconds."""
    times = []
    for seed in range(n):
        t = time.perf_counter()
        fn(seed)
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000


def quarter_split(games: int) -> tuple[dict[str, float], float]:
    """Microseconds per quarter in each step of the bare loop, and quarters per game."""
    parts = dict.fromkeys(("public state", "observations", "bots", "rules"), 0.0)
    quarters = 0
    for seed in range(games):
        world, streams = new_game(SCENARIO, game_rng(seed))
        policies = policies_for(world, WHO, WHO)
        while not world.done:
            t0 = time.perf_counter()
            seen = Observer(world)
            t1 = time.perf_counter()
            obs = {rid: seen.observe(rid) for rid in world.role_ids()}
            t2 = time.perf_counter()
            orders = {rid: policies[rid](obs[rid], streams.roles[rid]) for rid in obs}
            t3 = time.perf_counter()
            world, _ = resolve_turn(world, orders, SCENARIO, streams.rules)
            t4 = time.perf_counter()
            for name, dt in zip(parts, (t1 - t0, t2 - t1, t3 - t2, t4 - t3), strict=True):
                parts[name] += dt
            quarters += 1
    return {k: v / quarters * 1e6 for k, v in parts.items()}, quarters / games


def profile_split(games: int) -> dict[str, float]:
    """Shares of RaceModel games' time (cProfile) in rules, bots and hashing."""
    prof = cProfile.Profile()
    prof.enable()
    for seed in range(games):
        mesa_game(seed)
    prof.disable()
    st = pstats.Stats(prof)
    total = st.total_tt  # type: ignore[attr-defined]

    def cum(path: str, name: str) -> float:
        """Cumulative time of one function (by file and name: ``decide`` has several)."""
        return sum(
            v[3]
            for k, v in st.stats.items()  # type: ignore[attr-defined]
            if k[2] == name and k[0].endswith(path)
        )

    parts = {
        "rules (resolve_turn)": cum("rules/turn.py", "resolve_turn"),
        "bots (decide, observations and the public state included)": cum(
            "agents/model.py", "_decide"
        )
        + cum("rules/observe.py", "__init__"),
        "hashing": cum("rules/hashing.py", "world_hash"),
    }
    parts["rest (Mesa, model glue)"] = max(0.0, total - sum(parts.values()))
    return {k: v / total * 100 for k, v in parts.items()}


def load() -> str:
    """The 1, 5 and 15 minute load averages."""
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--games", type=int, default=200)
    ap.add_argument("--sweep", type=int, default=2000)
    args = ap.parse_args()
    print(f"load average before: {load()}  ({os.cpu_count()} cores)")
    bare_game(0), mesa_game(0), hashed_game(0)  # warm caches

    b_ms = median_ms(bare_game, args.games)
    m_ms = median_ms(mesa_game, args.games)
    h_ms = median_ms(hashed_game, args.games)
    print(
        f"\nmedians over {args.games} seeds of the default (baseline) scenario, 28 quarters at most:"
    )
    print(f"  baseline: bare turn loop (play_game, what sweeps play)   {b_ms:6.2f} ms")
    print(
        f"  bot-only game through RaceModel (final hash only)      {m_ms:6.2f} ms"
        f"  = {m_ms / b_ms:.2f}x baseline; goal {GOAL_GAME_MS:g} ms:"
        f" {'met' if m_ms <= GOAL_GAME_MS else f'not met ({m_ms / GOAL_GAME_MS:.1f}x over)'}"
    )
    print(
        f"  the same, every turn's hash read (server, replay)      {h_ms:6.2f} ms"
        f"  = {h_ms / b_ms:.2f}x baseline"
    )

    split, quarters = quarter_split(max(20, args.games // 4))
    per_quarter = sum(split.values())
    print(
        f"\nthe baseline's quarter ({quarters:.1f} quarters a game): {per_quarter:.0f} us = "
        + ", ".join(f"{k} {v:.0f} us ({v / per_quarter * 100:.0f}%)" for k, v in split.items())
    )
    print(
        f"  the {GOAL_GAME_MS:g} ms goal leaves {GOAL_GAME_MS * 1000 / quarters:.0f} us a quarter"
    )

    shares = profile_split(50)
    print("profile of 50 RaceModel games: " + ", ".join(f"{k} {v:.0f}%" for k, v in shares.items()))

    if args.sweep < 1:
        print(f"\nno sweep (--sweep {args.sweep})\nload average after: {load()}")
        return
    jobs = os.cpu_count() or 1
    t = time.perf_counter()
    sweep("baseline", args.sweep, jobs=jobs)
    dt = time.perf_counter() - t
    rate = args.sweep / dt
    ideal = jobs * 1000 / b_ms
    print(
        f"\nsweep: {args.sweep} games on {jobs} cores in {dt:.1f} s = {rate:.0f} games/s"
        f" = {rate / ideal:.2f}x the baseline's speed on every core ({ideal:.0f} games/s);"
        f" goal {GOAL_SWEEP_RATE:,.0f} games/s:"
        f" {'met' if rate >= GOAL_SWEEP_RATE else f'not met ({GOAL_SWEEP_RATE / rate:.1f}x short)'};"
        f" 10,000 runs would take ~{10000 / rate:.0f} s"
    )
    print(f"load average after: {load()}")


if __name__ == "__main__":
    main()
