"""Scenario files: all load, unknown keys and bad values are refused with the path named."""

from __future__ import annotations

import pytest

from docs import make_model_tables as tables
from docs.make_model_tables import own_file, value_paths, values_in_play
from rules.scenario import (
    SCENARIO_NAMES,
    Dynamics,
    ScenarioError,
    get_path,
    load_scenario,
    parse_scenario,
    scenario_data,
)


@pytest.mark.parametrize("name", SCENARIO_NAMES)
def test_every_bundled_scenario_loads_and_cites_real_parameters(name):
    sc = load_scenario(name)
    assert sc.name == name and sc.title and sc.description
    for path in sc.sources:
        get_path(sc, path)


def test_baseline_cites_the_essays_figures():
    sc = load_scenario("baseline")
    assert "285.9" in sc.sources["states.us.private_investment"]
    assert "12.4" in sc.sources["states.cn.private_investment"]
    assert "bank forecast" in sc.sources["states.cn.subsidy"]
    assert sc.states["us"].private_investment == pytest.approx(285.9 / 4, rel=0.01)


def test_unknown_key_is_refused_with_its_path():
    data = scenario_data("baseline")
    data["states"]["us"]["nukes"] = 3
    with pytest.raises(ScenarioError, match=r"states\.us\.nukes: unknown key"):
        parse_scenario(data)


def test_out_of_bounds_value_is_refused_with_its_path():
    data = scenario_data("baseline")
    data["dynamics"] = {"distill_rate": 7}
    with pytest.raises(ScenarioError, match=r"dynamics\.distill_rate"):
        parse_scenario(data)


def test_source_must_name_a_real_parameter():
    data = scenario_data("baseline")
    data["sources"]["states.us.unicorns"] = "a rumour"
    with pytest.raises(ScenarioError, match="sources"):
        parse_scenario(data)


def test_overrides_by_dotted_path():
    sc = load_scenario(
        "baseline",
        {
            "states.us.oversight": "embedded",
            "labs.cn-lab.compute": "40",
            "precipice.information": "public",
        },
    )
    assert int(sc.states["us"].oversight) == 3
    assert sc.labs[1].compute == 40.0
    assert sc.precipice.information == "public"


@pytest.mark.parametrize(
    ("path", "value", "match"),
    [
        ("states.us.nope", "1", "unknown parameter 'states.us.nope'"),
        ("labs.xx-lab.compute", "1", "no entry with id 'xx-lab'"),
        ("dynamics.assist_multiplier", "fast", "bad override"),
        ("states.us.oversight", "total", "not an oversight level"),
    ],
)
def test_bad_overrides_are_clear_errors(path, value, match):
    with pytest.raises(ScenarioError, match=match):
        load_scenario("baseline", {path: value})


def test_unknown_scenario_lists_the_choices():
    with pytest.raises(ScenarioError, match="baseline"):
        load_scenario("atlantis")


def test_every_rate_of_the_baseline_has_a_source_or_a_reason():
    sc = load_scenario("baseline")
    data = scenario_data("baseline")
    missing = [
        name
        for name in Dynamics.model_fields
        if name not in data["dynamics"] or f"dynamics.{name}" not in sc.sources
    ]
    assert missing == [], f"rates without a value and a source in baseline.toml: {missing}"


@pytest.mark.parametrize("name", SCENARIO_NAMES)
def test_every_value_a_scenario_file_sets_has_its_own_source_or_reason(name):
    """A value a file sets (or overrides) is sourced in that file; inherited ones by the parent."""
    own = own_file(name)
    sources = own.get("sources", {})
    missing = [path for path in value_paths(own) if path not in sources]
    assert missing == [], f"values set in {name}.toml without a [sources] entry there: {missing}"


@pytest.mark.parametrize("name", SCENARIO_NAMES)
def test_every_value_in_play_has_a_source_or_a_reason(name):
    """Defaults count too: a value the game uses has a source in the scenario or its parent."""
    sc = load_scenario(name)
    missing = [path for path in values_in_play(sc) if path not in sc.sources]
    assert missing == [], f"values of {name} without a source or a reason: {missing}"


def test_value_paths_find_nested_role_and_treaty_values():
    paths = set(value_paths(own_file("no-race")))
    assert {"states.us.trust", "labs.cn-lab.personality", "treaty.kind"} <= paths
    assert not any(p.endswith((".name", ".id")) or p in ("name", "title") for p in paths)
    assert "labs.us-lab-2.disclose" in values_in_play(load_scenario("consolidation"))
    assert "dynamics.distill_rate" not in values_in_play(load_scenario("precipice"))


def test_a_variant_extends_its_parent_and_merges_roles_by_id():
    base = load_scenario("baseline")
    race = load_scenario("ai-2027-race")
    assert race.dynamics.misalignment_drift == base.dynamics.misalignment_drift
    us = next(lab for lab in race.labs if lab.id == "us-lab")
    assert us.name == "OpenBrain" and us.state == "us" and us.eval_rigour == 0.45
    assert [lab.id for lab in race.labs] == [lab.id for lab in base.labs]
    slow = load_scenario("ai-2027-slowdown")
    assert slow.worldview == race.worldview and slow.states["us"].personality == "dove"
    assert len(load_scenario("consolidation").labs) == 4


def test_mirror_swaps_the_race_positions_and_keeps_each_states_institutions():
    base, mirror = load_scenario("baseline"), load_scenario("mirror")
    labs = {lab.id: lab for lab in base.labs}
    mlabs = {lab.id: lab for lab in mirror.labs}
    for field in ("capability", "alignment", "compute"):
        assert getattr(mlabs["cn-lab"], field) == getattr(labs["us-lab"], field)
        assert getattr(mlabs["us-lab"], field) == getattr(labs["cn-lab"], field)
    assert mirror.states["cn"].private_investment == base.states["us"].private_investment
    assert mirror.states["us"].subsidy == base.states["cn"].subsidy
    for sid in ("us", "cn"):
        for field in ("regime", "oversight", "press_freedom", "leak_policy", "channel_open"):
            assert getattr(mirror.states[sid], field) == getattr(base.states[sid], field)
    assert {o.id: o.career_pressure for o in mirror.officials} == {
        o.id: o.career_pressure for o in base.officials
    }
    assert [r.id for r in mirror.labs] == [r.id for r in base.labs]


def test_the_model_document_lists_every_rate_as_the_code_has_it():
    """docs/model.md's tables of rates and of starting values are generated from the code.

    Regenerate them after changing a rate, a starting value or a source.
    """
    text = tables.DOC.read_text("utf-8")
    assert tables.render(text) == text, "run: uv run python docs/make_model_tables.py"
    for name in Dynamics.model_fields:
        assert f"`{name}`" in text
    section = text.split(tables.VALUES_BEGIN)[1].split(tables.VALUES_END)[0]
    by_scenario = {part.split("`")[0]: part for part in section.split("### `")[1:]}
    assert list(by_scenario) == list(SCENARIO_NAMES)
    for name in SCENARIO_NAMES:
        listed = by_scenario[name]
        for key in value_paths(own_file(name)):
            if name != "baseline" or not key.startswith("dynamics."):
                assert f"| `{key}` |" in listed, f"{key} missing from {name}'s table"
    for key in values_in_play(load_scenario("baseline")):
        if not key.startswith("dynamics."):
            assert f"| `{key}` |" in by_scenario["baseline"], f"{key} missing"
