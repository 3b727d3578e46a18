"""Phase 4, safety and evaluation: alignment, latent misalignment, deception, signals."""

from __future__ import annotations

import math

from rules.rng import RandomSource, clamp
from rules.scenario import Dynamics
from rules.world import LabRec, World


def visible_risk(lab: LabRec, rigour: float) -> float:
    """The part of the misalignment an evaluation of this rigour can see through deception."""
    return lab.misalignment * (1 - lab.deception * (1 - rigour))


def draw_signal(lab: LabRec, rigour: float, dyn: Dynamics, rng: RandomSource) -> float:
    """One noisy evaluation signal of a lab's misalignment, in [0, 1]."""
    noise = dyn.signal_noise * (1.5 - rigour)
    return clamp(visible_risk(lab, rigour) + float(rng.normal(0.0, noise)))


def safety_phase(world: World, dyn: Dynamics, rng: RandomSource, inspected: set[str]) -> None:
    """Grow alignment, drift misalignment and deception, then draw everyone's signals.

    ``inspected`` holds the ids of officials who inspected this turn (sharper signal).
    Signals are drawn in a fixed order: labs, officials, whistleblowers.
    """
    for lab in world.active_labs():
        safety_compute = lab.compute * lab.safety_share
        gain = (
            dyn.safety_efficiency
            * math.sqrt(max(safety_compute, 0.0))
            * (1 + 0.5 * lab.eval_rigour)
        )
        lab.alignment += gain * (1.5 if lab.paused else 1.0)
        ratio = min(1.0, lab.alignment / max(lab.capability, 1e-9))
        lab.misalignment = clamp(
            lab.misalignment + dyn.misalignment_drift * (lab.last_gain / 10) * (1 - ratio)
        )
        lab.deception = clamp(
            lab.deception + dyn.deception_growth * (lab.last_gain / 10) * lab.misalignment,
            0.0,
            0.95,
        )
        if dyn.censorship_deception and lab.censorship_trained:
            lab.deception = clamp(lab.deception + dyn.censorship_deception_rate, 0.0, 0.95)
    for lab in world.active_labs():
        lab.signal = draw_signal(lab, lab.eval_rigour, dyn, rng)
    for off in world.officials.values():
        lab = world.labs[off.lab]
        if off.active:
            rigour = max(lab.eval_rigour, 0.8 * off.diligence)
            if off.id in inspected:
                rigour = min(1.0, rigour + 0.25)
            off.signal = draw_signal(lab, rigour, dyn, rng)
        else:
            off.signal = 0.0
    for wb in world.whistleblowers.values():
        if wb.status == "employed":
            wb.signal = draw_signal(
                world.labs[wb.lab], 0.8 * world.labs[wb.lab].eval_rigour, dyn, rng
            )
        else:
            wb.signal = 0.0
