"""Phase 3, R&D: capability grows with compute, speeds itself up, and tows followers.

A lab's own progress per quarter is ``rd_efficiency * research_efficiency * compute **
compute_exponent * M(c)`` times the share of its effort not spent on safety.
The research multiplier ``M`` rises with capability: below the automation threshold AI
assistance lifts it to ``assist_multiplier`` (AI 2027: 5x at the superhuman coder); above
it the multiplier climbs geometrically to ``assist_multiplier * G`` at the ASI threshold,
where the takeoff die sets ``G`` between ``takeoff_growth_slow`` and
``takeoff_growth_fast`` (AI 2027's forecast: 5x at SC to 2,000x at ASI, i.e. G = 400).
A follower distilling the leader's released model closes a share of the gap to it each
quarter (the "tow truck"): a leader that races pulls it along, a leader that pauses or
stops releasing slows it; distilling needs compute of one's own (full speed from
``distill_compute_share`` of the leader's), so export controls slow the tow too.
"""

from __future__ import annotations

from rules.scenario import Dynamics
from rules.world import LabRec, World


def multiplier(capability: float, takeoff: float, dyn: Dynamics) -> float:
    """The research speed multiplier of a lab at this capability, for a takeoff die.

    At the automation threshold it is ``1 + (assist_multiplier - 1) * takeoff``
    (a slow takeoff gets less from automation); below it, that value raised to
    ``(capability / threshold) ** 2``; above it, that value times ``G ** progress`` where
    ``G`` runs geometrically from ``takeoff_growth_slow`` to ``takeoff_growth_fast``.
    """
    auto = dyn.automation_threshold
    at_auto = 1 + (dyn.assist_multiplier - 1) * takeoff
    if capability < auto:
        return float(at_auto ** ((max(capability, 0.0) / auto) ** 2))
    growth = dyn.takeoff_growth_slow * (dyn.takeoff_growth_fast / dyn.takeoff_growth_slow) ** (
        takeoff
    )
    span = max(dyn.asi_threshold - auto, 1e-9)
    return float(at_auto * growth ** ((capability - auto) / span))


def progress_share(world: World, lab: LabRec, dyn: Dynamics) -> float:
    """How much of its normal progress a lab makes: all, a pause's leak, or secret training."""
    if not lab.paused:
        return 1.0
    braked = world.turn < lab.paused_until
    treaty_pause = world.treaty.status == "active" and world.treaty.kind == "pause"
    if treaty_pause and not braked and world.states[lab.state].secret_training:
        return dyn.secret_training_share
    return dyn.pause_leak


def own_progress(world: World, lab: LabRec, dyn: Dynamics) -> float:
    """Capability a lab adds on its own this quarter (recursive speed-up included).

    ``rd_efficiency * research_efficiency * compute ** compute_exponent * M(c)``, times the
    share of the lab's effort that goes to capabilities: ``1 - safety_share`` (the
    alignment tax, one for one, as Armstrong, Bostrom & Shulman's ``c - s``) and ``1 -
    0.15 * eval_rigour`` (evaluations take time before each release).
    """
    effort = (1 - lab.safety_share) * (1 - 0.15 * lab.eval_rigour)
    lab.multiplier = multiplier(lab.capability, world.sealed.takeoff, dyn)
    scale = float(max(lab.compute, 0.0) ** dyn.compute_exponent)
    gain = dyn.rd_efficiency * lab.research_efficiency * scale * effort * lab.multiplier
    return gain * progress_share(world, lab, dyn)


def distillation_gain(world: World, lab: LabRec, leader: LabRec, dyn: Dynamics) -> float:
    """What a follower gains by distilling the leader's released model (the tow truck)."""
    if not lab.distilling or lab is leader or world.turn <= world.distill_blocked_until:
        return 0.0
    if leader.release == "none":
        return 0.0
    reach = 1.0 if leader.release == "open" else dyn.distill_api_reach
    gap = max(0.0, leader.benchmark - lab.capability)
    # Distilling takes compute of one's own: a student trained on a fraction of the teacher's.
    chips = min(1.0, lab.compute / max(dyn.distill_compute_share * leader.compute, 1e-9))
    return dyn.distill_rate * reach * gap * chips * progress_share(world, lab, dyn)


def research_phase(world: World, dyn: Dynamics) -> None:
    """Add every racing lab's progress, computed from the same start-of-phase world."""
    leader = world.leader()
    racing = world.active_labs()
    gains = [
        min(
            dyn.capability_step_cap,
            own_progress(world, lab, dyn) + distillation_gain(world, lab, leader, dyn),
        )
        for lab in racing
    ]
    for lab, gain in zip(racing, gains, strict=True):
        lab.last_gain = gain
        lab.capability += gain
