"""Phase 3, R&D: capability grows with compute, speeds up with itself, and tows followers."""

from __future__ import annotations

import math

from rules.scenario import Dynamics
from rules.world import LabRec, World


def own_progress(lab: LabRec, dyn: Dynamics) -> float:
    """Capability a lab adds on its own this quarter (recursive speed-up included)."""
    effective = lab.compute * (1 - lab.safety_share) * (1 - 0.15 * lab.eval_rigour)
    ratio = lab.capability / dyn.asi_threshold
    gain = dyn.rd_efficiency * math.sqrt(max(effective, 0.0)) * (1 + dyn.recursion * ratio * ratio)
    return gain * (dyn.pause_leak if lab.paused else 1.0)


def distillation_gain(world: World, lab: LabRec, leader: LabRec, dyn: Dynamics) -> float:
    """What a follower gains by distilling the leader: a share of the gap (the tow truck)."""
    if not lab.distilling or lab is leader or world.turn <= world.distill_blocked_until:
        return 0.0
    if leader.release == "none":
        return 0.0
    reach = 1.0 if leader.release == "open" else 0.7
    return dyn.distill_rate * reach * max(0.0, leader.capability - lab.capability)


def research_phase(world: World, dyn: Dynamics) -> None:
    """Add every racing lab's progress, computed from the same start-of-phase world."""
    leader = world.leader()
    racing = world.active_labs()
    gains = [own_progress(lab, dyn) + distillation_gain(world, lab, leader, dyn) for lab in racing]
    for lab, gain in zip(racing, gains, strict=True):
        lab.last_gain = gain
        lab.capability += gain
