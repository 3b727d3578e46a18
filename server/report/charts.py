"""Charts drawn server-side with matplotlib's object API (no pyplot): inline SVG and PNG heat maps.

Every chart has a title, labelled axes and a legend where there is more than one line,
in a colour-blind-friendly palette; SVG text is emitted as paths-free ``<text>`` with a
generic font family so the file needs no web fonts.
"""

from __future__ import annotations

import contextvars
import io
import itertools
import textwrap
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import matplotlib
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from agents.analysis.question import SIDE_NAMES

if TYPE_CHECKING:
    from agents.analysis.sensitivity import Sensitivity

# Okabe-Ito, readable by colour-blind people.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000")
OUTCOME_COLOURS = {"rogue_asi": "#C0392B", "no_asi": "#7F8C8D"}
STATE_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7")

matplotlib.rcParams.update(
    {
        "svg.fonttype": "none",
        "font.family": "sans-serif",
        "font.size": 10,
        "axes.titlesize": 12,
        "axes.titleweight": "bold",
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.grid": True,
        "grid.alpha": 0.3,
    }
)


PROJECTOR: dict[Any, Any] = {
    "font.size": 15,
    "axes.titlesize": 18,
    "axes.labelsize": 15,
    "xtick.labelsize": 14,
    "ytick.labelsize": 14,
    "legend.fontsize": 14,
    "lines.linewidth": 3.0,
}
"""The debrief's charts are read on a projector from the back of a room: big type, thick lines."""

_ANY_PAGE = itertools.count()
_SVG_COUNT: contextvars.ContextVar[Iterator[int] | None] = contextvars.ContextVar(
    "svg_count", default=None
)


@contextmanager
def one_page() -> Iterator[None]:
    """Number the charts drawn inside from 0, so the same page is drawn to the same bytes."""
    token = _SVG_COUNT.set(itertools.count())
    try:
        yield
    finally:
        _SVG_COUNT.reset(token)


_NO_METADATA = {"Creator": None, "Date": None, "Format": None, "Type": None}


def to_svg(fig: Figure) -> str:
    """Render a figure to an inline ``<svg>`` element (no prolog, no metadata).

    Each figure gets its own id salt, so several charts can share one HTML page (numbered
    from 0 on each page drawn inside ``one_page``).
    """
    buf = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": f"chart{next(_SVG_COUNT.get() or _ANY_PAGE)}"}):
        fig.savefig(buf, format="svg", bbox_inches="tight", metadata=_NO_METADATA)
    text = buf.getvalue()
    return text[text.index("<svg") :]


def wrap(title: str, width: int = 70) -> str:
    """Wrap a long title onto several lines."""
    return "\n".join(textwrap.wrap(title, width))


