"""Scenario schema and loading: every parameter of a game, validated, documented and sourced.

``rules.scenario.dynamics`` holds the world-wide rates, ``rules.scenario.specs`` the
starting position of every role and the scenario as a whole, ``rules.scenario.loading``
reading the bundled TOML files (``rules/scenarios/``, with ``extends`` for variants),
dotted-path overrides and their errors.
"""

from rules.scenario.dynamics import Dynamics
from rules.scenario.loading import (
    SCENARIO_NAMES,
    ScenarioError,
    describe_parameters,
    get_path,
    load_scenario,
    parse_scenario,
    scenario_data,
    with_overrides,
)
from rules.scenario.specs import (
    AIOdds,
    AISpec,
    EventOdds,
    LabSpec,
    OfficialSpec,
    PrecipiceSpec,
    Scenario,
    StateSpec,
    Treaty0,
    WhistleblowerSpec,
    Worldview,
)

__all__ = [
    "SCENARIO_NAMES",
    "AIOdds",
    "AISpec",
    "Dynamics",
    "EventOdds",
    "LabSpec",
    "OfficialSpec",
    "PrecipiceSpec",
    "Scenario",
    "ScenarioError",
    "StateSpec",
    "Treaty0",
    "WhistleblowerSpec",
    "Worldview",
    "describe_parameters",
    "get_path",
    "load_scenario",
    "parse_scenario",
    "scenario_data",
    "with_overrides",
]
