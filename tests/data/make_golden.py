"""Regenerate the golden saved games (run after a deliberate rules change, with a new version).

Golden hashes are tied to ``RULES_VERSION``: ``versions.json`` records, for each rules
version, a digest of every golden game's hashes. This script refuses to overwrite the
goldens of a version already recorded with different hashes: a change to the rules that
alters any hash must bump ``rules.version.RULES_VERSION`` first.

Run: ``uv run python tests/data/make_golden.py``
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

from agents.saved import SavedGame, new_model, to_saved
from rules import RULES_VERSION
from rules.actions import LabOrder, OfficialOrder, StateOrder, WhistleblowerOrder

OUT = Path(__file__).parent / "golden"
VERSIONS = OUT / "versions.json"
BOT_GAMES = [
    ("baseline", 1),
    ("ai-2027-race", 2),
    ("ai-2027-slowdown", 3),
    ("china-leads", 4),
    ("no-race", 5),
    ("consolidation", 6),
]


def digest(games: dict[str, SavedGame]) -> str:
    """One digest of every golden game's initial, per-turn and final hashes (by file name)."""
    text = json.dumps(
        {
            name: [g.initial_hash, *(t.hash for t in g.turns), g.final_hash]
            for name, g in sorted(games.items())
        },
        sort_keys=True,
    )
    return hashlib.sha256(text.encode()).hexdigest()


def build() -> dict[str, SavedGame]:
    """Play every golden game."""
    games: dict[str, SavedGame] = {}
    for name, seed in BOT_GAMES:
        m = new_model(name, seed)
        m.run()
        games[f"{name}-{seed}"] = to_saved(m)
    m = new_model("baseline", 42, {"states.us.oversight": "2"})
    m.submit("us", StateOrder(export_controls=0.9, safety_floor=0.2, treaty="propose_floor"))
    m.submit("us-official", OfficialOrder(action="inspect"))
    m.inject("memo_leak")
    m.step()
    m.submit("cn", StateOrder(treaty="accept"))
    m.submit("cn-wb", WhistleblowerOrder(action="speak_up"))
    m.step()
    m.submit("us-lab", LabOrder(pause=True, safety_share=0.3))
    m.inject("warning_shot")
    m.run()
    games["humans-and-events-42"] = to_saved(m)
    return games


def main() -> int:
    """Write the golden games and record their digest under the current rules version."""
    games = build()
    versions: dict[str, str] = json.loads(VERSIONS.read_text()) if VERSIONS.exists() else {}
    new = digest(games)
    old = versions.get(RULES_VERSION)
    if old is not None and old != new:
        sys.stderr.write(
            f"the golden hashes changed but RULES_VERSION is still {RULES_VERSION}: "
            "bump rules/version.py first\n"
        )
        return 1
    OUT.mkdir(exist_ok=True)
    for stale in OUT.glob("*.json"):
        if stale != VERSIONS:
            stale.unlink()
    for name, game in games.items():
        (OUT / f"{name}.json").write_text(game.model_dump_json(indent=1))
    versions[RULES_VERSION] = new
    VERSIONS.write_text(json.dumps(versions, indent=1, sort_keys=True) + "\n")
    sys.stdout.write(f"wrote {len(games)} golden games for rules {RULES_VERSION}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
