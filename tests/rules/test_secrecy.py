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
from rules.observe import observe
from rules.scenario import SCENARIO_NAMES, load_scenario
from rules.world import AIRec, World
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


def scramble_others(world: World, keep: str, rng: np.random.Generator) -> World:
    """Change every field that ``keep`` may not see: others' private fields, all latent
    ones, the AIs' sealed values and secret records, and the sealed rolls.

    Every such field really changes (a test that scrambled nothing could not fail), except
    an empty list and ``None``, which hold nothing; a field of a type it cannot change is
    an error, not a field silently left out. A lab's AI may see its own lab's record.
    """
    w = world.clone()
    w.sealed = replace(
        w.sealed, alignment_difficulty=float(rng.random()), takeoff=float(rng.random())
    )
    me = w.record(keep)
    staff_of = me.lab if isinstance(me, AIRec) else None
    for rid in w.role_ids():
        rec = w.record(rid)
        hints = typing.get_type_hints(type(rec))
        for f in fields(rec):
            latent = f.name in getattr(rec, "LATENT", ())
            own = rid in (keep, staff_of)
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
