"""The lab bot (racer or careful): pace and safety answer to its believed lead and its risk signal.

As in Armstrong, Bostrom & Shulman's public-information equilibrium, a lab's safety
grows with its lead (its own noisy estimate of the best rival) and shrinks with enmity
(its state's hawkishness); a close follower facing a hawkish rival cuts corners (Stafford,
Trager & Dafoe). It also answers to what its evaluations show: a careful lab turns more
compute to safety, raises rigour and may pause when the signal is strong; a racer only
when it is alarming. Under voluntary reporting a careful lab discloses in full, a racer
hides bad news.
"""

from __future__ import annotations

from typing import Literal

import numpy as np

from agents.bots.common import caught_lately
from rules.actions import LabOrder
from rules.rng import clamp
from rules.views import LabObservation


def lab_bot(obs: LabObservation, personality: str, rng: np.random.Generator) -> LabOrder:
    """A racer or a careful lab deciding its levers for the quarter."""
    me = obs["self"]
    if me["merged_into"]:
        return LabOrder()
    pub = obs["public"]
    careful = personality == "careful"
    enmity = pub["states"][me["state"]]["hawkishness"]
    rival = max(me["estimates"].values(), default=0.0)
    lead = me["capability"] - rival
    # ABS: the leader's safety grows with its lead over enmity.
    lead_term = clamp(lead / (20.0 * max(enmity, 0.1)))
    base = 0.08 if careful else 0.03
    share = base + (0.14 if careful else 0.06) * lead_term
    if lead < 0 and lead > -8 and enmity > 0.6:
        share *= 0.6  # a close follower with a hawkish state cuts corners
    signal = me["signal"]
    if signal > (0.25 if careful else 0.45):
        share += (0.25 if careful else 0.12) * signal
    near = me["capability"] >= pub["thresholds"]["automation"]
    if near and careful:
        share += 0.05
    caught = caught_lately(obs, me["id"])
    if caught:
        share += 0.08 if careful else 0.04
    share = clamp(min(share, 0.35 if careful else 0.2), 0.0, 0.5)
    share = clamp(max(share, me["safety_floor_in_force"]), 0.0, 0.5)
    rigour = clamp(me["eval_rigour"] + (0.05 if careful or caught else -0.02), 0.2, 0.9)
    pause = (careful and signal > 0.5 and lead > 3 and rng.random() < 0.5) or (
        signal > 0.75 and lead > 10
    )
    disclose: Literal["full", "partial", "none"] | None = None
    if me["oversight"] == 1:
        disclose = "full" if careful else ("partial" if signal < 0.4 else "none")
    return LabOrder(
        safety_share=round(share, 3),
        eval_rigour=round(rigour, 3),
        release=me["release"],
        disclose=disclose,
        pause=bool(pause),
        distil=lead < 0,
        lobby=None if me["nationalised"] else (not careful and enmity > 0.5),
    )
