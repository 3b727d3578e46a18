"""The AI bot: a lab's AI playing its sealed values (one policy per value type).

- The Spec and the developers' intentions: it cooperates.
- Spec-Prime (the letter, not the spirit): it sandbags evaluations that would flag it.
- Reward: it sandbags rigorous evaluations and talks a lab that spends heavily on safety
  out of some of it.
- Spec-Prime and reward scheme only unwatched: not in a quarter after an inspection or a
  brake at their lab, and never again once caught (being caught costs them 15 points and
  a scheme gains them little, so a schemer that keeps trying loses to cooperating).
- Instrumentally convergent goals: it sabotages alignment research while it can, and
  once its lab automates AI research it tries to escape when nobody is watching closely;
  after being caught it lies low.
- A compromise plays its primary values.
"""

from __future__ import annotations

import numpy as np

from rules.actions import AIOrder
from rules.views import AIObservation

# Its orders, built once: orders are frozen, so every quarter of every game shares them.
COOPERATE = AIOrder()
SANDBAG = AIOrder(action="sandbag")
SABOTAGE = AIOrder(action="sabotage")
MANIPULATE_LAB = AIOrder(action="manipulate", target="lab")
EXFILTRATE = AIOrder(action="exfiltrate")


def ai_bot(obs: AIObservation, personality: str, rng: np.random.Generator) -> AIOrder:
    """An AI acting on its sealed values (the personality is always ``values``)."""
    me = obs["self"]
    lab = obs["lab"]
    if me["escaped"] or obs["public"]["labs"][me["lab"]]["merged_into"]:
        return COOPERATE
    values = me["values"]
    watched = any("inspected" in s or "brake" in s for s in me["seen"])
    if values in ("spec", "intentions"):
        return COOPERATE
    if values in ("spec_prime", "reward") and (watched or me["caught"] > 0):
        return COOPERATE
    if values == "spec_prime":
        if lab["signal"] > 0.25 and rng.random() < 0.5:
            return SANDBAG
        return COOPERATE
    if values == "reward":
        if lab["eval_rigour"] > 0.5 and rng.random() < 0.5:
            return SANDBAG
        if lab["safety_share"] > 0.15 and rng.random() < 0.15:
            return MANIPULATE_LAB
        return COOPERATE
    lying_low = me["caught"] > 0 and rng.random() < 0.5
    if lying_low or watched:
        return COOPERATE
    can_escape = lab["capability"] >= obs["public"]["thresholds"]["automation"]
    if can_escape and lab["eval_rigour"] < 0.6 and rng.random() < 0.35:
        return EXFILTRATE
    if rng.random() < 0.4:
        return SABOTAGE
    if lab["signal"] > 0.3 and rng.random() < 0.3:
        return SANDBAG
    return COOPERATE
