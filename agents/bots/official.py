"""The official bot (diligent or careerist): weighs what it saw against what a brake costs it.

It reads its signal, the tips it got, and ``troublemaker_cost`` (its career pressure
times the troublemaker penalty, eased by the Party's fear or by public concern). It brakes
when the risk it believes in outweighs its own career cost by a margin, reports when it
outweighs a fraction of it, and otherwise inspects now and then; a careerist under heavy
pressure may cover a problem up. Every personality brakes when the signal is strong
enough and its cost low enough.
"""

from __future__ import annotations

import numpy as np

from rules.actions import OfficialOrder
from rules.views import OfficialObservation

BRAKE_MARGIN = 0.55
REPORT_MARGIN = 0.35


def official_bot(
    obs: OfficialObservation, personality: str, rng: np.random.Generator
) -> OfficialOrder:
    """A diligent or careerist official deciding what to do with what it saw."""
    me = obs["self"]
    if not me["active"]:
        return OfficialOrder.model_construct(action="ignore")
    diligent = personality == "diligent"
    belief = min(1.0, 1.2 * me["signal"] + 0.1 * min(me["tips"], 3))
    value = belief * (1.0 + me["diligence"]) * (1.3 if diligent else 0.8)
    cost = me["troublemaker_cost"] * (0.6 if diligent else 1.2)
    paused = obs["public"]["labs"][me["lab"]]["paused"]
    margin = BRAKE_MARGIN + (
        0.3 if paused else 0.0
    )  # a lab already paused is braked again only on strong evidence
    if me["brake_authority"] and value - cost > margin:
        return OfficialOrder.model_construct(action="brake")
    if value - 0.4 * cost > REPORT_MARGIN:
        return OfficialOrder.model_construct(action="report")
    if not diligent and cost > 0.6 and belief > 0.3 and rng.random() < 0.3:
        return OfficialOrder.model_construct(action="cover_up")
    if rng.random() < me["diligence"] * (0.6 if diligent else 0.3):
        return OfficialOrder.model_construct(action="inspect")
    return OfficialOrder.model_construct(action="ignore")
