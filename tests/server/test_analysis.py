"""Forecasts and the debrief report over REST, against a real server.

The games are AI 2027's race: over in about a dozen quarters, where the baseline plays
some 25, so its forecasts, series and turning points cost a fraction of the baseline's.
"""

from __future__ import annotations

import pytest

from agents.analysis.forecast import forecast, snapshot_of
from agents.analysis.stats import wilson
from agents.saved import new_model
from tests.server.helpers import Client, ServerProc, claim, create_game


@pytest.mark.slow
def test_forecast_is_facilitator_only_and_can_be_shown_to_the_room(server: ServerProc) -> None:
    http = server.http()
    g = create_game(http, scenario="ai-2027-race", seed=5, open_seats=["us"])
    gid = g["game_id"]
    fac = {"Authorization": f"Bearer {g['facilitator_token']}"}
    seat = claim(http, gid, "us")
    player = Client.open(server.ws_url(gid), seat)
    player.wait_for("observation")
    # the odds are derived from hidden state: not for players while the game runs
    assert http.get(f"/api/games/{gid}/forecast").status_code == 401
    assert (
        http.get(
            f"/api/games/{gid}/forecast", headers={"Authorization": f"Bearer {seat}"}
        ).status_code
        == 403
    )
    r = http.get(f"/api/games/{gid}/forecast?rollouts=60", headers=fac, timeout=120)
    assert r.status_code == 200, r.text
    f = r.json()
    assert f["rollouts"] == 60 and f["turn"] == 0
    # The server forecasts this game's world (drawn from its seed and its secret, which the
    # facilitator's export carries): the same odds as the library's forecast of a fresh game
    # with that seed and secret, each interval the Wilson one of its count.
    secret = http.get(f"/api/games/{gid}/export", headers=fac).json()["secret"]
    fresh = new_model("ai-2027-race", 5, secret=secret)
    assert f == forecast(snapshot_of(fresh), 60, seed=5).to_dict()
    assert sum(o["count"] for o in f["outcomes"].values()) == 60
    for o in f["outcomes"].values():
        assert o["p"] == round(o["count"] / 60, 4)
        assert o["ci"] == [round(x, 4) for x in wilson(o["count"], 60)]
    # the facilitator shows it to the room: the player gets it as an announcement
    shared = http.post(f"/api/games/{gid}/forecast/share?rollouts=40", headers=fac, timeout=120)
    assert shared.status_code == 200
    note = player.wait_for("announcement", lambda m: "forecast" in m["data"])
    assert "P(rogue ASI)" in note["data"]["text"]
    # someone who joins (or reloads) later finds it in the welcome, odds and all
    late = Client.open(server.ws_url(gid))
    kept = late.wait_for("welcome")["data"]["announcements"]
    assert [a["text"] for a in kept] == [note["data"]["text"]]
    assert kept[0]["forecast"]["outcomes"] == shared.json()["outcomes"]
    # odds, not seeds: the room's copy never names the seed the rollouts drew from
    assert "seed" in shared.json()
    assert "seed" not in note["data"]["forecast"] and "seed" not in kept[0]["forecast"]
    late.close()
    assert (
        http.post(
            f"/api/games/{gid}/forecast/share", headers={"Authorization": f"Bearer {seat}"}
        ).status_code
        == 403
    )


@pytest.mark.slow
def test_series_and_report_after_a_finished_game(server: ServerProc) -> None:
    http = server.http()
    g = create_game(http, scenario="ai-2027-race", seed=8, open_seats=[])
    gid = g["game_id"]
    fac = Client.open(server.ws_url(gid), g["facilitator_token"])
    for _ in range(40):
        if http.get(f"/api/games/{gid}").json()["status"] == "over":
            break
        assert fac.request({"type": "force_turn"})["type"] == "ack"
        fac.wait_for("turn_resolved")
    assert http.get(f"/api/games/{gid}").json()["status"] == "over"
    series = http.get(f"/api/games/{gid}/forecast/series?rollouts=10", timeout=300).json()
    turns = http.get(f"/api/games/{gid}").json()["turn"]
    assert len(series) >= turns
    assert series[-1]["rollouts"] == 10
    # Only the last entry is the finished world; its outcome is certain.
    assert series[-1]["over"] and not any(f["over"] for f in series[:-1])
    assert max(o["p"] for o in series[-1]["outcomes"].values()) == 1.0
    report = http.get(f"/api/games/{gid}/report?rollouts=10", timeout=300)
    assert report.status_code == 200 and report.headers["content-type"].startswith("text/html")
    html = report.text
    assert "<svg" in html and "http://" not in html.replace("http://www.w3.org", "")
    # Before the reveal, the room gets the public report: no sealed value, no secret.
    assert "before the facilitator's reveal" in html and 'id="secrets"' not in html
    assert fac.request({"type": "reveal"})["type"] == "ack"
    after = http.get(f"/api/games/{gid}/report?rollouts=10", timeout=300).text
    assert 'id="secrets"' in after and "Its sealed values, revealed" in after
