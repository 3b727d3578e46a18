"""Where a command's CPU goes, by kind of process: for the test suite, what CI time is made of.

Runs a command (by default the README's test command, ``uv run pytest -q``) and samples
every process of this machine twice a second (psutil), keeping each process's last
CPU time (user + system), its parent and its command line. At the end it prints the CPU
seconds of the command's processes grouped by kind: pytest's own workers, the processes
they fork (game workers of the Monte Carlo tests and sweeps), ``precipice serve``
processes, other ``server.cli`` commands, Dask, Chromium, Node, and the rest.

A process that starts and ends between two samples is missed, and a process's last half
second may be, so the figures are lower bounds; they are for comparing one part of the
suite with another, in the same run.

    uv run python benchmarks/suite_cpu.py                    # the whole suite
    uv run python benchmarks/suite_cpu.py -- uv run pytest tests/agents -q
"""

from __future__ import annotations

import argparse
import os
import subprocess
import threading
import time
from collections import defaultdict
from dataclasses import dataclass

import psutil


@dataclass(frozen=True, slots=True)
class Proc:
    """One process as last sampled."""

    pid: int
    ppid: int
    cpu: float
    """User + system CPU seconds."""
    cmd: str


def sample() -> dict[tuple[int, float], Proc]:
    """Every readable process now, keyed by (pid, start time) so reused pids stay apart."""
    out: dict[tuple[int, float], Proc] = {}
    for proc in psutil.process_iter(["pid", "ppid", "cpu_times", "cmdline", "create_time"]):
        info = proc.info  # a field psutil may not read (access denied) is None
        times = info["cpu_times"]
        if times is None or info["create_time"] is None:
            continue
        cmd = " ".join(info["cmdline"] or [])
        key = (info["pid"], info["create_time"])
        out[key] = Proc(info["pid"], info["ppid"] or 0, times.user + times.system, cmd)
    return out


def merge(seen: dict[tuple[int, float], Proc], now: dict[tuple[int, float], Proc]) -> None:
    """Add a sample: each process's latest CPU time, with the parent and command line it
    was first seen with (an orphan is re-parented, an ended process shows no command)."""
    for key, p in now.items():
        first = seen.get(key)
        seen[key] = p if first is None else Proc(p.pid, first.ppid, p.cpu, first.cmd or p.cmd)


def descendants(procs: dict[tuple[int, float], Proc], root: int) -> set[int]:
    """The pids of ``root`` and every process below it, as far as the samples saw them."""
    children: dict[int, list[int]] = defaultdict(list)
    for p in procs.values():
        children[p.ppid].append(p.pid)
    seen, todo = {root}, [root]
    while todo:
        for c in children[todo.pop()]:
            if c not in seen:
                seen.add(c)
                todo.append(c)
    return seen


def kind(p: Proc, by_pid: dict[int, Proc]) -> str:
    """What a process is, from its command line and its parent's."""
    cmd = p.cmd
    if "chrom" in cmd:
        return "Chromium"
    if "server.cli serve" in cmd or "precipice serve" in cmd:
        return "precipice serve"
    if "server.cli" in cmd or "bin/precipice" in cmd:
        return "other precipice commands"
    if "distributed" in cmd or "dask" in cmd:
        return "Dask scheduler and workers"
    if "node" in cmd.split(" ")[0]:
        return "Node"
    parent = by_pid.get(p.ppid)
    if parent is not None and cmd and cmd == parent.cmd:
        return "forked by a pytest worker (game workers, pools)"
    if "exec(eval(" in cmd or "pytest" in cmd:
        return "pytest and its workers"
    if "multiprocessing" in cmd or "spawn_main" in cmd:
        return "spawned Python workers (analysis pools)"
    if not cmd:
        return "ended before its last sample"
    return "other"


def main() -> None:
    """Run the command while sampling, then print CPU seconds by kind of process."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("command", nargs="*", help="the command (default: uv run pytest -q)")
    ap.add_argument("--every", type=float, default=0.5, help="seconds between samples")
    args = ap.parse_args()
    command = args.command or ["uv", "run", "pytest", "-q"]
    seen: dict[tuple[int, float], Proc] = {}
    done = threading.Event()

    def sampler() -> None:
        while not done.is_set():
            merge(seen, sample())
            done.wait(args.every)

    thread = threading.Thread(target=sampler, daemon=True)
    t0 = time.monotonic()
    proc = subprocess.Popen(command)
    thread.start()
    code = proc.wait()
    wall = time.monotonic() - t0
    done.set()
    thread.join()
    merge(seen, sample())
    ours = descendants(seen, proc.pid)
    mine = [p for p in seen.values() if p.pid in ours]
    by_pid = {p.pid: p for p in mine}
    totals: dict[str, float] = defaultdict(float)
    counts: dict[str, int] = defaultdict(int)
    for p in mine:
        k = kind(p, by_pid)
        totals[k] += p.cpu
        counts[k] += 1
    total = sum(totals.values())
    print(f"\n{' '.join(command)}: exit {code}, {wall:.0f} s wall, {total:.0f} CPU-s sampled")
    print(f"  = {total / wall:.2f} cores busy on average ({os.cpu_count()} cores)")
    for k, v in sorted(totals.items(), key=lambda kv: -kv[1]):
        print(f"  {v:8.1f} CPU-s {v / total * 100:5.1f}%  {counts[k]:5d} processes  {k}")
    raise SystemExit(code)


if __name__ == "__main__":
    main()
