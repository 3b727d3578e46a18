"""``precipice sensitivity``: which scenario parameters decide the outcome (Morris, then Sobol').

Screens every numeric parameter of a scenario with the method of Morris and ranks them by
mu* (with its 95% interval) on P(rogue ASI) and on P(ASI built by each state), then gives
Sobol' first-order and total indices of the top few. Prints tables; ``--json``, ``--csv``
and ``--png`` write the whole analysis.
"""

from __future__ import annotations

import argparse
import csv
import json
from pathlib import Path

from agents.analysis.games import parse_assignments
from agents.analysis.parameters import ParameterRange
from agents.analysis.sensitivity import DesignError, Sensitivity, sensitivity
from server.commands.common import (
    Progress,
    add_cluster_argument,
    add_jobs_argument,
    echo,
    executor_of,
)

NAME = "sensitivity"
HELP = (
    "Screen every numeric scenario parameter (Morris) and rank them by their effect on "
    "P(rogue ASI) and on who builds the ASI; Sobol' indices of the top few."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add this command's options."""
    parser.add_argument("--scenario", default="baseline")
    parser.add_argument(
        "--set",
        dest="sets",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="pin a parameter (it is then not varied)",
    )
    parser.add_argument("--runs", type=int, default=20, help="games per point (default 20)")
    parser.add_argument(
        "--trajectories", type=int, default=10, help="Morris trajectories (default 10)"
    )
    parser.add_argument("--levels", type=int, default=4, help="Morris grid levels (default 4)")
    parser.add_argument(
        "--top", type=int, default=4, help="parameters for the Sobol' stage (default 4; 0: none)"
    )
    parser.add_argument(
        "--sobol-n",
        type=int,
        default=64,
        help="Sobol' base sample, a power of 2 (default 64: 64 x (top + 2) points)",
    )
    parser.add_argument(
        "--bounds",
        choices=("schema", "relative"),
        default="schema",
        help="schema: the schema's bounds where it gives both, else --spread around the "
        "scenario's value; relative: --spread everywhere",
    )
    parser.add_argument(
        "--spread", type=float, default=0.5, help="relative range, ±this share (default 0.5)"
    )
    parser.add_argument(
        "--only", action="append", default=[], metavar="PREFIX", help="vary only these paths"
    )
    parser.add_argument(
        "--skip", action="append", default=[], metavar="PREFIX", help="do not vary these paths"
    )
    parser.add_argument(
        "--rank-by",
        default="p_rogue",
        help="output that ranks the parameters and picks the Sobol' top: p_rogue (default) "
        "or p_asi_STATE",
    )
    parser.add_argument("--seed", type=int, default=0, help="seed of the samples and the games")
    add_jobs_argument(parser)
    add_cluster_argument(parser)
    parser.add_argument("--show", type=int, default=20, help="parameters in the table (20)")
    parser.add_argument("--json", action="store_true", help="print the analysis as JSON")
    parser.add_argument(
        "--csv", type=Path, default=None, help="CSV: one line per output x parameter"
    )
    parser.add_argument("--png", type=Path, default=None, help="PNG bar chart")


def _span(r: ParameterRange, spread: float) -> str:
    text = f"{r.low:.4g} .. {r.high:.4g}"
    return f"{text} ±{spread:.0%}" if r.source == "relative" else text


CSV_COLUMNS = (
    *("output", "parameter", "base", "low", "high", "range", "morris_rank"),
    *("mu", "mu_star", "mu_star_conf", "sigma", "s1", "s1_conf", "st", "st_conf"),
)


def write_csv(sens: Sensitivity, path: Path) -> None:
    """One line per output and parameter: its range, Morris measures, Sobol' indices if any."""
    path.parent.mkdir(parents=True, exist_ok=True)
    ranges = {r.path: r for r in sens.parameters}
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(CSV_COLUMNS)
        for out in sens.outputs:
            sobol = {s.path: s for s in sens.sobol.get(out, [])}
            for rank, m in enumerate(sens.morris[out], 1):
                r = ranges[m.path]
                s = sobol.get(m.path)
                sobol_cells = [s.s1, s.s1_conf, s.st, s.st_conf] if s else ["", "", "", ""]
                w.writerow(
                    [
                        *(out, m.path, r.base, r.low, r.high, r.source, rank),
                        *(m.mu, m.mu_star, m.mu_star_conf, m.sigma, *sobol_cells),
                    ]
                )


def format_tables(sens: Sensitivity, show: int) -> str:
    """The Morris ranking (top ``show``) and the Sobol' indices, as plain text."""
    outs = list(sens.outputs)
    ranges = {r.path: r for r in sens.parameters}
    mi = {o: {m.path: m for m in sens.morris[o]} for o in outs}
    ranked = sens.morris[sens.rank_by]
    pw = max(len("parameter"), *(len(m.path) for m in ranked[:show]))
    cw = max(14, *(len(o) + 4 for o in outs))
    lines = [
        f"Morris screening of {sens.scenario}: {len(sens.parameters)} parameters, "
        f"{sens.trajectories} trajectories, {sens.morris_points} points x {sens.runs} games "
        "(the same seeds at every point).",
        "mu*: mean absolute elementary effect, the change in an output per full range of the "
        f"parameter (a slope: it can exceed 1), ± half its 95% interval; ranked on {sens.rank_by}.",
        "Outputs: " + "; ".join(f"{o} = {label}" for o, label in sens.outputs.items()) + ".",
        "",
        f"{'rank':>4}  {'parameter':<{pw}}  {'range':<22}  "
        + "  ".join(f"{'mu* ' + o:>{cw}}" for o in outs),
    ]
    for rank, m in enumerate(ranked[:show], 1):
        cells = [f"{mi[o][m.path].mu_star:.3f} ± {mi[o][m.path].mu_star_conf:.3f}" for o in outs]
        lines.append(
            f"{rank:>4}  {m.path:<{pw}}  {_span(ranges[m.path], sens.spread):<22}  "
            + "  ".join(f"{c:>{cw}}" for c in cells)
        )
    inert = [m.path for m in ranked if all(mi[o][m.path].mu_star == 0 for o in outs)]
    if inert:
        lines += [
            "",
            f"No change in any output at any sampled point ({len(inert)}): " + ", ".join(inert),
        ]
    if sens.fixed:
        lines += ["", "Left fixed (empty range): " + ", ".join(sens.fixed)]
    if sens.sobol_parameters:
        lines += [
            "",
            f"Sobol' indices of the top {len(sens.sobol_parameters)} on {sens.rank_by} "
            f"(N = {sens.sobol_n}: {sens.sobol_points} points x {sens.runs} games, the others "
            "at the scenario's values): S1 first order, ST total, ± half the 95% interval.",
            "",
            f"{'parameter':<{pw}}  "
            + "  ".join(f"{o + ' ' + k:>{cw}}" for o in outs for k in ("S1", "ST")),
        ]
        for j, path in enumerate(sens.sobol_parameters):
            cells = []
            for o in outs:
                s = sens.sobol[o][j]
                cells += [f"{s.s1:+.2f} ± {s.s1_conf:.2f}", f"{s.st:+.2f} ± {s.st_conf:.2f}"]
            lines.append(f"{path:<{pw}}  " + "  ".join(f"{c:>{cw}}" for c in cells))
        for o in sens.constant:
            lines.append(f"({o} did not vary over the Sobol' sample: its indices are 0.)")
    lines += ["", f"{sens.games:,} games in all."]
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    """Run the sensitivity analysis."""
    from server.commands import UsageError

    try:
        with executor_of(args) as executor:
            sens = sensitivity(
                args.scenario,
                runs=args.runs,
                trajectories=args.trajectories,
                levels=args.levels,
                top=args.top,
                sobol_n=args.sobol_n,
                overrides=parse_assignments(args.sets),
                bounds=args.bounds,
                spread=args.spread,
                only=args.only,
                skip=args.skip,
                rank_by=args.rank_by,
                seed=args.seed,
                jobs=max(1, args.jobs),
                executor=executor,
                progress=Progress("games (Morris)"),
                sobol_progress=Progress("games (Sobol')"),
            )
    except DesignError as exc:
        raise UsageError(str(exc)) from None
    wrote = []
    if args.csv:
        write_csv(sens, args.csv)
        wrote.append(str(args.csv))
    if args.png:
        from server.report.charts import save_png, sensitivity_chart

        save_png(sensitivity_chart(sens, args.show), args.png)
        wrote.append(str(args.png))
    if args.json:
        echo(json.dumps(sens.to_dict(), indent=1))
        return 0
    echo(format_tables(sens, max(1, args.show)))
    if wrote:
        echo("Wrote " + " and ".join(wrote))
    return 0
