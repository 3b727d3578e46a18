"""Speed of the debrief report (issue 13): prints figures, asserts nothing.

One default game (``baseline``, seed 1, bots in every seat, played to its end) is
reported several ways in the same run, so every figure has its baseline beside it:

- the units: replaying the saved game (the snapshots every part starts from) and one
  bot-only game played from the start (what one rollout from the first quarter costs);
- the report without analysis (story and charts: ``--rollouts 0 --top 0``) and the
  public report;
- the whole report at the defaults, on every core (``precipice report``) and on one, and
  as the server builds it (the route's 40 rollouts a quarter, spread over a pool of one
  worker per core, spawned as the app's pool is, warm: its imports done);
- the baseline: the rollouts of the old configuration, run through today's runner on
  every core (the first line timed; every ratio is against it): the forecast series at 30 a quarter plus turning points as they were
  (every seat re-deciding in the fork's quarter, so no arm shared with the series;
  every candidate screened with 10 paired rollouts on other seeds, the top 5 measured
  with 50, an unpaired interval);
- the turning points' 95% interval half-widths, old and new;
- where the time goes: the analysis against the rendering, and a cProfile of the
  analysis on one core (bots deciding, their observations, the rules).

Wall times move with the machine's load; CPU counts this process and its pools' workers
(a pool is made and shut down inside each timing that has one, except the server's warm
pool, whose workers' CPU is not counted); the quarters of play are the same on any
machine.

Run: ``uv run python benchmarks/bench_report.py [--seed 1] [--scenario baseline]``
(report the machine's load average, ``uptime``, beside the figures).
"""

from __future__ import annotations

import argparse
import cProfile
import multiprocessing
import os
import pstats
import resource
import statistics
import time
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor

from agents.analysis.forecast import Forecast, Snapshot, forecast_many, replay_saved
from agents.analysis.stats import diff_ci
from agents.analysis.turning_points import candidates
from agents.engine import default_personalities, play_game
from agents.saved import SavedGame, new_model, to_saved
from rules.scenario import load_scenario
from server import analysis_jobs
from server.report import render_report
from server.report.html import analyse, build_report
from server.report.options import ReportOptions


def timed(label: str, fn: Callable[[], object], base: float | None = None) -> float:
    """Time ``fn`` (wall, and the CPU of this process and of its finished children)."""
    own, kids = time.process_time(), _children_cpu()
    wall = time.perf_counter()
    fn()
    wall = time.perf_counter() - wall
    cpu = time.process_time() - own + _children_cpu() - kids
    ratio = f"  {wall / base:5.2f} x the baseline" if base else ""
    print(f"{label:<64} wall {wall:6.2f} s  CPU {cpu:6.2f} s{ratio}")
    return wall


def _children_cpu() -> float:
    """CPU time of this process's finished children (a pool counts once it is shut down)."""
    use = resource.getrusage(resource.RUSAGE_CHILDREN)
    return use.ru_utime + use.ru_stime


def pooled(cores: int, fn: Callable[[Executor], object]) -> Callable[[], object]:
    """``fn`` on a fresh pool of ``cores`` workers, shut down inside the timing (its CPU counts)."""

    def run() -> object:
        with ProcessPoolExecutor(max_workers=cores) as pool:
            return fn(pool)

    return run


def _warm_worker(_: int) -> None:
    """What a server's worker has imported once it has served a report."""
    import server.report.html  # noqa: F401 - the import is the point

    time.sleep(0.3)  # long enough for every worker to take one


