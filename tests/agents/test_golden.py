"""Golden replays: saved games committed to the repo must replay to the same hashes.

If a change to the rules alters any of these, the change must bump ``RULES_VERSION`` and
regenerate the files with ``uv run python tests/data/make_golden.py``; the digest of the
golden hashes is recorded per rules version, so regenerating them without a bump fails.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from agents.saved import load_saved, replay
from rules import RULES_VERSION
from tests.data.make_golden import VERSIONS, digest

GOLDEN_DIR = Path(__file__).parent.parent / "data" / "golden"
GOLDEN = sorted(p for p in GOLDEN_DIR.glob("*.json") if p.name != VERSIONS.name)


def test_there_are_golden_games():
    assert len(GOLDEN) >= 7


def test_goldens_are_recorded_under_the_current_rules_version():
    games = {p.stem: load_saved(json.loads(p.read_text())) for p in GOLDEN}
    assert {g.rules_version for g in games.values()} == {RULES_VERSION}
    versions = json.loads(VERSIONS.read_text())
    assert versions.get(RULES_VERSION) == digest(games), (
        "the golden hashes differ from those recorded for this rules version: "
        "a rules change must bump RULES_VERSION (then run tests/data/make_golden.py)"
    )


@pytest.mark.parametrize("path", GOLDEN, ids=lambda p: p.stem)
def test_golden_game_replays_to_every_recorded_hash(path):
    saved = load_saved(json.loads(path.read_text()))
    model = replay(saved)
    assert [h.hash for h in model.history] == [t.hash for t in saved.turns]
    assert model.scores() == pytest.approx(saved.scores)
