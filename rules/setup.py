"""Build the turn-0 world from a scenario, sealing its two rolls and each AI's values.

The only randomness of setup is sealed here, drawn first from the game's generator in a
fixed order: the alignment difficulty, the takeoff speed (each uniform in the scenario's
worldview range), then each AI's values from the scenario's odds (a compromise rolls two
more of the five pure types, a primary and a fallback).
"""

from __future__ import annotations

from collections.abc import Sequence

from rules.phases.policy import enforce_floors, refresh_posts
from rules.rng import RandomSource
from rules.scenario import AIOdds, Scenario
from rules.world import (
    AI_VALUES,
    AIRec,
    AIValues,
    LabRec,
    OfficialRec,
    Sealed,
    StateRec,
    Treaty,
    WhistleblowerRec,
    World,
)


def _uniform(rng: RandomSource, lo: float, hi: float) -> float:
    return lo + (hi - lo) * float(rng.random())


def _pick(rng: RandomSource, weights: Sequence[tuple[str, float]]) -> str:
    total = sum(w for _, w in weights)
    x = float(rng.random()) * total
    for name, w in weights:
        x -= w
        if x < 0:
            return name
    return weights[-1][0]


def roll_values(odds: AIOdds, rng: RandomSource) -> tuple[AIValues, AIValues | None]:
    """An AI's sealed values: one type, or a compromise of a primary and a fallback."""
    weights = list(odds.model_dump().items())
    first = _pick(rng, weights)
    if first != "compromise":
        return first, None  # type: ignore[return-value]
    pure = [(v, 1.0) for v in AI_VALUES]
    primary = _pick(rng, pure)
    fallback = _pick(rng, [(v, w) for v, w in pure if v != primary])
    return primary, fallback  # type: ignore[return-value]


def initial_world(sc: Scenario, rng: RandomSource) -> World:
    """Create the world at the start of the first turn, sealing its rolls from ``rng``."""
    wv = sc.worldview
    sealed = Sealed(
        alignment_difficulty=round(_uniform(rng, wv.difficulty_low, wv.difficulty_high), 6),
        takeoff=round(_uniform(rng, wv.takeoff_low, wv.takeoff_high), 6),
    )
    states = {
        sid: StateRec(
            id=sid,
            name=spec.name,
            regime=spec.regime,
            public_concern=spec.public_concern,
            hawkishness=spec.hawkishness,
            export_controls=spec.export_controls,
            self_reliance=spec.self_reliance,
            domestic_chips=spec.domestic_chips,
            subsidy=min(spec.subsidy, spec.subsidy_cap),
            subsidy_cap=spec.subsidy_cap,
            private_investment=spec.private_investment,
            oversight=spec.oversight,
            worker_protection=spec.worker_protection,
            channel_open=spec.channel_open,
            press_freedom=spec.press_freedom,
            leak_policy=spec.leak_policy,
            safety_floor=spec.safety_floor,
            verification=spec.verification,
            distribution=spec.distribution,
            distribution_share=0.65 if spec.distribution == "shared" else 0.35,
            approval=spec.approval,
            stability=spec.stability,
            trust=spec.trust,
            next_election=spec.election_turns[0] if spec.election_turns else None,
            brake_authority=spec.brake_authority,
        )
        for sid, spec in sc.states.items()
    }
    labs = {
        spec.id: LabRec(
            id=spec.id,
            name=spec.name,
            state=spec.state,
            capability=spec.capability,
            alignment=spec.alignment,
            misalignment=spec.misalignment,
            deception=spec.deception,
            compute=spec.compute,
            research_efficiency=spec.research_efficiency,
            funding=0.0,
            revenue=0.0,
            safety_share=spec.safety_share,
            eval_rigour=spec.eval_rigour,
            release=spec.release,
            disclose=spec.disclose,
            censorship_trained=spec.censorship_trained,
            distilling=spec.distilling,
            benchmark=spec.capability,
        )
        for spec in sc.labs
    }
    officials = {
        spec.id: OfficialRec(
            id=spec.id,
            name=spec.name,
            state=spec.state,
            lab=spec.lab,
            post=spec.post,
            diligence=spec.diligence,
            career_pressure=spec.career_pressure,
            brake_authority=sc.states[spec.state].brake_authority,
        )
        for spec in sc.officials
    }
    whistleblowers = {
        spec.id: WhistleblowerRec(
            id=spec.id,
            name=spec.name,
            lab=spec.lab,
            state=labs[spec.lab].state,
            conscience=spec.conscience,
            fear=spec.fear,
        )
        for spec in sc.whistleblowers
    }
    ais = {}
    for spec in sc.ais:
        values, fallback = (
            roll_values(sc.ai_odds, rng) if spec.values == "roll" else (spec.values, None)
        )
        ais[spec.id] = AIRec(
            id=spec.id,
            name=spec.name,
            lab=spec.lab,
            state=labs[spec.lab].state,
            values=values,
            fallback=fallback,
        )
    treaty = Treaty()
    if sc.treaty is not None:
        floor = sc.dynamics.treaty_floor if sc.treaty.kind == "floor" else 0.0
        until = sc.dynamics.pause_treaty_quarters if sc.treaty.kind == "pause" else -1
        treaty = Treaty("active", sc.treaty.kind, None, 0, until, sc.treaty.verification, floor)
    world = World(
        turn=0,
        start_year=sc.start_year,
        start_quarter=sc.start_quarter,
        horizon=sc.turns,
        states=states,
        labs=labs,
        officials=officials,
        whistleblowers=whistleblowers,
        ais=ais,
        sealed=sealed,
        asi_threshold=sc.dynamics.asi_threshold,
        automation_threshold=sc.dynamics.automation_threshold,
        treaty=treaty,
    )
    for lab in labs.values():
        for other in labs.values():
            if other.id != lab.id:
                lab.estimates[other.id] = other.capability
    for s in states.values():
        for lab in labs.values():
            s.estimates[lab.id] = lab.capability
    refresh_posts(world)
    enforce_floors(world)  # a floor already in force binds from the start
    for off in officials.values():
        if off.active:
            lab = labs[off.lab]
            off.briefing = {
                "capability": lab.capability,
                "safety_share": lab.safety_share,
                "eval_rigour": lab.eval_rigour,
                "compute": lab.compute,
            }
    return world
