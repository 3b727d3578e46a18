"""The debrief report's look and its text helpers: the style sheet, escaping, percentages."""

from __future__ import annotations

import html
from typing import Any

CSS = """
:root { --ink:#1d2330; --muted:#5b6475; --line:#d9dde5; --bg:#fbfbfd; --rogue:#c0392b; --ok:#1e8449; }
* { box-sizing: border-box; }
body { margin:0; background:var(--bg); color:var(--ink);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1040px; margin: 0 auto; padding: 24px 20px 64px; }
h1 { font-size: 28px; margin: 8px 0 4px; }
h2 { font-size: 21px; margin: 40px 0 8px; padding-top: 8px; border-top: 1px solid var(--line); }
h3 { font-size: 16px; margin: 20px 0 6px; }
p.lead { color: var(--muted); margin-top: 0; }
.banner { border-radius: 10px; padding: 16px 20px; margin: 16px 0; color: #fff; font-size: 18px; }
.banner.rogue_asi { background: var(--rogue); }
.banner.corrigible_asi { background: var(--ok); }
.banner.no_asi { background: #566573; }
.banner.unfinished { background: #7d6608; }
nav { font-size: 14px; color: var(--muted); }
nav a { color: #1f4e9c; margin-right: 12px; text-decoration: none; }
figure { margin: 12px 0 20px; background:#fff; border:1px solid var(--line); border-radius:8px; padding:8px; }
figure svg { max-width: 100%; height: auto; display: block; }
figcaption { color: var(--muted); font-size: 13px; padding: 4px 6px 0; }
.grid2 { display: grid; grid-template-columns: 1fr; gap: 12px; }
table { border-collapse: collapse; width: 100%; background: #fff; font-size: 14px; }
th, td { border-bottom: 1px solid var(--line); padding: 6px 8px; text-align: left; vertical-align: top; }
th { background: #f0f2f6; font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.up { color: var(--rogue); font-weight: 600; } .down { color: var(--ok); font-weight: 600; }
.tag { display:inline-block; font-size:12px; padding:0 6px; border-radius:8px; background:#e8ecf3; color:#34495e; }
.tag.human { background:#fdebd0; color:#7e5109; }
.turn { background:#fff; border:1px solid var(--line); border-radius:8px; padding:10px 14px; margin:10px 0; }
.turn h3 { margin: 0 0 4px; }
.turn ul { margin: 4px 0; padding-left: 20px; }
.news { color: #1a5276; } .private { color: #6c3483; }
.muted { color: var(--muted); }
.banner p { margin: 4px 0; } .banner .headline { font-size: 22px; font-weight: 600; } .banner .why { font-size: 16px; }
.note { background:#fef9e7; border:1px solid #f4d03f; border-radius:8px; padding:10px 14px; }
.tag.event { background:#d6eaf8; color:#1a5276; } .tag.secret { background:#e8daef; color:#4a235a; }
li.secret { color:#4a235a; } ol.turning li { margin: 8px 0; }
"""


def esc(text: Any) -> str:
    """``text`` as HTML-escaped text (quotes included)."""
    return html.escape(str(text), quote=True)


def pct(p: float) -> str:
    """A probability as a whole percentage (``0.314`` -> ``31%``)."""
    return f"{100 * p:.0f}%"
