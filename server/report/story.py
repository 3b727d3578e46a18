"""The debrief report's words: how the game ended, and the story quarter by quarter."""

from __future__ import annotations

from typing import Any

from agents.analysis.forecast import Forecast
from agents.saved import SavedGame
from rules.world import World
from server.report.style import esc, pct

OVERSIGHT_LABELS = ("none", "voluntary", "committee", "embedded")


def outcome_text(
    saved: SavedGame, names: dict[str, str], lab_names: dict[str, str]
) -> tuple[str, str]:
    """How the game ended: the banner class (outcome kind, or ``unfinished``) and its sentence."""
    out = saved.outcome
    if out is None:
        return "unfinished", "The game is unfinished: no outcome yet."
    kind = out["kind"]
    if kind == "rogue_asi":
        return (
            kind,
            f"{lab_names.get(out['lab'], out['lab'])} built a superintelligence that was not corrigible. Everyone lost.",
        )
    if kind == "corrigible_asi":
        return kind, (
            f"{lab_names.get(out['lab'], out['lab'])} built a corrigible superintelligence for "
            f"{names.get(out['state'], out['state'])}; its abundance is {out.get('distribution') or 'held'}."
        )
    return kind, "The horizon came without a superintelligence: the race goes on."


def _order_text(order: dict[str, Any]) -> str:
    kind = order.get("kind")
    fields = {k: v for k, v in order.items() if k != "kind"}
    if kind in ("official", "whistleblower"):
        return str(fields.get("action", "")).replace("_", " ")
    if kind == "state" and "oversight" in fields:
        fields["oversight"] = OVERSIGHT_LABELS[int(fields["oversight"])]
    return ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in fields.items())


def _quiet(order: dict[str, Any]) -> bool:
    return order.get("kind") in ("official", "whistleblower") and order.get("action") in (
        "ignore",
        "silent",
    )


def story(saved: SavedGame, worlds: list[World], series: list[Forecast] | None) -> str:
    """The story quarter by quarter: notable decisions (every human one), news, injected events, odds and capability."""
    parts = []
    for st in saved.turns:
        w = worlds[st.turn]
        items = []
        for rid in w.role_ids():
            human = rid in st.orders
            order = st.orders.get(rid) or st.bot_orders.get(rid)
            if not order or (_quiet(order) and not human):
                continue
            tag = (
                '<span class="tag human">human</span>' if human else '<span class="tag">bot</span>'
            )
            items.append(
                f"<li>{tag} <b>{esc(w.record(rid).name)}</b>: {esc(_order_text(order))}</li>"
            )
        news = []
        for n in st.news:
            cls, who = (
                ("news", "")
                if n.get("public", True)
                else ("private", " (private to " + ", ".join(n.get("audience", [])) + ")")
            )
            news.append(f'<li class="{cls}">{esc(n["text"])}{esc(who)}</li>')
        events = (
            f"<p class='muted'>Facilitator injected: {esc(', '.join(st.events))}</p>"
            if st.events
            else ""
        )
        odds = ""
        if series and st.turn < len(series):
            f = series[st.turn]
            odds = f" <span class='muted'>· P(rogue ASI) at the start: {pct(f.p_rogue)}</span>"
        after = worlds[st.turn + 1] if st.turn + 1 < len(worlds) else w
        caps = ", ".join(f"{lab.name} {lab.capability:.0f}" for lab in after.active_labs())
        parts.append(
            f"<div class='turn'><h3>{esc(st.quarter)} <span class='muted'>(turn {st.turn})</span>{odds}</h3>"
            f"<ul>{''.join(items) or '<li class=muted>No notable decisions.</li>'}</ul>"
            f"{'<ul>' + ''.join(news) + '</ul>' if news else ''}{events}"
            f"<p class='muted'>Capability after the quarter: {esc(caps)}</p></div>"
        )
    return "\n".join(parts)
