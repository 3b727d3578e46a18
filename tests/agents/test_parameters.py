"""The numeric parameters of a scenario and their ranges (what a sensitivity analysis varies)."""

from __future__ import annotations

import enum
from typing import Literal

import pytest
from pydantic import BaseModel, Field

from agents.analysis.parameters import (
    Numeric,
    matches,
    numeric_fields,
    numeric_parameters,
    parameter_ranges,
    range_of,
)
from rules.scenario import SCENARIO_NAMES, get_path, load_scenario, with_overrides


class Level(enum.IntEnum):
    LOW = 0
    HIGH = 1


class Item(BaseModel):
    id: str
    weight: float = Field(0.5, ge=0, le=1)
    count: int = Field(3, ge=1, le=8)


class Section(BaseModel):
    rate: float = Field(2.0, gt=0)
    share: float = Field(0.0, ge=0)
    switch: bool = False
    level: Level = Level.LOW
    kind: Literal["a", "b"] = "a"
    label: str = "x"
    maybe: float | None = 0.25
    turns: list[int] = Field(default_factory=lambda: [1, 2])


class Whole(BaseModel):
    turns: int = 28
    section: Section = Field(default_factory=Section)
    members: dict[str, Section] = Field(default_factory=lambda: {"m": Section()})
    items: list[Item] = Field(default_factory=lambda: [Item(id="first"), Item(id="second")])


def test_the_walk_finds_numbers_by_path_and_skips_switches_choices_levels_and_names() -> None:
    found = {n.path: n for n in numeric_fields(Whole())}
    assert list(found) == [
        "section.rate",
        "section.share",
        "section.maybe",
        "members.m.rate",
        "members.m.share",
        "members.m.maybe",
        "items.first.weight",
        "items.first.count",
        "items.second.weight",
        "items.second.count",
    ]
    assert found["section.rate"] == Numeric("section.rate", 2.0, False, 0.0, True, None, False)
    assert found["items.first.count"] == Numeric(
        "items.first.count", 3.0, True, 1.0, False, 8.0, False
    )


def test_ranges_come_from_the_schema_or_a_spread_around_the_value() -> None:
    found = {n.path: n for n in numeric_fields(Whole())}
    weight = range_of(found["items.first.weight"])
    assert weight is not None and (weight.low, weight.high, weight.source) == (0, 1, "schema")
    rate = range_of(found["section.rate"], spread=0.25)
    assert rate is not None and (rate.low, rate.high, rate.source) == (1.5, 2.5, "relative")
    assert range_of(found["section.share"]) is None  # 0 ± 50%: nothing to vary
    count = range_of(found["items.first.count"], "relative")
    assert count is not None and (count.low, count.high, count.integer) == (2, 4, True)
    assert count.text(2.6) == "3" and count.text(99) == "4"
    # An exclusive bound is kept clear of: gt=0 with a range reaching it.
    near_zero = Numeric("x", 0.1, False, 0.0, True, 1.0, False)
    r = range_of(near_zero)
    assert r is not None and r.low == pytest.approx(0.01) and r.high == 1.0


@pytest.mark.parametrize("name", SCENARIO_NAMES)
def test_every_range_of_every_scenario_is_a_valid_scenario_at_both_ends(name: str) -> None:
    sc = load_scenario(name)
    ranges, _fixed = parameter_ranges(sc)
    assert ranges
    for r in ranges:
        value = get_path(sc, r.path)
        assert type(value) in (int, float), r.path  # never a switch or a level
        assert r.low <= r.base <= r.high or r.source == "schema", r.path
        for x in (r.low, r.high):
            with_overrides(sc, {r.path: r.text(x)})
    paths = [r.path for r in ranges]
    assert "turns" not in paths and "start_year" not in paths
    if sc.mode == "precipice":
        assert all(p.startswith("precipice.") for p in paths)
    else:
        assert not any(p.startswith("precipice.") for p in paths)


def test_only_and_skip_select_by_dotted_prefix() -> None:
    sc = load_scenario("baseline")
    every = [p.path for p in numeric_parameters(sc)]
    ranges, _ = parameter_ranges(sc, only=("dynamics",), skip=("dynamics.asi_threshold",))
    paths = [r.path for r in ranges]
    assert "dynamics.asi_threshold" in every and "dynamics.asi_threshold" not in paths
    assert paths and all(p.startswith("dynamics.") for p in paths)
    assert not matches("dynamics.assist_multiplier", ["dyn"]) and matches(
        "labs.us-lab.compute", ["labs."]
    )
