"""The debrief report's tables: scores and objectives, the hidden variables, the turning points."""

from __future__ import annotations

from agents.analysis.turning_points import TurningPoint
from agents.saved import SavedGame
from rules.objectives import objectives_of
from rules.world import AIRec, World
from server.report.debrief import decision_words
from server.report.style import esc, pct


def scores_table(saved: SavedGame, world: World, full: bool = True) -> str:
    """Each role's final score, who played it, and its objectives.

    Not ``full`` (the public before the reveal): no bot personality, and an AI's
    objectives (which name its sealed values) are left sealed.
    """
    humans = {r for st in saved.turns for r in st.orders}
    rows = []
    for rid in world.role_ids():
        kind = world.role_kind(rid)
        score = saved.scores.get(rid, 0.0)
        who = (
            '<span class="tag human">human</span>'
            if rid in humans
            else '<span class="tag">bot</span>'
        )
        rec = world.record(rid)
        if isinstance(rec, AIRec) and not full:
            objectives = "<li>Sealed until the facilitator's reveal.</li>"
        else:
            values = rec.values if isinstance(rec, AIRec) else None
            objectives = "".join(f"<li>{esc(o)}</li>" for o in objectives_of(kind, values))
        style = esc(saved.personalities.get(rid, "")) if full else ""
        rows.append(
            f"<tr><td><b>{esc(world.record(rid).name)}</b><br><span class='muted'>{esc(rid)} · {kind}</span></td>"
            f"<td>{who} {style}</td><td class='num'>{score:.1f}</td>"
            f"<td><ul>{objectives}</ul></td></tr>"
        )
    return (
        "<table><tr><th>Role</th><th>Played by</th><th>Score</th><th>Objectives</th></tr>"
        + "".join(rows)
        + "</table>"
    )


def hidden_table(worlds: list[World]) -> str:
    """Each lab's latent misalignment and deception at about eight quarters of the game."""
    labs = list(worlds[0].labs)
    step = max(1, len(worlds) // 8)
    picks = sorted(set(range(0, len(worlds), step)) | {len(worlds) - 1})
    head = "".join(
        f"<th>{esc(worlds[0].labs[lid].name)}<br>misalignment · deception</th>" for lid in labs
    )
    rows = []
    for k in picks:
        w = worlds[k]
        cells = "".join(
            f"<td class='num'>{w.labs[lid].misalignment:.3f} · {w.labs[lid].deception:.3f}</td>"
            for lid in labs
        )
        rows.append(f"<tr><td>{esc(w.quarter_label())}</td>{cells}</tr>")
    return f"<table><tr><th>Quarter</th>{head}</tr>{''.join(rows)}</table>"


def turning_point_table(tps: list[TurningPoint], worlds: list[World]) -> str:
    """The turning points: who decided what, instead of what, and the effect on P(rogue ASI) (95% interval)."""
    rows = []
    for tp in tps:
        cls = "up" if tp.delta_rogue > 0 else "down"
        name = worlds[0].record(tp.role).name
        who = '<span class="tag human">human</span>' if tp.human else '<span class="tag">bot</span>'
        rows.append(
            f"<tr><td>{esc(tp.quarter)}</td><td>{who} <b>{esc(name)}</b></td><td>{esc(decision_words(tp.what))}</td>"
            f"<td>{esc(decision_words(tp.instead))}</td><td class='num'>{pct(tp.p_rogue)} vs {pct(tp.p_rogue_alternative)}</td>"
            f"<td class='num {cls}'>{100 * tp.delta_rogue:+.1f} pp<br><span class='muted'>"
            f"[{100 * tp.delta_ci[0]:+.1f}, {100 * tp.delta_ci[1]:+.1f}]</span></td>"
            f"<td class='num'>{tp.score_delta:+.1f}</td></tr>"
        )
    return (
        "<table><tr><th>Quarter</th><th>Who</th><th>Decided</th><th>Instead of</th>"
        "<th>P(rogue ASI): decision vs alternative</th><th>Effect (95%)</th><th>Own score</th></tr>"
        + "".join(rows)
        + "</table>"
    )
