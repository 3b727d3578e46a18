"""``benchmarks/suite_cpu.py``: its sampler sees real processes and sorts them by kind."""

from __future__ import annotations

import os
import subprocess
import sys

from benchmarks import suite_cpu as cpu


def test_a_sample_holds_this_process_and_its_child_under_it() -> None:
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(5)"])
    try:
        now = cpu.sample()
        by_pid = {p.pid: p for p in now.values()}
        me = by_pid[os.getpid()]
        assert me.cpu > 0 and me.cmd
        assert by_pid[child.pid].ppid == os.getpid()
        assert child.pid in cpu.descendants(now, os.getpid())
        assert cpu.kind(me, by_pid) == "pytest and its workers"
    finally:
        child.kill()
        child.wait()


def test_a_later_sample_keeps_the_first_command_line_and_the_latest_cpu() -> None:
    seen = {(1, 0.0): cpu.Proc(1, 0, 1.0, "uv run precipice serve")}
    cpu.merge(seen, {(1, 0.0): cpu.Proc(1, 0, 3.5, "")})
    assert seen[(1, 0.0)] == cpu.Proc(1, 0, 3.5, "uv run precipice serve")
    assert cpu.kind(seen[(1, 0.0)], {}) == "precipice serve"
