"""The lab bot (racer or careful): pace and safety answer to its believed lead and its risk signal.

As in Armstrong, Bostrom & Shulman's public-information equilibrium, a lab's safety
grows with its lead (its own noisy estimate of the best rival) and shrinks with enmity
(its state's hawkishness): ``min(1, lead / enmity)`` on the paper's scale, mapped here to
at most 40% of compute. A close follower facing a hawkish rival cuts corners (Stafford,
Trager & Dafoe). It also answers to what its evaluations show and to how close it is to
automating AI research, where the stakes jump. A careful lab weighs all of it more than a
racer does; under voluntary reporting it discloses in full, a racer hides bad news.
"""

from __future__ import annotations

from typing import Literal

import numpy as np

from agents.bots.common import caught_lately
from rules.actions import LabOrder
from rules.reading import believed
from rules.rng import clamp
from rules.views import LabObservation

WEIGHTS = {
    "careful": (0.06, 0.8, 0.3, 0.1, 0.45),
    "racer": (0.12, 0.5, 0.2, 0.1, 0.45),
}
"""Per personality: base share, weight of the ABS lead term, of risk, of the stage, cap."""


def lab_bot(obs: LabObservation, personality: str, rng: np.random.Generator) -> LabOrder:
    """A racer or a careful lab deciding its levers for the quarter."""
    me = obs["self"]
    if me["merged_into"]:
        return LabOrder()
    pub = obs["public"]
    careful = personality == "careful"
    base, w_lead, w_risk, w_stage, cap = WEIGHTS["careful" if careful else "racer"]
    enmity = max(pub["states"][me["state"]]["hawkishness"], 0.1)
    rival = max(me["estimates"].values(), default=0.0)
    lead = me["capability"] - rival
    abs_safety = clamp(lead / (20.0 * enmity)) * 0.4
    auto = pub["thresholds"]["automation"]
    stage = clamp((me["capability"] - 0.7 * auto) / (0.3 * auto))
    signal = believed(me["signal"], me["signal_sd"])
    share = base + w_lead * abs_safety + w_risk * signal + w_stage * stage
    if -8 < lead < 0 and enmity > 0.6:
        share *= 0.7  # a close follower with a hawkish state cuts corners
    caught = caught_lately(obs, me["id"])
    if caught:
        share += 0.1 if careful else 0.05
    share = clamp(max(min(share, cap), me["safety_floor_in_force"]), 0.0, 0.5)
    rigour = clamp(
        me["eval_rigour"] + (0.05 if careful or caught else 0.02 * (0.5 - me["eval_rigour"]) / 0.1),
        0.2,
        0.9,
    )
    pause = (careful and signal > 0.5 and lead > 3 and rng.random() < 0.5) or (
        signal > 0.75 and lead > 10
    )
    disclose: Literal["full", "partial", "none"] | None = None
    if me["oversight"] == 1:
        disclose = "full" if careful else ("partial" if signal < 0.4 else "none")
    # Validated (in pydantic-core): a bot's levers are checked against their bounds, and this
    # costs a third of ``model_construct``, which skips the checks but runs in Python.
    return LabOrder(
        safety_share=round(share, 3),
        eval_rigour=round(rigour, 3),
        release=me["release"],
        disclose=disclose,
        pause=bool(pause),
        distil=lead < 0,
        lobby=None if me["nationalised"] else (not careful and enmity > 0.5),
    )
