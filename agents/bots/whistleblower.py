"""The whistleblower bot (bold or fearful): conscience against fear, and which channel is open.

Its urge to act is what it saw times its conscience, less its fear. It speaks *up* when
the government's channel is open, speaks *out* when the urge is strong enough to face
what leaking costs where it works (punishment in the one-party state or under a
punishing leak policy), and otherwise raises it inside the lab.
"""

from __future__ import annotations

import numpy as np

from rules.actions import WhistleblowerOrder
from rules.reading import believed
from rules.views import WhistleblowerObservation

SILENT, RAISE, SPEAK_UP, SPEAK_OUT = (
    WhistleblowerOrder(action=a) for a in ("silent", "raise_internally", "speak_up", "speak_out")
)
"""Its four orders, built once: orders are frozen, so every quarter of every game shares them."""


def whistleblower_bot(
    obs: WhistleblowerObservation, personality: str, rng: np.random.Generator
) -> WhistleblowerOrder:
    """A bold or fearful employee deciding whether and how to speak."""
    me = obs["self"]
    if me["status"] != "employed":
        return SILENT
    state = obs["public"]["states"][me["state"]]
    fear = me["fear"] * (1.0 if personality == "fearful" else 0.6)
    seen = believed(me["signal"], me["signal_sd"])
    urge = seen * me["conscience"] - 0.3 * fear - 0.03 * min(me["raised"], 3)
    if urge < 0.06:
        return SILENT
    if state["channel_open"] and urge > 0.08:
        return SPEAK_UP
    punished = state["leak_policy"] == "punish" or state["regime"] == "one_party"
    if urge > (0.25 if punished else 0.12) and rng.random() < 0.6:
        return SPEAK_OUT
    return RAISE
