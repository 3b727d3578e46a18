"""Build the turn-0 world from a scenario."""

from __future__ import annotations

from rules.phases.policy import enforce_floors, refresh_posts
from rules.scenario import Scenario
from rules.world import LabRec, OfficialRec, StateRec, Treaty, WhistleblowerRec, World


def initial_world(sc: Scenario) -> World:
    """Create the world at the start of the first turn (no randomness needed)."""
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
            subsidy=spec.subsidy,
            private_investment=spec.private_investment,
            oversight=spec.oversight,
            worker_protection=spec.worker_protection,
            channel_open=spec.channel_open,
            press_freedom=spec.press_freedom,
            leak_policy=spec.leak_policy,
            safety_floor=spec.safety_floor,
            approval=spec.approval,
            stability=spec.stability,
            distribution=spec.distribution,
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
            funding=0.0,
            revenue=0.0,
            safety_share=spec.safety_share,
            eval_rigour=spec.eval_rigour,
            release=spec.release,
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
    treaty = Treaty("active", sc.treaty.kind, None, 0) if sc.treaty else Treaty()
    world = World(
        turn=0,
        start_year=sc.start_year,
        start_quarter=sc.start_quarter,
        horizon=sc.turns,
        states=states,
        labs=labs,
        officials=officials,
        whistleblowers=whistleblowers,
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
    enforce_floors(world, sc.dynamics)  # a floor already in force binds from the start
    for off in officials.values():
        lab = labs[off.lab]
        if off.active:
            off.briefing = {
                "capability": lab.capability,
                "safety_share": lab.safety_share,
                "eval_rigour": lab.eval_rigour,
                "compute": lab.compute,
            }
    return world
