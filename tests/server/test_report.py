"""The debrief report: one self-contained HTML file telling the story of a game."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from agents.analysis.forecast import snapshots_of_saved
from agents.saved import SavedGame, new_model, to_saved
from rules.actions import AIOrder, LabOrder, StateOrder
from server.cli import main
from server.report import render_report
from server.report.words import AI_ACTION_WORDS, VALUE_WORDS

EXTERNAL = re.compile(
    r"""(\bsrc\s*=|<link\b|<script\b|@import|url\(\s*['"]?(https?:)?//|href\s*=\s*['"]?(https?:)?//)""",
    re.I,
)


@pytest.fixture(scope="module")
def saved_game() -> SavedGame:
    """A baseline game with people in three seats and an injected event.

    Turn 1: the US lab's person raises safety research to 30%. Turn 2: the same person
    re-sends the share it has (nothing moves). Turn 3: the facilitator injects relaxed
    export controls while the US's person orders only a subsidy. Turns 2-5: the US lab's
    AI is a person who sandbags in secret. Seed 3 ends in an ASI (turn 26), so the
    report has an outcome to explain, and sends private news (2 items), which the public
    report must keep back, and no public leak that names what is private (a whistleblower
    speaking out publicly names the misalignment the evaluations show). Under rules 2.5
    seed 5, used before, sent no private news; under rules 2.6 seed 17 ends with no ASI.
    """
    model = new_model("baseline", 3)
    model.step()
    model.submit("us-lab", LabOrder(safety_share=0.3))
    model.step()
    model.submit("us-lab", LabOrder(safety_share=model.world.labs["us-lab"].safety_share))
    model.submit("us-ai", AIOrder(action="sandbag"))
    model.step()
    model.submit("us", StateOrder(subsidy=model.world.states["us"].subsidy))
    model.submit("us-ai", AIOrder(action="sandbag"))
    model.inject("controls_relaxed")
    model.step()
    for _ in range(2):
        model.submit("us-ai", AIOrder(action="sandbag"))
        model.step()
    model.run()
    return to_saved(model)


@pytest.fixture(scope="module")
def page(saved_game: SavedGame) -> str:
    return render_report(saved_game, rollouts=6, tp_rollouts=12, screen_rollouts=4, top=3)


@pytest.fixture(scope="module")
def public_page(saved_game: SavedGame) -> str:
    return render_report(saved_game, audience="public")


def text_of(page: str) -> str:
    """The words a reader sees: no style sheet, no SVG, no tags."""
    page = re.sub(r"<style>.*?</style>|<svg.*?</svg>", " ", page, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


def section(page: str, start: str, end: str) -> str:
    """The text between two section ids of the page."""
    a = page.index(f'id="{start}">') + len(f'id="{start}">')
    return text_of(page[a : page.index(f'id="{end}"')])


def quarter_block(page: str, quarter: str) -> str:
    """The story of one quarter (its section of the page), as text."""
    m = re.search(rf"<section class=\"turn\">\s*<h3>{quarter}\b.*?</section>", page, re.S)
    assert m, quarter
    return text_of(m.group(0))


def test_report_is_one_self_contained_html_file(page: str) -> None:
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert EXTERNAL.search(page) is None, EXTERNAL.search(page)
    assert page.count("<svg") >= 9  # forecast, turning points, 6 world charts, scores


def test_report_tells_the_whole_story(page: str, saved_game: SavedGame) -> None:
    for st in saved_game.turns:
        assert st.quarter in page
    for heading in (
        "How the odds moved",
        "Turning points",
        "What each player believed, against the truth",
        "What happened in secret",
        "Scores and objectives",
        "What was hidden all along",
        "The story, quarter by quarter",
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
    assert 'class="tag human"' in page  # a person's order is marked as such
    assert "Everyone loses if any lab builds a rogue ASI." in page


def test_sentences_are_rounded_with_units_and_no_raw_booleans(page: str) -> None:
    story = section(page, "story", "turning")
    assert not re.search(r"\b(True|False|None)\b", story)
    assert not re.search(r"\d\.\d{2,}", story), re.search(r".{40}\d\.\d{2,}.{20}", story)
    assert re.search(r"raised its AI subsidy from \$\d+(\.\d)?B to \$\d+(\.\d)?B a quarter", story)
    assert re.search(r"its safety research from \d+% to \d+% of compute", story)
    assert re.search(r"export controls on chips to the rival from \d+% to \d+%", story)
    whole = text_of(page)
    assert not re.search(r"\b(True|False)\b", whole)


def test_only_levers_that_moved_are_told_and_credited_to_who_moved_them(
    page: str, saved_game: SavedGame
) -> None:
    q1, q2, q3 = (saved_game.turns[k].quarter for k in (1, 2, 3))
    lines = quarter_block(page, q1)
    assert re.search(
        r"person\s+Frontier \(US\)\s+raised its safety research from \d+% to 30% of compute", lines
    )
    # Turn 2: the person re-sent the share the lab already had: nothing of theirs moved.
    assert "Frontier (US) raised its safety research" not in quarter_block(page, q2)
    assert "Frontier (US) lowered its safety research" not in quarter_block(page, q2)
    # Turn 3: the injected event relaxed export controls; the US's person ordered only a
    # subsidy it already had, so the move is the event's, not the player's.
    block = quarter_block(page, q3)
    assert re.search(
        r"event\s+United States relaxes export controls on advanced chips: United States: "
        r"export controls on chips to the rival fell from \d+% to \d+%",
        block,
    ), block
    assert not re.search(r"(person|bot)\s+United States\s+\w+ export controls", block)
    assert "event, injected by the facilitator United States relaxes export controls" in block
    assert not re.search(r"United States\s+(raised|lowered) its AI subsidy", block)


def test_outcome_sentence_names_the_odds_at_the_time(page: str, saved_game: SavedGame) -> None:
    out = saved_game.outcome
    assert out is not None and out["kind"] in ("rogue_asi", "corrigible_asi")
    banner = text_of(re.search(r"<div class=\"banner.*?</div>", page, re.S).group(0))  # type: ignore[union-attr]
    odds = f"with a {100 * out['p_rogue']:.0f}% chance of going rogue, and it "
    assert odds in banner
    assert ("went rogue" if out["kind"] == "rogue_asi" else "stayed corrigible") in banner
    assert "Why those odds:" in banner and "hidden misalignment" in banner


def test_turning_points_are_explained_in_a_sentence_each(page: str) -> None:
    part = section(page, "turning", "beliefs")
    sentences = re.findall(r"In \d{4}-Q\d, .*?paired rollouts\).*?points.*?\)\.", part)
    assert len(sentences) == 3
    assert part.count("Why: ") == 3
    assert "=" not in part


def test_beliefs_are_set_against_the_truth(page: str) -> None:
    part = section(page, "beliefs", "secrets")
    assert re.search(
        r"United States\s+Follower \(CN\)'s capability\s+\d+ points\s+\d+ points", part
    )
    assert re.search(
        r"the risk at Frontier \(US\) \(its misalignment\), as its evaluation read\s+\d+%\s+\d+%",
        part,
    )


def test_the_ais_secret_actions_and_sealed_values_are_in_the_story(
    page: str, saved_game: SavedGame
) -> None:
    world = snapshots_of_saved(saved_game)[-1].world
    secrets = section(page, "secrets", "forecast")
    for ai in world.ais.values():
        assert VALUE_WORDS[ai.values] in secrets
    sandbag = AI_ACTION_WORDS["sandbag"]
    assert secrets.count(sandbag) >= 4
    story = section(page, "story", "turning")
    assert re.search(
        rf"Frontier's model \(a person\) {re.escape(sandbag)}(, and was caught|; nobody noticed)",
        story,
    )


def test_public_report_before_the_reveal_shows_nothing_private(
    public_page: str, page: str, saved_game: SavedGame
) -> None:
    words = text_of(public_page)
    private_news = [
        n["text"] for st in saved_game.turns for n in st.news if not n.get("public", True)
    ]
    secrets = [
        *VALUE_WORDS.values(),
        *AI_ACTION_WORDS.values(),
        *private_news,
        "safety research",  # a lab's private levers
        "rigour of its evaluations",
        "Capability after the quarter",
        "misalignment",
        "Why those odds",
        "inspected",  # officials' and whistleblowers' private moves
    ]
    assert private_news  # the game has private news to keep back
    for secret in secrets:
        assert secret not in words, secret
        assert html.escape(secret, quote=True) not in public_page, secret
    assert "with a " in words and "% chance of going rogue" in words  # the public outcome
    assert "before the facilitator's reveal" in words
    assert any(s in text_of(page) for s in secrets[-6:])  # the full report does show them


def test_cli_writes_the_report_and_refuses_a_bad_file(
    tmp_path: Path, saved_game: SavedGame, capsys: pytest.CaptureFixture[str]
) -> None:
    game = tmp_path / "g.json"
    game.write_text(saved_game.model_dump_json())
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


def test_the_report_command_imports_only_what_it_needs(
    tmp_path: Path, saved_game: SavedGame
) -> None:
    """``precipice report`` builds only its own sub-command: no other command's imports."""
    import subprocess
    import sys

    game = tmp_path / "g.json"
    game.write_text(saved_game.model_dump_json())
    code = (
        "import sys\n"
        "from server.cli import main\n"
        f"assert main(['report', {str(game)!r}, '--out', {str(tmp_path / 'r.html')!r},"
        " '--rollouts', '0', '--top', '0', '--jobs', '1']) == 0\n"
        "print(sorted(m for m in ('SALib', 'uvicorn', 'fastapi') if m in sys.modules))\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[-1] == "[]"
    assert (tmp_path / "r.html").read_text().startswith("<!DOCTYPE html>")