def old_turning_points(
    saved: SavedGame, snaps: list[Snapshot], pool: Executor, quarters: list[float]
) -> list[float]:
    """The old configuration's turning-point rollouts; returns their interval half-widths."""
    cands = candidates(saved, snaps)

    def arms(cs: list[int]) -> list[Snapshot]:
        out = []
        for j in cs:
            c, base = cands[j], snaps[cands[j].turn]
            for order in (c.order, c.alternative):
                out.append(
                    Snapshot(
                        base.scenario,
                        base.overrides,
                        base.world,
                        base.personalities,
                        {c.role: order},
                    )
                )
        return out

    def deltas(fcs: list[Forecast], n: int) -> list[tuple[float, float]]:
        quarters.extend(f.mean_turns * f.rollouts for f in fcs)
        out = []
        for i in range(len(fcs) // 2):
            a, b = fcs[2 * i].counts["rogue_asi"], fcs[2 * i + 1].counts["rogue_asi"]
            d, (lo, hi) = diff_ci(a, n, b, n)
            out.append((d, (hi - lo) / 2))
        return out

    every = list(range(len(cands)))
    screened = deltas(forecast_many(arms(every), 10, saved.seed + 1, executor=pool), 10)
    top = sorted(sorted(every, key=lambda j: -abs(screened[j][0]))[:5])
    final = deltas(forecast_many(arms(top), 50, saved.seed, executor=pool), 50)
    return [h for _, h in final]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scenario", default="baseline")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    model = new_model(args.scenario, args.seed)
    model.run()
    saved = to_saved(model)
    sc = load_scenario(saved.scenario)
    cores = os.cpu_count() or 1
    d = ReportOptions()
    snaps = replay_saved(saved)[0]
    print(
        f"{args.scenario} seed {args.seed}: {len(saved.turns)} quarters, "
        f"{len(candidates(saved, snaps))} candidate turning points; {cores} cores; defaults: "
        f"{d.rollouts} rollouts a quarter, top {d.top} turning points of {d.tp_rollouts} paired "
        f"rollouts (screened with {d.screen_rollouts} when that costs less)"
    )
    timed("unit: replay of the saved game (snapshots)", lambda: replay_saved(saved))
    timed(
        "unit: one bot-only game from the start",
        lambda: play_game(sc, args.seed, default_personalities(sc)),
    )
    timed(
        "report without analysis (story + charts)", lambda: render_report(saved, top=0, rollouts=0)
    )
    timed("public report before the reveal", lambda: render_report(saved, audience="public"))

    old_widths: list[float] = []
    old_quarters: list[float] = []

    def old(pool: Executor) -> None:
        old_quarters.extend(
            f.mean_turns * f.rollouts for f in forecast_many(snaps, 30, saved.seed, executor=pool)
        )
        old_widths.extend(old_turning_points(saved, snaps, pool, old_quarters))

    base = timed(f"BASELINE: the old configuration's rollouts, {cores} cores", pooled(cores, old))
    timed(
        f"whole report, defaults, {cores} cores (precipice report)",
        lambda: render_report(saved, jobs=cores),
        base,
    )
    found = analyse(saved, d)
    timed("whole report, defaults, 1 core", lambda: build_report(saved, d), base)
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=cores, mp_context=spawn) as pool:
        list(pool.map(_warm_worker, range(cores)))
        timed(
            f"server route (40 a quarter) on its warm pool of {cores} workers",
            lambda: analysis_jobs.report_on(pool, saved, 40, "full"),
            base,
        )
    new_widths = [100 * (tp.delta_ci[1] - tp.delta_ci[0]) / 2 for tp in found.turning]
    old_pp = [100 * w for w in old_widths]
    print(
        f"rollouts played: {found.rollouts}, {found.quarters} quarters of play "
        f"(the old configuration: "
        f"{round(sum(old_quarters))} quarters)"
    )
    print(
        "turning points' 95% interval half-widths (percentage points): "
        f"new (paired, {d.tp_rollouts}) median {statistics.median(new_widths):.1f}, "
        f"max {max(new_widths):.1f}; old (unpaired, 50) median {statistics.median(old_pp):.1f}, "
        f"max {max(old_pp):.1f}"
    )

    analysis = timed("  of which the analysis alone, 1 core", lambda: analyse(saved, d))
    rendering = timed(
        "  of which the rendering alone (analysis given)",
        lambda: build_report(saved, d, found),
    )
    print(f"  analysis {analysis / (analysis + rendering):.0%}, rendering the rest")
    prof = cProfile.Profile()
    prof.enable()
    analyse(saved, d)
    prof.disable()
    stats = pstats.Stats(prof)

    def cum(fragment: str) -> float:
        return max(
            (v[3] for k, v in stats.stats.items() if fragment in f"{k[0]}:{k[2]}"),  # type: ignore[attr-defined]
            default=0.0,
        )

    total = max(cum("rollouts.py:run_rollouts"), 1e-9)
    observe, decide, rules = (
        cum("observe.py:observe"),
        cum("engine.py:decide"),
        cum("turn.py:resolve_turn"),
    )
    print(
        "inside the rollouts (1 core, cProfile): bots deciding "
        f"{(decide - observe) / total:.0%}, their observations {observe / total:.0%}, "
        f"the rules {rules / total:.0%}, the rest {1 - (decide + rules) / total:.0%}"
    )


if __name__ == "__main__":
    main()
