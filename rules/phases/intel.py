"""End of turn: what each role learns for its next decision (estimates, briefings, benchmarks)."""

from __future__ import annotations

from rules.rng import RandomSource
from rules.scenario import Dynamics
from rules.world import World


def intel_phase(world: World, dyn: Dynamics, rng: RandomSource) -> None:
    """Refresh public benchmarks, states' and labs' estimates, and officials' briefings."""
    racing = world.active_labs()
    labs = list(world.labs)
    # A fixed number of standard normal draws every quarter, used or not: a benchmark per
    # lab, an estimate per (state, lab) and per (lab, other lab), whatever races or releases.
    z_bench = {lid: float(rng.normal(0.0, 1.0)) for lid in labs}
    z_state = {(sid, lid): float(rng.normal(0.0, 1.0)) for sid in world.states for lid in labs}
    z_lab = {(a, b): float(rng.normal(0.0, 1.0)) for a in labs for b in labs if a != b}
    for lab in racing:
        if lab.release != "none" or lab.benchmark == 0.0:
            lab.benchmark = max(0.0, lab.capability * (1 + 0.05 * z_bench[lab.id]))
    verify = 1.0 - 0.5 * world.treaty.verification if world.treaty.status == "active" else 1.0
    for sid, s in world.states.items():
        for lab in racing:
            noise = 0.03 if lab.state == sid else dyn.intel_noise * verify
            s.estimates[lab.id] = max(0.0, lab.capability * (1 + noise * z_state[sid, lab.id]))
    for lab in racing:
        for other in racing:
            if other.id != lab.id:
                lab.estimates[other.id] = max(
                    0.0, other.capability * (1 + dyn.intel_noise * z_lab[lab.id, other.id])
                )
    for off in world.officials.values():
        lab = world.labs[off.lab]
        off.briefing = (
            {
                "capability": lab.capability,
                "safety_share": lab.safety_share,
                "eval_rigour": lab.eval_rigour,
                "compute": lab.compute,
            }
            if off.active
            else {}
        )
