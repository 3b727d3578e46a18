"""``precipice question``: should we want China to "win"? The same worldviews, each side leading.

For a grid of worldviews (alignment difficulty, China's career pressure, US oversight,
and with ``--values`` what the AIs value), plays the same seeded bot games with the US
leading (``baseline``) and China leading (``mirror``) and prints, per cell, P(rogue ASI),
P(corrigible and shared), P(corrigible and oligarchy) and P(no ASI) each way with 95%
intervals (corrected for the number of cells), and a verdict in words. ``--json``,
``--csv`` and ``--png`` write the table and a figure. ``--play ROLE=POLICY`` plays a seat
with another policy on both sides, ``--play-us-leads`` and ``--play-china-leads`` on one
(does the answer hold if the US lab, following, played its own interest?).
"""

from __future__ import annotations

import argparse
import csv
import json
from pathlib import Path
from typing import Any

from agents.analysis.games import parse_assignments
from agents.analysis.question import (
    CHINA_PRESSURE,
    DIFFICULTY,
    LEADS,
    SIDE_NAMES,
    US_OVERSIGHT,
    WorldAxis,
    ai_values_axis,
    question,
    verdict,
)
from server.commands.common import (
    Progress,
    add_cluster_argument,
    add_jobs_argument,
    add_play_argument,
    echo,
    executor_of,
    parse_play,
)

NAME = "question"
HELP = (
    "The essay's question side by side: P(rogue), P(shared), P(oligarchy), P(no ASI) with the "
    "US leading and with China leading, over a grid of worldviews (95% intervals)."
)
AXES = {"difficulty": DIFFICULTY, "pressure": CHINA_PRESSURE, "oversight": US_OVERSIGHT}
OUTCOMES = ("p_rogue", "p_shared", "p_oligarchy", "p_no_asi")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add this command's options."""
    parser.add_argument("--runs", type=int, default=200, help="games per cell and side")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--axes",
        default="difficulty,pressure,oversight",
        help="worldview axes, comma-separated: difficulty, pressure, oversight",
    )
    parser.add_argument(
        "--values",
        default=None,
        metavar="V1,V2,...",
        help="also vary what the AIs value: roll, spec, spec_prime, intentions, reward, convergent",
    )
    parser.add_argument("--set", dest="sets", action="append", default=[], metavar="KEY=VALUE")
    add_play_argument(parser)
    for side, where in LEADS.items():  # --play-us-leads, --play-china-leads
        parser.add_argument(
            f"--play-{side.replace('_', '-')}",
            action="append",
            default=[],
            metavar="ROLE=POLICY",
            help=f"as --play, on the {where} side only (repeatable; wins over --play)",
        )
    add_jobs_argument(parser)
    add_cluster_argument(parser)
    parser.add_argument("--json", action="store_true", help="print the rows as JSON")
    parser.add_argument("--csv", type=Path, default=None, help="write the table as CSV")
    parser.add_argument("--png", type=Path, default=None, help="write the figure as PNG")


def axes_of(args: argparse.Namespace) -> list[WorldAxis]:
    """The worldview axes asked for.

    Raises:
        UsageError: for an unknown axis or AI value type.
    """
    from server.commands import UsageError

    names = [n.strip() for n in args.axes.split(",") if n.strip()]
    unknown = [n for n in names if n not in AXES]
    if unknown:
        raise UsageError(f"--axes: unknown axis {unknown[0]!r}; choose from {', '.join(AXES)}")
    axes = [AXES[n] for n in names]
    if args.values:
        try:
            axes.append(ai_values_axis([v.strip() for v in args.values.split(",") if v.strip()]))
        except ValueError as exc:
            raise UsageError(f"--values: {exc}") from None
    if not axes:
        raise UsageError("name at least one axis")
    return axes


def played_label(args: argparse.Namespace) -> str:
    """The seats played with another policy, by side, in words (empty for the bots' game)."""
    parts = [f"both sides: {p}" for p in args.play]
    for side in LEADS:
        parts += [f"{SIDE_NAMES[side]}: {p}" for p in getattr(args, f"play_{side}")]
    return "; ".join(parts)


def write_csv(rows: list[dict[str, Any]], path: Path) -> None:
    """One line per cell: the worldview, then each outcome and interval for each side."""
    path.parent.mkdir(parents=True, exist_ok=True)
    names = list(rows[0]["worldview"])
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        head = [*names]
        for side in ("us_leads", "china_leads"):
            for o in OUTCOMES:
                head += [f"{side}_{o}", f"{side}_{o}_lo", f"{side}_{o}_hi"]
        w.writerow([*head, "d_p_rogue", "d_lo", "d_hi", "verdict"])
        for r in rows:
            line: list[Any] = [r["worldview"][n] for n in names]
            for side in ("us_leads", "china_leads"):
                for o in OUTCOMES:
                    line += [r[side][o], *r[side][f"{o}_ci"]]
            d = r["difference"]
            w.writerow([*line, d["p_rogue"], *d["ci"], verdict(r)])


def run(args: argparse.Namespace) -> int:
    """Run the question."""
    from server.commands import UsageError

    if args.runs < 1:
        raise UsageError("--runs must be at least 1")
    axes = axes_of(args)
    overrides = parse_assignments(args.sets)
    play = {
        side: parse_play(args.play, scenario, overrides)
        | parse_play(getattr(args, f"play_{side}"), scenario, overrides)
        for side, scenario in LEADS.items()
    }
    with executor_of(args) as executor:
        rows = question(
            args.runs,
            axes,
            args.seed,
            overrides,
            play=play,
            jobs=max(1, args.jobs),
            executor=executor,
            progress=Progress(),
        )
    if args.csv:
        write_csv(rows, args.csv)
    if args.png:
        from server.report.charts import question_figure, save_png

        save_png(question_figure(rows, [a.name for a in axes], played_label(args)), args.png)
    if args.json:
        echo(json.dumps(rows, indent=1))
        return 0
    width = max(map(len, SIDE_NAMES.values()))
    for r in rows:
        cell = ", ".join(f"{k} {v}" for k, v in r["worldview"].items())
        echo(f"{cell}:")
        for key, name in SIDE_NAMES.items():
            side, label = r[key], f"{name:<{width}}"
            parts = [
                f"{o[2:]} {side[o]:.2f} [{side[o + '_ci'][0]:.2f}, {side[o + '_ci'][1]:.2f}]"
                for o in OUTCOMES
            ]
            echo(f"  {label}: " + "; ".join(parts))
        echo(f"  -> {verdict(r)}")
    wrote = [str(p) for p in (args.csv, args.png) if p]
    if wrote:
        echo("Wrote " + " and ".join(wrote))
    return 0
