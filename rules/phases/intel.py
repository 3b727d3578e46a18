"""End of turn: what each role learns for its next decision (estimates, briefings, benchmarks)."""

from __future__ import annotations

from rules.rng import RandomSource
from rules.scenario import Dynamics
from rules.world import World


def intel_phase(world: World, dyn: Dynamics, rng: RandomSource) -> None:
    """Refresh public benchmarks, states' and labs' estimates, and officials' briefings."""
    racing = world.active_labs()
    for lab in racing:
        if lab.release != "none" or lab.benchmark == 0.0:
            lab.benchmark = max(0.0, lab.capability * (1 + float(rng.normal(0.0, 0.05))))
    verify = 1.0 - 0.5 * world.treaty.verification if world.treaty.status == "active" else 1.0
    for sid, s in world.states.items():
        for lab in racing:
            noise = 0.03 if lab.state == sid else dyn.intel_noise * verify
            s.estimates[lab.id] = max(0.0, lab.capability * (1 + float(rng.normal(0.0, noise))))
    for lab in racing:
        for other in racing:
            if other.id != lab.id:
                lab.estimates[other.id] = max(
                    0.0, other.capability * (1 + float(rng.normal(0.0, dyn.intel_noise)))
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
