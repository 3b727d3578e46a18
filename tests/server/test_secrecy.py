"""Nobody receives another role's private data: on the wire with every role held by a person
(plus a spectator), and in every push and public view built from a world whose every private
field, and every private news item of another audience, is scrambled."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from dataclasses import fields
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agents.model import RaceModel
from agents.saved import new_model
from rules.world import AIRec, LabRec, OfficialRec, StateRec, WhistleblowerRec
from server.routes.lobby import summary
from server.session import GameSession, encode_push
from server.views import game_state, private_news, seat_observation, turn_resolved
from tests.rules.test_secrecy import RACE, scramble_news, scramble_others
from tests.server.helpers import Client, ServerProc, claim, create_game, default_order
from tests.server.inproc import app_client
from tests.support.hyp import examples

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
            # A game that ends keeps the turn it ended on: its last observation is marked done.
            obs = c.wait_for(
                "observation",
                lambda m, t=turn: m["data"]["turn"] == t or m["data"]["observation"]["done"],
            )
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


# ----- pushes and public views of a scrambled world ----------------------------------------


@pytest.fixture(scope="module")
def sessions(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, GameSession]]:
    """One live game per race scenario in the real app (in process), every seat open."""
    db = tmp_path_factory.mktemp("scramble") / "p.db"
    with app_client(f"sqlite:///{db}") as client:
        out = {}
        for name in RACE:
            r = client.post("/api/games", json={"scenario": name, "seed": 1})
            assert r.status_code == 201, r.text
            out[name] = client.app.state.hub.games[r.json()["game_id"]]  # type: ignore[attr-defined]
        yield out


def _played(name: str, seed: int, turns: int) -> RaceModel:
    """A game of bots on the Mesa model, as the server steps it (with a secret)."""
    model = new_model(name, seed, collect=False, secret=f"{seed:064x}")
    for _ in range(turns):
        if model.done:
            break
        model.step()
    return model


def _scrambled(model: RaceModel, keep: str | None, rng: np.random.Generator) -> RaceModel:
    """The model with everything ``keep`` may not see changed: others' private and latent
    fields, the sealed rolls, private news to others, every bot's order and every hash."""
    out = copy.deepcopy(model)
    out.world = scramble_others(model.world, keep, rng)
    for rec in out.history:
        rec.news = scramble_news(rec.news, keep)
        rec.hash = f"{int(rng.integers(2**62)):032x}"
        rec.bot_orders = {r: {"scrambled": True} for r in rec.bot_orders if r != keep}
        rec.human_orders = {r: o for r, o in rec.human_orders.items() if r == keep}
    out.initial_hash = "0" * 32
    out.seed, out.secret = model.seed + 1, None
    return out


def _audience(game: GameSession, model: RaceModel, keep: str | None) -> list[str]:
    """Every push (as encoded for the wire) and public view one audience gets of ``model``:
    ``keep`` a role (its seat) or None (a spectator, an anonymous request)."""
    view = copy.copy(game)
    view.model, view._public, view.submitted = model, None, set()
    view.info = {**game.info, "seed": model.seed}
    out = [encode_push("game_state", game_state(view)), json.dumps(summary(view))]
    for rec in model.history:
        base = turn_resolved(rec, rec.turn, rec.turn + 1, "forced", False)
        if keep is not None:
            base = {**base, "private_news": private_news(rec, keep)}
        out.append(encode_push("turn_resolved", base))
    if keep is not None:
        out.append(encode_push("observation", seat_observation(view, keep)))
    return out


@settings(
    max_examples=examples(25),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(name=st.sampled_from(RACE), seed=st.integers(0, 10**6), turns=st.integers(0, 16))
def test_no_push_or_public_view_depends_on_a_secret(
    sessions: dict[str, GameSession], name: str, seed: int, turns: int
) -> None:
    """Scramble every private field of every record (ints, strings, enums, AIs' sealed
    values), other audiences' private news, every bot's order, the hashes and the seed:
    no seat's pushes, and no spectator's pushes or anonymous lobby card, change."""
    game = sessions[name]
    model = _played(name, seed, turns)
    if model.done:  # once over, the debrief shows everything: nothing left to keep
        return
    rng = np.random.default_rng(seed)
    for keep in [None, *model.world.role_ids()]:
        scrambled = _scrambled(model, keep, rng)
        assert scrambled.world != model.world
        assert _audience(game, scrambled, keep) == _audience(game, model, keep), (name, keep)


def test_the_scramble_reaches_what_the_facilitator_sees(sessions: dict[str, GameSession]) -> None:
    """The same scramble changes a seat's view of *another* seat's world and the facilitator's
    god view, so the property above could fail."""
    model = _played("ai-2027-race", 3, 10)
    rng = np.random.default_rng(0)
    scrambled = _scrambled(model, "us", rng)
    game = sessions["ai-2027-race"]
    assert scrambled.god_view() != model.god_view()
    assert _audience(game, scrambled, "cn") != _audience(game, model, "cn")
    assert _audience(game, scrambled, "us-ai") != _audience(game, model, "us-ai")
