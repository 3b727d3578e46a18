"""Nobody receives another role's private data on the wire: every role held by a person, plus a spectator."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

import pytest

from rules.world import AIRec, LabRec, OfficialRec, StateRec, WhistleblowerRec
from tests.server.helpers import Client, ServerProc, claim, create_game, default_order

RECS = (StateRec, LabRec, OfficialRec, WhistleblowerRec, AIRec)
PUBLIC = set().union(*(set(r.PUBLIC) for r in RECS))
PRIVATE = set().union(*({f.name for f in fields(r)} for r in RECS)) - PUBLIC
LATENT = {"misalignment", "deception", "alignment_difficulty", "takeoff"}
OWN_ORDER = {"ack.result.order", "observation.data.your_order"}  # a seat's own order echoed back
STAFF = {"us-ai": "us-lab", "cn-ai": "cn-lab"}  # an AI sees its own lab as its staff do


def _walk(node: Any, me: str | None, path: str, bad: list[str], own: bool = False) -> None:
    """Flag latent keys anywhere, and private keys outside the seat's own record and order."""
    if isinstance(node, dict):
        own = (
            own
            or (path.endswith("observation.self") and node.get("id") == me)
            or (path.endswith("observation.lab") and node.get("id") == STAFF.get(me or ""))
            or path in OWN_ORDER
        )
        for k, v in node.items():
            if k in LATENT or (k in PRIVATE and not own):
                bad.append(f"{path}.{k}")
            _walk(v, me, f"{path}.{k}", bad, own)
    elif isinstance(node, list):
        for item in node:
            _walk(item, me, path + "[]", bad, own)


def texts(node: Any) -> list[str]:
    """Every string in a decoded message (as sent, JSON escapes undone)."""
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [t for v in node.values() for t in texts(v)]
    if isinstance(node, list):
        return [t for v in node for t in texts(v)]
    return []


def leaks(messages: list[dict[str, Any]], me: str | None) -> list[str]:
    bad: list[str] = []
    for m in messages:
        _walk(m, me, m["type"], bad)
    return bad


# orders that make things happen: private signals, reports, leaks
ACTIVE = {
    "us-official": {"action": "inspect"},
    "cn-official": {"action": "inspect"},
    "us-wb": {"action": "speak_up"},
    "cn-wb": {"action": "raise_internally"},
    "us-lab": {"eval_rigour": 1.0},
    "cn-lab": {"eval_rigour": 1.0},
}


@pytest.mark.slow
def test_no_private_data_reaches_any_seat_or_spectator(server: ServerProc) -> None:
    http = server.http()
    g = create_game(http, scenario="ai-2027-race", seed=21)
    gid = g["game_id"]
    roles = [s["role"] for s in g["game"]["seats"]]
    assert len(roles) >= 8
    seats = {r: Client.open(server.ws_url(gid), claim(http, gid, r)) for r in roles}
    spec = Client.open(server.ws_url(gid))
    fac = Client.open(server.ws_url(gid), g["facilitator_token"])
    private_texts: list[tuple[str, tuple[str, ...]]] = []
    for turn in range(8):
        if turn == 2:
            assert fac.request({"type": "inject", "event": "memo_leak"})["type"] == "ack"
        for role, c in seats.items():
            obs = c.wait_for("observation", lambda m, t=turn: m["data"]["turn"] == t)
            if obs["data"]["observation"]["done"]:
                break
            order = default_order(obs)
            allowed = {lv["name"]: lv for lv in obs["data"]["legal_actions"]}
            for k, v in ACTIVE.get(role, {}).items():
                if k in allowed and (allowed[k]["type"] != "choice" or v in allowed[k]["options"]):
                    order[k] = v
            assert c.request({"type": "order", "turn": turn, "order": order})["type"] == "ack"
        else:
            tr = fac.wait_for("turn_resolved", lambda m, t=turn: m["data"]["turn"] == t)
            private_texts += [
                (n["text"], tuple(n["audience"])) for n in tr["data"]["all_news"] if not n["public"]
            ]
            continue
        break
    for c in [*seats.values(), spec]:
        c.drain(0.3)
    assert private_texts, "the game should have produced private news"
    withheld = 0
    for role, c in seats.items():
        assert not leaks(c.seen, role), (role, leaks(c.seen, role)[:5])
        got = texts(c.seen)
        for text, audience in private_texts:
            if role in audience:
                assert any(text in t for t in got), (role, text)  # the search can find it
            else:
                withheld += 1
                assert not any(text in t for t in got), (role, text)
    assert withheld, "some private news should have been kept from some seat"
    assert not leaks(spec.seen, None)
    got = texts(spec.seen)
    assert not any(text in t for t in got for text, _ in private_texts)
    # the facilitator does get the latent variables
    gv = fac.request({"type": "god_view"})
    assert (
        "misalignment"
        in gv["result"]["god_view"]["labs"][next(iter(gv["result"]["god_view"]["labs"]))]
    )
