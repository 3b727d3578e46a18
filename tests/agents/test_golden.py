"""Golden replays: saved games committed to the repo must replay to the same hashes.

If a change to the rules alters any of these, the change must bump ``RULES_VERSION`` and
regenerate the files with ``uv run python tests/data/make_golden.py``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from agents.record import load_saved, replay

GOLDEN = sorted((Path(__file__).parent.parent / "data" / "golden").glob("*.json"))


def test_there_are_golden_games():
    assert len(GOLDEN) >= 6


@pytest.mark.parametrize("path", GOLDEN, ids=lambda p: p.stem)
def test_golden_game_replays_to_every_recorded_hash(path):
    saved = load_saved(json.loads(path.read_text()))
    model = replay(saved)
    assert [h.hash for h in model.history] == [t.hash for t in saved.turns]
    assert model.scores() == pytest.approx(saved.scores)
