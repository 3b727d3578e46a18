"""The analysis pool on its own: admission limit, typed refusal, cache, shared computations."""

from __future__ import annotations

import asyncio
import math
from concurrent.futures import Executor

import pytest

from server.analysis_pool import AnalysisBusy, AnalysisPool


def _slow_square(x: int) -> int:
    import time

    time.sleep(0.5)
    return x * x


def test_admission_cache_and_sharing() -> None:
    async def main() -> None:
        pool = AnalysisPool(workers=1, queue=1, cache_entries=4)
        try:
            assert await pool.run(None, math.factorial, 5) == 120  # warms the worker
            first = asyncio.ensure_future(pool.run(("g", 1), _slow_square, 3))
            same = asyncio.ensure_future(pool.run(("g", 1), _slow_square, 3))
            other = asyncio.ensure_future(pool.run(None, _slow_square, 4))
            await asyncio.sleep(0)
            assert pool.admitted == 2  # the same key shares one job
            prepared: list[int] = []

            async def prepare() -> tuple[int]:
                prepared.append(5)  # e.g. exporting a game's log: only for a job that runs
                return (5,)

            with pytest.raises(AnalysisBusy) as busy:
                await pool.run_prepared(None, _slow_square, prepare)
            assert busy.value.retry_after >= 1 and pool.refused == 1
            assert prepared == []
            assert await first == 9 and await same == 9 and await other == 16
            await asyncio.sleep(0)
            assert pool.admitted == 0
            hits = pool.cache_hits
            assert await pool.run(("g", 1), _slow_square, 999) == 9  # cached: not recomputed
            assert await pool.run_prepared(("g", 1), _slow_square, prepare) == 9
            assert pool.cache_hits == hits + 2 and prepared == []
            assert await pool.run_prepared(None, _slow_square, prepare) == 25
            assert prepared == [5]
        finally:
            pool.shutdown()

    asyncio.run(main())


def test_charts_never_touch_pyplot() -> None:
    """A chart drawn in a fresh interpreter leaves ``matplotlib.pyplot`` unimported."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from server.report.charts import line_chart\n"
        "svg = line_chart('t', [0, 1], {'a': [0.0, 1.0]}, 'y')\n"
        "assert svg.startswith('<svg')\n"
        "print('pyplot' if 'matplotlib.pyplot' in sys.modules else 'clean')\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "clean"


def _pid_after(seconds: float) -> int:
    import os
    import time

    time.sleep(seconds)
    return os.getpid()


def _spread(executor: Executor, parts: int) -> set[int]:
    """A job that runs in a thread and spreads its parts over the pool's workers."""
    return {f.result() for f in [executor.submit(_pid_after, 0.4) for _ in range(parts)]}


def test_a_spread_job_uses_every_worker_as_one_admitted_job() -> None:
    async def main() -> None:
        pool = AnalysisPool(workers=2, queue=0, cache_entries=2)
        try:
            await asyncio.gather(pool.run(None, _pid_after, 0.0), pool.run(None, _pid_after, 0.0))

            async def prepare() -> tuple[int]:
                return (8,)

            job = asyncio.ensure_future(pool.run_spread(("g", "spread"), _spread, prepare))
            await asyncio.sleep(0.1)
            assert pool.admitted == 1  # eight parts, one job
            assert len(await job) == 2  # both workers ran parts of it
            assert await pool.run_spread(("g", "spread"), _spread, prepare) == await job
            assert pool.cache_hits == 1
        finally:
            pool.shutdown()

    asyncio.run(main())


def test_the_report_spread_over_the_pool_is_the_report_built_in_one_process() -> None:
    """Same game, same options: the same bytes, whoever ran the rollouts (and built twice).

    A short game (AI 2027's race, over in a few quarters) and two rollouts per quarter:
    its turning points still take hundreds of paired rollouts, spread over the pool's
    workers as many small tasks, at a fraction of a baseline game's cost.
    """
    from agents.saved import new_model, to_saved
    from server import analysis_jobs
    from server.report import render_report

    model = new_model("ai-2027-race", 5)
    model.run()
    saved = to_saved(model)

    async def main() -> str:
        pool = AnalysisPool(workers=2, queue=0, cache_entries=0)

        async def prepare() -> tuple[object, ...]:
            return (saved, 2, "full")

        try:
            return await pool.run_spread(None, analysis_jobs.report_on, prepare)
        finally:
            pool.shutdown()

    spread = asyncio.run(main())
    here = render_report(saved, rollouts=2, jobs=1)
    assert spread == here
    assert render_report(saved, rollouts=2, jobs=1) == here  # chart ids too: one page, one count
    assert "paired rollouts" in spread


def test_a_spread_job_keeps_at_most_one_part_per_worker_in_the_pool() -> None:
    """``InFlightCap``: however many parts a job submits, at most ``limit`` are in the
    pool at once (others' jobs queue behind one round, not all of them); after a part
    fails, the rest come back failed without running."""
    import threading
    import time as clock
    from concurrent.futures import ThreadPoolExecutor

    from agents.analysis.runner import run_tasks
    from server.analysis_pool import InFlightCap

    lock = threading.Lock()
    now = peak = 0
    ran: list[int] = []

    def part(i: int) -> int:
        nonlocal now, peak
        if i == 12:
            ran.append(i)
            raise ValueError("part 12")
        with lock:
            now += 1
            peak = max(peak, now)
        clock.sleep(0.01)
        with lock:
            now -= 1
            ran.append(i)
        return i * i

    with ThreadPoolExecutor(max_workers=6) as inner:
        assert run_tasks(part, list(range(12)), InFlightCap(inner, 2)) == [i * i for i in range(12)]
        assert peak == 2  # the inner pool had room for 6
        ran.clear()
        with pytest.raises(ValueError, match="part 12"):
            run_tasks(part, list(range(12, 40)), InFlightCap(inner, 2))
    assert 12 in ran and len(ran) <= 3, ran  # the failing part and at most the one beside it
