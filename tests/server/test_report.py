"""The debrief report: one self-contained HTML file with the story, charts and analysis."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from agents.saved import new_model, to_saved
from rules.actions import LabOrder
from server.cli import main
from server.report import render_report

EXTERNAL = re.compile(
    r"""(\bsrc\s*=|<link\b|<script\b|@import|url\(\s*['"]?(https?:)?//|href\s*=\s*['"]?(https?:)?//)""",
    re.I,
)


@pytest.fixture(scope="module")
def saved_game() -> object:
    model = new_model("baseline", 1)
    model.step()
    model.submit("us-lab", LabOrder(safety_share=0.3))  # a human seat's order
    model.run()
    return to_saved(model)


@pytest.fixture(scope="module")
def page(saved_game: object) -> str:
    return render_report(saved_game, rollouts=6, tp_rollouts=12, top=3)  # type: ignore[arg-type]


def test_report_is_one_self_contained_html_file(page: str) -> None:
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert EXTERNAL.search(page) is None, EXTERNAL.search(page)
    assert (
        "<svg" in page and page.count("<svg") >= 9
    )  # forecast, turning points, 6 world charts, scores


def test_report_tells_the_whole_story(page: str, saved_game: object) -> None:
    saved = saved_game  # type: ignore[assignment]
    for st in saved.turns:  # type: ignore[attr-defined]
        assert st.quarter in page
    for heading in (
        "How the odds moved",
        "Turning points",
        "Scores and objectives",
        "What was hidden all along",
        "The story",
    ):
        assert heading in page
    for title in (
        "Capability of each lab",
        "Alignment gap",
        "Compute of each lab",
        "Public concern",
        "Oversight level",
        "misalignment and deception",
    ):
        assert title in page
    assert 'class="tag human"' in page  # the human order is marked as such
    assert "Everyone loses if any lab builds a rogue ASI." in page


def test_cli_writes_the_report_and_refuses_a_bad_file(
    tmp_path: Path, saved_game: object, capsys: pytest.CaptureFixture[str]
) -> None:
    game = tmp_path / "g.json"
    game.write_text(saved_game.model_dump_json())  # type: ignore[attr-defined]
    out = tmp_path / "r.html"
    assert (
        main(
            ["report", str(game), "--out", str(out), "--rollouts", "0", "--top", "0", "--jobs", "1"]
        )
        == 0
    )
    assert out.read_text().startswith("<!DOCTYPE html>")
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "nope"}')
    assert main(["report", str(bad), "--out", str(out)]) == 2
    assert "not a Precipice saved game" in capsys.readouterr().err
