"""Hypothesis: malformed and hostile websocket messages each get a typed error and change nothing."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from server.dispatch import FACILITATOR_TYPES, ROUTES
from server.protocol import ERROR_CODES
from tests.server.helpers import Client, ServerProc, claim, close_all, create_game, start_server
from tests.support.hyp import examples

TYPES = [t for t in ROUTES if t not in FACILITATOR_TYPES] + sorted(FACILITATOR_TYPES)
LEVERS = [
    "export_controls",
    "subsidy",
    "self_reliance",
    "oversight",
    "worker_protection",
    "channel_open",
    "leak_policy",
    "safety_floor",
    "treaty",
    "nationalise",
]
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


@pytest.fixture(scope="module")
def fuzz_game(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[ServerProc, Client, Client]]:
    db: Path = tmp_path_factory.mktemp("fuzz") / "f.db"
    sp = start_server(
        f"sqlite:///{db}",
        {"PRECIPICE_MESSAGES_PER_SECOND": "10000", "PRECIPICE_MESSAGE_BURST": "10000"},
    )
    http = sp.http()
    g = create_game(http, seed=5, open_seats=["us"])
    seat = Client.open(sp.ws_url(g["game_id"]), claim(http, g["game_id"], "us"))
    fac = Client.open(sp.ws_url(g["game_id"]), g["facilitator_token"])
    seat.wait_for("observation")
    yield sp, seat, fac
    close_all()
    sp.stop()


def hostile() -> st.SearchStrategy[str | bytes]:
    raw_text = st.text(max_size=200).filter(lambda t: not t.strip().startswith("{"))
    not_object = json_values.filter(lambda v: not isinstance(v, dict)).map(json.dumps)
    wrong_version = st.builds(
        lambda v, d: json.dumps({**d, "v": v, "type": "ping"}),
        st.none() | st.integers().filter(lambda i: i != 1) | st.text(max_size=3),
        st.dictionaries(st.text(max_size=5), json_values, max_size=3),
    )
    unknown_type = st.builds(
        lambda t: json.dumps({"v": 1, "type": t, "id": 1}),
        json_values.filter(lambda t: t not in TYPES),
    )
    extra_field = st.builds(
        lambda t, k, val: json.dumps({"v": 1, "type": t, k: val}),
        st.sampled_from(TYPES),
        st.text(min_size=1, max_size=8).filter(
            lambda k: (
                k
                not in (
                    "v",
                    "type",
                    "id",
                    "token",
                    "turn",
                    "order",
                    "to",
                    "text",
                    "seconds",
                    "event",
                    "role",
                    "mode",
                )
            )
        ),
        json_values,
    )
    bad_order = st.builds(
        lambda extra, val: json.dumps(
            {"v": 1, "type": "order", "id": "o", "turn": 0, "order": {**extra, **val}}
        ),
        st.dictionaries(
            st.text(min_size=1, max_size=8).filter(lambda k: k not in LEVERS and k != "kind"),
            json_values,
            min_size=1,
            max_size=3,
        ),
        st.dictionaries(st.sampled_from(LEVERS), json_values, max_size=2),
    )
    bad_values = st.builds(
        lambda lever, val: json.dumps({"v": 1, "type": "order", "turn": 0, "order": {lever: val}}),
        st.sampled_from(["subsidy", "export_controls", "safety_floor"]),
        st.floats(min_value=201, allow_nan=False)
        | st.floats(max_value=-0.01, allow_nan=False)
        | st.text(max_size=5),
    )
    stale = st.builds(
        lambda t: json.dumps({"v": 1, "type": "order", "turn": t, "order": {}}),
        st.integers(min_value=1, max_value=10_000),
    )
    seat_facilitates = st.builds(
        lambda t: json.dumps({"v": 1, "type": t, "id": "f"}),
        st.sampled_from(["pause", "resume", "force_turn", "god_view", "reveal"]),
    )
    bad_chat = st.builds(
        lambda to: json.dumps({"v": 1, "type": "chat", "to": to, "text": "x"}),
        st.text(min_size=1, max_size=20).filter(
            lambda t: (
                t
                not in (
                    "public",
                    "cn",
                    "us-lab",
                    "cn-lab",
                    "us-official",
                    "cn-official",
                    "us-wb",
                    "cn-wb",
                )
            )
        ),
    )
    huge = st.integers(min_value=17 * 1024, max_value=40 * 1024).map(
        lambda n: json.dumps({"v": 1, "type": "ping", "pad": "x" * n})
    )
    binary = st.binary(max_size=64)
    hello_again = st.just(json.dumps({"v": 1, "type": "hello", "token": "x"}))
    return st.one_of(
        raw_text,
        not_object,
        wrong_version,
        unknown_type,
        extra_field,
        bad_order,
        bad_values,
        stale,
        seat_facilitates,
        bad_chat,
        huge,
        binary,
        hello_again,
    )


def snapshot(fac: Client) -> dict[str, Any]:
    r = fac.request({"type": "god_view"})
    assert r["type"] == "ack"
    return {k: r["result"][k] for k in ("turn", "hash", "pending", "pending_events")}


@pytest.mark.slow
@settings(
    max_examples=examples(150),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(payload=hostile())
def test_hostile_messages_get_typed_errors_and_change_nothing(
    fuzz_game: tuple[ServerProc, Client, Client], payload: str | bytes
) -> None:
    _sp, seat, fac = fuzz_game
    before = snapshot(fac)
    seat.send_raw(payload)
    while True:
        reply = seat.recv()
        if reply["type"] in ("ack", "error"):
            break
    assert reply["type"] == "error", (payload, reply)
    assert reply["code"] in ERROR_CODES
    assert snapshot(fac) == before
    # the connection still works
    assert seat.request({"type": "ping"})["type"] == "ack"