def line_chart(
    title: str,
    x: Sequence[int],
    series: Mapping[str, Sequence[float]],
    ylabel: str,
    xlabel: str = "turn (quarter)",
    bands: Mapping[str, tuple[Sequence[float], Sequence[float]]] | None = None,
    colours: Mapping[str, str] | None = None,
    xticklabels: Sequence[str] | None = None,
    ylim: tuple[float, float] | None = None,
    hline: tuple[float, str] | None = None,
    size: tuple[float, float] = (9.0, 4.4),
) -> str:
    """A line chart (optionally with shaded intervals) as inline SVG.

    Sized for a projector: few ticks (at most five quarters, four steps up the side) and
    the ``hline`` (the ASI threshold) labelled on the chart itself.
    """
    fig = Figure(figsize=size)
    ax = fig.subplots()
    for i, (name, ys) in enumerate(series.items()):
        colour = (colours or {}).get(name, PALETTE[i % len(PALETTE)])
        ax.plot(list(x), list(ys), label=name, color=colour)
        if bands and name in bands:
            lo, hi = bands[name]
            ax.fill_between(list(x), list(lo), list(hi), color=colour, alpha=0.15, linewidth=0)
    if hline is not None:
        ax.axhline(hline[0], color="#333333", linestyle="--", linewidth=2, label=hline[1])
        ax.annotate(
            hline[1],
            (0.01, hline[0]),
            xycoords=("axes fraction", "data"),
            xytext=(0, 4),
            textcoords="offset points",
            fontweight="bold",
            color="#333333",
        )
    ax.yaxis.set_major_locator(MaxNLocator(nbins=4))
    ax.set_title(title, loc="left")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if ylim:
        ax.set_ylim(*ylim)
    if xticklabels is not None:
        step = max(1, -(-len(x) // 5))  # at most five quarter labels, legible from the back
        ax.set_xticks(list(x)[::step])
        ax.set_xticklabels(list(xticklabels)[::step], rotation=0)
    if len(series) > 1 or hline is not None:
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    return to_svg(fig)


def bar_chart(
    title: str,
    labels: Sequence[str],
    values: Sequence[float],
    ylabel: str,
    colours: Sequence[str] | None = None,
    size: tuple[float, float] = (9.0, 4.4),
) -> str:
    """A bar chart with value labels, as inline SVG."""
    fig = Figure(figsize=size)
    ax = fig.subplots()
    cols = list(colours) if colours else [PALETTE[0]] * len(values)
    bars = ax.bar(list(labels), list(values), color=cols)
    ax.bar_label(bars, labels=[f"{v:.0f}" for v in values], padding=2)
    ax.axhline(0, color="#333333", linewidth=0.8)
    ax.set_title(title, loc="left")
    ax.set_ylabel(ylabel)
    ax.grid(axis="x", visible=False)
    for label in ax.get_xticklabels():
        label.set_rotation(20)
        label.set_horizontalalignment("right")
    return to_svg(fig)


def heatmap(rows: list[dict[str, Any]], a_name: str, b_name: str, title: str) -> Figure:
    """A heat map of P(disaster) over a 2-D sweep (rows from ``agents.analysis.sweep.sweep``)."""
    a_vals = list(dict.fromkeys(r["a"] for r in rows))
    b_vals = list(dict.fromkeys(r["b"] for r in rows))
    grid = [[0.0] * len(b_vals) for _ in a_vals]
    cis: dict[tuple[int, int], list[float]] = {}
    for r in rows:
        i, j = a_vals.index(r["a"]), b_vals.index(r["b"])
        grid[i][j] = r["p_disaster"]
        cis[(i, j)] = r["ci"]
    fig = Figure(figsize=(1.5 + 1.25 * len(b_vals), 1.4 + 0.9 * len(a_vals)))
    ax = fig.subplots()
    top = max(0.05, max(max(row) for row in grid))
    im = ax.imshow(grid, cmap="Reds", vmin=0.0, vmax=top, aspect="auto", origin="lower")
    for (i, j), ci in cis.items():
        v = grid[i][j]
        colour = "white" if v > 0.6 * top else "black"
        ax.text(
            j,
            i,
            f"{v:.2f}\n[{ci[0]:.2f}, {ci[1]:.2f}]",
            ha="center",
            va="center",
            fontsize=8,
            color=colour,
        )
    ax.set_xticks(range(len(b_vals)), labels=b_vals)
    ax.set_yticks(range(len(a_vals)), labels=a_vals)
    ax.set_xlabel(b_name)
    ax.set_ylabel(a_name)
    ax.grid(False)
    ax.set_title(wrap(title, 60), loc="left")
    cbar = fig.colorbar(im, ax=ax)
    cbar.set_label("P(rogue ASI)")
    fig.tight_layout()
    return fig


def sensitivity_chart(sens: Sensitivity, show: int = 15) -> Figure:
    """Morris mu* (top ``show`` per output, with 95% intervals) over Sobol' S1 and ST."""
    outputs = list(sens.outputs)
    rows = 2 if sens.sobol else 1
    height = 1.2 + 0.28 * min(show, len(sens.parameters))
    sobol_h = 1.2 + 0.45 * len(sens.sobol_parameters)
    fig = Figure(figsize=(4.6 * len(outputs), height + (sobol_h if rows == 2 else 0.0)))
    axes = fig.subplots(
        rows,
        len(outputs),
        squeeze=False,
        gridspec_kw={"height_ratios": [height, sobol_h] if rows == 2 else [height]},
    )
    for j, out in enumerate(outputs):
        _morris_bars(axes[0][j], sens, out, show)
        if rows == 2:
            _sobol_bars(axes[1][j], sens, out)
    fig.suptitle(
        wrap(
            f"Sensitivity of {sens.scenario}: Morris screening ({sens.trajectories} trajectories) "
            f"and Sobol' indices of the top {len(sens.sobol_parameters)}, "
            f"{sens.runs} games per point, {sens.games:,} games",
            110,
        ),
        x=0.01,
        ha="left",
        fontweight="bold",
    )
    fig.tight_layout()
    return fig


def _morris_bars(ax: Axes, sens: Sensitivity, out: str, show: int) -> None:
    ranked = [m for m in sens.morris[out][:show] if m.mu_star > 0][::-1]
    ax.set_title(wrap(sens.outputs[out], 40), loc="left")
    ax.set_xlabel(f"mu* on {sens.outputs[out]} (per full range)")
    ax.grid(axis="y", visible=False)
    if not ranked:
        ax.set_yticks([])
        ax.text(0.5, 0.5, "no effect seen", ha="center", va="center", transform=ax.transAxes)
        return
    ys = list(range(len(ranked)))
    ax.barh(
        ys,
        [m.mu_star for m in ranked],
        xerr=[m.mu_star_conf for m in ranked],
        color=PALETTE[0],
        ecolor="#333333",
        capsize=2,
    )
    ax.set_yticks(ys, labels=[m.path for m in ranked], fontsize=8)
    ax.set_xlim(left=0)


def _sobol_bars(ax: Axes, sens: Sensitivity, out: str) -> None:
    ax.set_xlabel(f"Sobol' index of {sens.outputs[out]}")
    ax.grid(axis="y", visible=False)
    idx = sens.sobol.get(out, [])[::-1]
    ys = list(range(len(idx)))
    ax.set_yticks(ys, labels=[s.path for s in idx], fontsize=8)
    ax.set_ylim(-0.6, len(idx) - 0.4)
    if out in sens.constant:
        ax.text(
            0.5,
            0.5,
            "no variation over the Sobol' sample",
            ha="center",
            va="center",
            transform=ax.transAxes,
        )
        return
    for shift, key, colour, label in (
        (0.2, "s1", PALETTE[1], "first order S1"),
        (-0.2, "st", PALETTE[2], "total ST"),
    ):
        ax.barh(
            [y + shift for y in ys],
            [getattr(s, key) for s in idx],
            height=0.4,
            xerr=[getattr(s, f"{key}_conf") for s in idx],
            color=colour,
            ecolor="#333333",
            capsize=2,
            label=label,
        )
    ax.axvline(0, color="#333333", linewidth=0.8)
    ax.legend(loc="upper left", bbox_to_anchor=(0.0, -0.25), ncol=2, fontsize=8, frameon=False)


def question_figure(rows: list[dict[str, Any]], axes: list[str], played: str = "") -> Figure:
    """Small multiples of P(rogue ASI), the US leading against China leading, per worldview.

    ``played`` (e.g. ``China leads: us-lab=careful``) names seats not played by their bots;
    it goes under the title, so a figure never passes for the bots' game.

    The first axis runs down the rows of panels, the second across; inside a panel the
    remaining axes' levels are groups of two bars (US leads, China leads) with their
    corrected 95% intervals; a star marks a cell whose difference excludes zero.
    """
    first = list(dict.fromkeys(r["worldview"][axes[0]] for r in rows))
    second = list(dict.fromkeys(r["worldview"][axes[1]] for r in rows)) if len(axes) > 1 else [""]
    rest = axes[2:]
    fig = Figure(figsize=(3.6 * len(second) + 1, 2.6 * len(first) + 1))
    grid = fig.subplots(
        len(first),
        len(second),
        sharey=True,
        squeeze=False,
    )
    peak = 0.0  # the highest interval drawn: the shared axis leaves room above it for a star
    for i, a in enumerate(first):
        for j, b in enumerate(second):
            ax = grid[i][j]
            cell = [
                r
                for r in rows
                if r["worldview"][axes[0]] == a and (len(axes) < 2 or r["worldview"][axes[1]] == b)
            ]
            labels = [" / ".join(r["worldview"][n] for n in rest) or "all" for r in cell]
            xs = range(len(cell))
            for k, ((side, name), colour) in enumerate(
                zip(SIDE_NAMES.items(), PALETTE, strict=False)
            ):
                ps = [r[side]["p_rogue"] for r in cell]
                err = [
                    [p - r[side]["p_rogue_ci"][0] for p, r in zip(ps, cell, strict=True)],
                    [r[side]["p_rogue_ci"][1] - p for p, r in zip(ps, cell, strict=True)],
                ]
                ax.bar(
                    [x + (k - 0.5) * 0.38 for x in xs],
                    ps,
                    0.36,
                    yerr=err,
                    color=colour,
                    label=name,
                    capsize=2,
                )
            for x, r in zip(xs, cell, strict=True):
                top = max(r["us_leads"]["p_rogue_ci"][1], r["china_leads"]["p_rogue_ci"][1])
                peak = max(peak, top)
                lo, hi = r["difference"]["ci"]
                if lo > 0 or hi < 0:
                    ax.text(x, top + 0.02, "*", ha="center", fontsize=14)
            ax.set_xticks(list(xs), labels=labels, fontsize=9)
            ax.set_title(f"{axes[0]}: {a}" + (f"\n{axes[1]}: {b}" if b else ""), fontsize=10)
            if j == 0:
                ax.set_ylabel("P(rogue ASI)")
            ax.grid(axis="x", visible=False)
    grid[0][0].set_ylim(0.0, min(1.0, peak) + 0.08)  # a star's glyph stays below the titles
    grid[0][0].legend(fontsize=9, loc="upper left")
    if rest:
        fig.supxlabel(" / ".join(rest), fontsize=10)
    title = "Should we want China to lead? P(rogue ASI) with each side leading (* : the difference excludes 0)"
    fig.suptitle(
        title + (f"\nSeats not played by their bots: {played}" if played else ""), fontsize=11
    )
    fig.tight_layout()
    return fig


def save_png(fig: Figure, path: Path) -> None:
    """Write a figure as PNG (figures are plain ``Figure`` objects: nothing to close)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, format="png", dpi=130, bbox_inches="tight")
