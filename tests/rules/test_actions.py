"""Orders: malformed ones name the field, illegal ones name the lever and the reason."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rules.actions import (
    IllegalOrderError,
    InvalidOrderError,
    LabOrder,
    OfficialOrder,
    StateOrder,
    WhistleblowerOrder,
    check_order,
    legal_actions,
    parse_order,
)
from rules.observe import observe
from rules.scenario import SCENARIO_NAMES, load_scenario
from rules.setup import initial_world
from tests.support.fuzzplay import play_rules
from tests.support.hyp import examples


@pytest.fixture
def world():
    return initial_world(load_scenario("baseline"), np.random.default_rng(0))


def test_parse_names_the_bad_field():
    with pytest.raises(InvalidOrderError) as err:
        parse_order("lab", {"safety_share": 0.9})
    assert err.value.field == "safety_share"
    assert "less than or equal to 0.5" in err.value.reason


def test_unknown_field_is_named():
    with pytest.raises(InvalidOrderError) as err:
        parse_order("state", {"invade": True})
    assert err.value.field == "invade"


@pytest.mark.parametrize(
    ("kind", "data", "field"),
    [
        ("state", {"subsidy": "0"}, "subsidy"),
        ("state", {"subsidy": True}, "subsidy"),
        ("state", {"channel_open": "true"}, "channel_open"),
        ("state", {"channel_open": 1}, "channel_open"),
        ("state", {"oversight": "2"}, "oversight"),
        ("lab", {"safety_share": float("nan")}, "safety_share"),
        ("lab", {"safety_share": float("inf")}, "safety_share"),
    ],
)
def test_wire_values_are_not_coerced(kind, data, field):
    """A string, a bool for a number, a number for a switch, NaN: refused, naming the field."""
    with pytest.raises(InvalidOrderError) as err:
        parse_order(kind, data)
    assert err.value.field == field


def test_json_numbers_and_choices_are_accepted():
    order = parse_order("state", {"subsidy": 3, "oversight": 2, "channel_open": False})
    assert order.subsidy == 3.0 and int(order.oversight) == 2 and order.channel_open is False


def test_wrong_kind_for_the_seat():
    with pytest.raises(InvalidOrderError, match="kind"):
        parse_order("official", {"kind": "lab", "pause": True})


def test_parse_fills_kind_and_roundtrips():
    order = parse_order("whistleblower", {"action": "speak_out"})
    assert order == WhistleblowerOrder(action="speak_out")


def test_inactive_official_may_only_ignore(world):
    obs = observe(world, "us-official")  # US oversight is voluntary: no committee yet
    assert not obs["self"]["active"]
    assert [s["options"] for s in legal_actions(obs)] == [["ignore"]]
    with pytest.raises(IllegalOrderError, match="'brake' is not allowed now"):
        check_order(OfficialOrder(action="brake"), obs)


def test_democracy_moves_oversight_one_level_a_quarter(world):
    obs = observe(world, "us")
    with pytest.raises(IllegalOrderError, match="oversight"):
        check_order(StateOrder(oversight=3), obs)
    check_order(StateOrder(oversight=2), obs)
    check_order(StateOrder(oversight=0), observe(world, "cn"))  # the Party does as it likes


def test_treaty_accept_needs_a_proposal(world):
    with pytest.raises(IllegalOrderError, match="treaty"):
        check_order(StateOrder(treaty="accept"), observe(world, "us"))


def test_lab_cannot_go_below_an_enforced_floor(world):
    obs = observe(world, "cn-lab")  # China enforces a 5% floor under its committee
    assert obs["self"]["safety_floor_in_force"] == pytest.approx(0.05)
    with pytest.raises(IllegalOrderError, match="safety_share"):
        check_order(LabOrder(safety_share=0.01), obs)


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**6), 10**6)
    | st.floats(allow_nan=True)
    | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=12,
)


@settings(max_examples=examples(400))
@given(kind=st.sampled_from(["state", "lab", "official", "whistleblower"]), data=json_values)
def test_any_json_is_either_an_order_or_a_named_error(kind, data):
    try:
        order = parse_order(kind, data)
    except InvalidOrderError as exc:
        assert exc.field and exc.reason
    else:
        assert order.kind == kind


@settings(max_examples=examples(40))
@given(
    name=st.sampled_from([n for n in SCENARIO_NAMES if load_scenario(n).mode == "race"]),
    seed=st.integers(0, 10**6),
    turns=st.integers(0, 16),
)
def test_every_levers_current_value_is_within_its_bounds(name, seed, turns):
    """A form built from legal_actions can always be sent unchanged (a floor in force binds
    from the first quarter; bots and people only ever set values inside the bounds)."""
    w = play_rules(name, seed, turns)
    checked: set[str] = set()
    for rid in w.role_ids():
        for spec in legal_actions(observe(w, rid)):
            if spec["type"] == "number":
                assert spec["min"] - 1e-9 <= spec["current"] <= spec["max"] + 1e-9, (rid, spec)
                checked.add("number")
            elif spec["type"] == "choice" and spec["current"] is not None:
                assert spec["current"] in spec["options"], (rid, spec)
                checked.add("choice")
    # Every live world has states' numeric levers and officials' choices: the checks ran.
    assert w.done or checked == {"number", "choice"}, checked
