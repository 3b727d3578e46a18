"""Hidden information: no observation carries another role's private fields or latent risk.

Non-interference: for every role, changing every *other* role's private fields, every
lab's latent misalignment and deception, every AI's sealed values and secret record, and
the two sealed rolls leaves that role's observation unchanged. (A lab's AI may see its
own lab's non-latent record: its staff's view.) Checked for every role of every race
scenario over many random games.
"""

from __future__ import annotations

import json
import typing
from dataclasses import fields, replace
from enum import IntEnum

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agents.bots import decide
from rules.observe import observe, public_state
from rules.scenario import SCENARIO_NAMES, load_scenario
from rules.world import AIRec, NewsItem, World
from tests.support.fuzzplay import play_rules
from tests.support.hyp import examples

RACE = [n for n in SCENARIO_NAMES if load_scenario(n).mode == "race"]
PERSONALITY = {
    "state": "hawk",
    "lab": "racer",
    "official": "diligent",
    "whistleblower": "bold",
    "ai": "values",
}


def _other(value: str, hint: object, rng: np.random.Generator) -> str:
    """Another choice of the field's Literal (or a changed string where it has none)."""
    options = [a for arg in typing.get_args(hint) for a in (typing.get_args(arg) or [arg])]
    choices = [o for o in options if isinstance(o, str) and o != value]
    return choices[int(rng.integers(len(choices)))] if choices else value + "~"


def scramble_news(news: list[NewsItem], keep: str | None) -> list[NewsItem]:
    """Every private item not addressed to ``keep`` rewritten (kind, text and turn changed)."""
    return [
        n
        if n.public or (keep is not None and keep in n.audience)
        else replace(n, kind=n.kind + "~", text=n.text[::-1] + " (scrambled)", turn=n.turn + 7)
        for n in news
    ]


def scramble_others(world: World, keep: str | None, rng: np.random.Generator) -> World:
    """Change every field that ``keep`` may not see: others' private fields, all latent
    ones, the AIs' sealed values and secret records, the sealed rolls, and private news
    addressed to others. ``keep=None`` is nobody: every private field changes (what a
    spectator or an anonymous request may not see).

    Every such field really changes (a test that scrambled nothing could not fail), except
    an empty list and ``None``, which hold nothing; a field of a type it cannot change is
    an error, not a field silently left out. A lab's AI may see its own lab's record.
    """
    w = world.clone()
    w.sealed = replace(
        w.sealed, alignment_difficulty=float(rng.random()), takeoff=float(rng.random())
    )
    w.news = scramble_news(w.news, keep)
    me = w.record(keep) if keep is not None else None
    staff_of = me.lab if isinstance(me, AIRec) else None
    for rid in w.role_ids():
        rec = w.record(rid)
        hints = typing.get_type_hints(type(rec))
        for f in fields(rec):
            latent = f.name in getattr(rec, "LATENT", ())
            own = keep is not None and rid in (keep, staff_of)
            if f.name in rec.PUBLIC or (own and not latent):
                continue
            value = getattr(rec, f.name)
            if value is None or value == []:
                continue
            if isinstance(value, bool):
                new: object = not value
            elif isinstance(value, IntEnum):
                members = list(type(value))
                new = members[(members.index(value) + 1) % len(members)]
            elif isinstance(value, int):
                new = value + 1 + int(rng.integers(5))
            elif isinstance(value, float):
                new = value + 0.01 + float(rng.random())
            elif isinstance(value, str):
                new = _other(value, hints.get(f.name), rng)
            elif isinstance(value, dict):
                keys = list(value) or list(w.labs)
                new = {k: float(rng.random()) + 0.01 + float(value.get(k, 0.0)) for k in keys}
            elif isinstance(value, list):
                new = []
            else:
                raise TypeError(f"cannot scramble {rid}.{f.name} ({type(value).__name__})")
            assert new != value, (rid, f.name)
            setattr(rec, f.name, new)
    return w


def play(name: str, seed: int, turns: int) -> World:
    """A game of bots (one personality per role kind) on the bare rules."""
    return play_rules(
        name,
        seed,
        turns,
        lambda obs, rng: decide(obs["role_kind"], PERSONALITY[obs["role_kind"]], obs, rng),
    )


@settings(max_examples=examples(60))
@given(name=st.sampled_from(RACE), seed=st.integers(0, 10**6), turns=st.integers(0, 24))
def test_observations_never_depend_on_others_secrets(name, seed, turns):
    world = play(name, seed, turns)
    rng = np.random.default_rng(seed + 1)
    for rid in world.role_ids():
        before = observe(world, rid)
        after = observe(scramble_others(world, rid, rng), rid)
        assert before == after, f"{name} seed {seed} turn {turns}: {rid} sees someone else's secret"


@settings(max_examples=examples(30))
@given(name=st.sampled_from(RACE), seed=st.integers(0, 10**6), turns=st.integers(0, 24))
def test_public_state_never_depends_on_any_secret(name, seed, turns):
    """What a spectator or an anonymous request sees (the public state, public news) is
    unchanged when every private and latent field and every private news item changes."""
    world = play(name, seed, turns)
    scrambled = scramble_others(world, None, np.random.default_rng(seed + 2))
    assert public_state(world) == public_state(scrambled), f"{name} seed {seed} turn {turns}"


def test_the_scramble_changes_private_news_and_fields():
    """The scramble really changes what it claims to (else the tests above could not fail)."""
    world = play("ai-2027-race", 7, 12)
    private = [n for n in world.news if not n.public]
    assert private, "twelve quarters of ai-2027-race should leave some private news"
    keep = private[0].audience[0]
    out = scramble_others(world, keep, np.random.default_rng(1))
    assert observe(out, keep) == observe(world, keep)
    for before, after in zip(world.news, out.news, strict=True):
        hidden = not before.public and keep not in before.audience
        assert (before != after) == hidden
    nobody = scramble_others(world, None, np.random.default_rng(1))
    assert nobody.ais["us-ai"].values != world.ais["us-ai"].values
    assert any(observe(nobody, r) != observe(world, r) for r in world.role_ids())


@pytest.mark.parametrize("name", RACE)
def test_no_observation_names_latent_fields(name):
    world = play(name, 7, 12)
    for rid in world.role_ids():
        obs = observe(world, rid)
        text = json.dumps(obs)
        assert '"misalignment"' not in text and '"deception"' not in text
        assert '"alignment_difficulty"' not in text and '"takeoff"' not in text
        if obs["role_kind"] != "ai":
            assert '"values"' not in text and '"sabotage"' not in text
