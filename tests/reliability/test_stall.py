"""Analysis cannot hurt play: an order is acked while the analysis pool is saturated.

A real ``precipice serve`` with one analysis worker and a queue of three. A finished game
(imported from a golden file) gets many anonymous forecast, series and report requests at
once: four are admitted, the rest are refused with a typed 429 and ``Retry-After``. While
the admitted ones are still computing, a person in a *different*, live game submits an
order and gets its ack, and a new game can be created. The latency figures are in
``benchmarks/stall.py``; here nothing is timed.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from pathlib import Path

import httpx
import pytest

from tests.server.helpers import (
    Client,
    ServerProc,
    claim,
    create_game,
    default_order,
    start_server,
)

GOLDEN = Path(__file__).resolve().parent.parent / "data" / "golden" / "baseline-1.json"
WORKERS, QUEUE = 1, 3


@pytest.fixture(scope="module")
def busy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProc]:
    db = tmp_path_factory.mktemp("stall") / "s.db"
    sp = start_server(
        f"sqlite:///{db}",
        {
            "PRECIPICE_ANALYSIS_WORKERS": str(WORKERS),
            "PRECIPICE_ANALYSIS_QUEUE": str(QUEUE),
        },
    )
    yield sp
    sp.stop()


def _analysis_urls(gid: str, n: int) -> list[str]:
    """``n`` distinct requests (distinct rollouts: no two share a computation or a cache entry)."""
    kinds = ("report?rollouts={r}", "forecast/series?rollouts={r}", "forecast?turn=3&rollouts={r}")
    return [f"/api/games/{gid}/{kinds[i % 3].format(r=20 + i)}" for i in range(n)]


def test_an_order_is_acked_while_analysis_requests_saturate_the_pool(busy: ServerProc) -> None:
    http = busy.http()
    r = http.post("/api/games/import", json=json.loads(GOLDEN.read_text()), timeout=120)
    assert r.status_code == 201, r.text
    finished = r.json()["game_id"]
    assert http.get(f"/api/games/{finished}").json()["status"] == "over"

    live = create_game(http, scenario="baseline", seed=5, open_seats=["us", "cn"])
    token = claim(http, live["game_id"], "us")
    claim(http, live["game_id"], "cn")  # held by a person who does not play: no resolution
    player = Client.open(busy.ws_url(live["game_id"]), token)
    obs = player.wait_for("observation")

    urls = _analysis_urls(finished, 24)
    # Not a context manager: the admitted jobs are left running (the fixture stops the
    # server, which ends them); waiting for a dozen reports would only cost CI time.
    pool = ThreadPoolExecutor(max_workers=len(urls))
    anon = httpx.Client(base_url=busy.base, timeout=600)
    try:
        futures: list[Future[httpx.Response]] = [pool.submit(anon.get, u) for u in urls]
        # Everything beyond workers + queue is refused at once, typed, with Retry-After.
        pending = set(futures)
        while len(futures) - len(pending) < len(urls) - (WORKERS + QUEUE):
            _, pending = wait(pending, timeout=600, return_when=FIRST_COMPLETED)
        refused = [f.result() for f in futures if f.done()]
        assert len(refused) >= len(urls) - (WORKERS + QUEUE)
        assert all(resp.status_code == 429 for resp in refused), [r.text for r in refused]
        for resp in refused:
            body = resp.json()
            assert body["error"] == "busy" and "queue" in body["message"]
            assert int(resp.headers["Retry-After"]) >= 1
            assert body["retry_after"] == resp.headers["Retry-After"]
        running = [f for f in futures if not f.done()]
        assert running, "the admitted analysis requests should still be computing"

        ack = player.request(
            {"type": "order", "turn": obs["data"]["turn"], "order": default_order(obs)}
        )
        assert ack["type"] == "ack" and ack["of"] == "order", ack
        assert create_game(http, scenario="baseline", seed=6)["game_id"]
        assert any(not f.done() for f in running), "the ack came after the analysis, not during"
    finally:
        busy.stop()  # ends the running jobs; their requests fail and the threads finish
        pool.shutdown(wait=True, cancel_futures=True)
        anon.close()
