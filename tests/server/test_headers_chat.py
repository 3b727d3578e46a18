"""Headers and limits in-process: the Content-Security-Policy, chat capped in welcomes and paged."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError
from starlette.testclient import TestClient

from server.headers import DOCS_POLICY, PAGE_POLICY, page_policy, report_policy
from server.settings import Settings
from tests.server.inproc import Socket, app_client

HISTORY = 3


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    with app_client(f"sqlite:///{tmp_path / 'h.db'}", chat_history=HISTORY) as c:
        yield c


def _claim(client: TestClient, gid: str, role: str) -> str:
    r = client.post(f"/api/games/{gid}/seats/{role}/claim", json={"player": role})
    assert r.status_code == 201, r.text
    token: str = r.json()["seat_token"]
    return token


def test_every_response_carries_a_strict_policy(client: TestClient) -> None:
    for path in ("/", "/api/health", "/api/games/nope", "/js/app.js"):
        r = client.get(path)
        policy = r.headers["content-security-policy"]
        assert policy == PAGE_POLICY, path
        assert "'unsafe-inline'" not in policy and "frame-ancestors 'none'" in policy
        assert r.headers["x-content-type-options"] == "nosniff"
    assert client.get("/docs").headers["content-security-policy"] == DOCS_POLICY


def test_listed_origins_may_be_connected_to_over_http_and_websockets() -> None:
    policy = page_policy(["https://b.example:8443", "http://c.example:8002"])
    connect = next(d for d in policy.split("; ") if d.startswith("connect-src"))
    assert connect.split() == [
        "connect-src",
        "'self'",
        "https://b.example:8443",
        "wss://b.example:8443",
        "http://c.example:8002",
        "ws://c.example:8002",
    ]
    assert policy.replace(connect, "connect-src 'self'") == PAGE_POLICY


def test_the_report_policy_allows_its_own_styles_and_no_script() -> None:
    html = "<html><head><style>b{color:red}</style></head><body><svg><style>*{a:b}</style></svg>"
    policy = report_policy(html)
    assert "script-src 'none'" in policy and "default-src 'none'" in policy
    # the two hashes (computed independently: sha256 of each element's text, base64)
    assert "'sha256-ypIZpeWh67Lh3q46jpjGW7VCAJpmEqcFe8Dl5B2rXQU='" in policy
    assert policy.count("'sha256-") == 2
    assert report_policy(html.replace("red", "blue")) != policy


def test_chat_is_capped_in_the_welcome_and_paged_by_token(client: TestClient) -> None:
    body = {"scenario": "baseline", "seed": 4, "open_seats": ["us", "cn", "us-lab"]}
    r = client.post("/api/games", json=body | {"visibility": "public"})
    assert r.status_code == 201, r.text
    gid, fac = r.json()["game_id"], r.json()["facilitator_token"]
    started = client.post(f"/api/games/{gid}/start", headers={"Authorization": f"Bearer {fac}"})
    assert started.status_code == 200, started.text
    us, cn, lab = (_claim(client, gid, role) for role in ("us", "cn", "us-lab"))
    said: list[dict[str, Any]] = []
    with Socket.open(client, gid, us) as s_us, Socket.open(client, gid, cn) as s_cn:
        for i in range(5):
            assert (
                s_us.request({"type": "chat", "to": "public", "text": f"pub{i}"})["type"] == "ack"
            )
            said.append({"to": "public", "text": f"pub{i}"})
            assert s_cn.request({"type": "chat", "to": "us", "text": f"secret{i}"})["type"] == "ack"
            said.append({"to": "us", "text": f"secret{i}"})
    # A welcome holds at most the latest HISTORY lines its reader may read.
    with Socket.open(client, gid, lab) as s_lab:
        welcome = s_lab.wait_for("welcome")["data"]["chat"]
    assert [c["text"] for c in welcome] == ["pub4"]  # latest 3 lines overall, 1 public
    with Socket.open(client, gid, us) as s_us:
        assert [c["text"] for c in s_us.wait_for("welcome")["data"]["chat"]] == [
            "secret3",
            "pub4",
            "secret4",
        ]

    def pages(token: str | None, limit: int) -> list[list[str]]:
        out: list[list[str]] = []
        before: int | None = None
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        while True:
            params: dict[str, Any] = {"limit": limit} | ({"before": before} if before else {})
            r = client.get(f"/api/games/{gid}/chat", params=params, headers=headers)
            assert r.status_code == 200, r.text
            page = r.json()
            seqs = [line["seq"] for line in page["lines"]]
            assert seqs == sorted(seqs)
            out.insert(0, [line["text"] for line in page["lines"]])
            if page["next_before"] is None:
                return out
            assert page["next_before"] == seqs[0]
            before = page["next_before"]

    public = [f"pub{i}" for i in range(5)]
    everything = [s["text"] for s in said]
    assert pages(None, 2) == [["pub0"], ["pub1", "pub2"], ["pub3", "pub4"]]
    assert [
        t for page in pages(lab, 4) for t in page
    ] == public  # another seat reads only the public channel
    assert [
        t for page in pages(us, 3) for t in page
    ] == everything  # a party to the private channel reads it
    assert [t for page in pages(fac, 100) for t in page] == everything
    assert (
        client.get(f"/api/games/{gid}/chat", headers={"Authorization": "Bearer x"}).status_code
        == 403
    )
    assert client.get(f"/api/games/{gid}/chat?limit=0").status_code == 422


def test_bad_settings_are_refused_naming_the_setting() -> None:
    with pytest.raises(ValidationError) as bad:
        Settings(sqlite_synchronous="sometimes")
    assert "sqlite_synchronous" in str(bad.value)
    assert Settings(sqlite_synchronous="full").sqlite_synchronous == "FULL"
    for bad_origin in (
        "evil.example/path",
        "https://a.example/path",
        "ftp://a.example",
        "https://a.example; script-src *",  # would be pasted into the page's CSP
        "https://a.example:8443 https://b.example",
    ):
        with pytest.raises(ValidationError) as origin:
            Settings(allowed_origins=[bad_origin])
        assert "allowed_origins" in str(origin.value), bad_origin
    good = ["https://A.example:8443/", "http://127.0.0.1:8001", "http://[::1]:8002"]
    assert Settings(allowed_origins=good).allowed_origins == [
        "https://a.example:8443",
        "http://127.0.0.1:8001",
        "http://[::1]:8002",
    ]
