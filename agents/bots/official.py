"""The official bot (diligent or careerist): weighs what a brake is worth against what it costs.

It believes the lab's misalignment is about what its evaluation read (shrunk toward
"sound" by the report's uncertainty band: a noisy reading is weak evidence,
``rules.reading``) plus what it was tipped. A
brake is worth the risk it repairs (the pause's alignment research, credited to whoever
braked) and the share of the world's risk it removes, which grows as the lab nears the
threshold; it costs the official its ``troublemaker_cost`` (career pressure times the
troublemaker penalty, eased by the Party's fear or by public concern) and, if the lab
turns out sound, a false alarm. Both sides are in the official's own score units
(``rules.scoring.official_score``: 150 a unit of risk caught, 60 a unit of career cost,
-100 for everyone on a rogue ASI). A diligent official weighs the risk more and the
career less than a careerist; every personality brakes when the risk it believes in is
high enough and its own cost low enough, and none brakes when the cost is high and the
evidence thin. It reports at a lower bar, inspects when unsure, and a careerist under
heavy pressure may cover a problem up.
"""

from __future__ import annotations

import numpy as np

from rules.actions import OfficialOrder
from rules.phases.voice import BRAKE_COST, FALSE_ALARM_COST, FALSE_ALARM_LABEL, REPORT_COST
from rules.reading import believed
from rules.rng import clamp
from rules.views import OfficialObservation

REPAIR_SHARE = 0.4
"""About the share of a lab's misalignment a two-quarter brake's research repairs."""
FALSE_ALARM = 0.18
"""Below about this believed misalignment a brake is likely a false alarm: the scenarios'
``false_alarm_level`` is 0.12 of true misalignment, and a reading is noisy, so the bot keeps
a margin (at 0.12 the diligent bot raised 1.7 false alarms a game in ``baseline`` and
scored less than never acting)."""
MARGIN = 4.0
"""Score points a brake must net before an official uses it (more if the lab is paused)."""
WEIGHTS = {"diligent": (1.2, 0.9), "careerist": (0.7, 1.3)}
"""Per personality: weight on the risk a brake removes, weight on its career cost."""
IGNORE, INSPECT, REPORT, BRAKE, COVER_UP = (
    OfficialOrder(action=a) for a in ("ignore", "inspect", "report", "brake", "cover_up")
)
"""Its five orders, built once: orders are frozen, so every quarter of every game shares them."""


def believed_risk(signal: float, sd: float, tips: int) -> float:
    """The misalignment an official believes in: the reading weighed by its band, plus tips."""
    return clamp(believed(signal, sd) + 0.04 * min(tips, 3))


def brake_value(risk: float, near: float) -> float:
    """What a brake is worth in the official's score: repair credited, world risk removed."""
    return risk * REPAIR_SHARE * (150.0 + 100.0 * near)


def brake_cost(risk: float, troublemaker_cost: float) -> float:
    """What a brake costs in the official's score: the label, and maybe a false alarm."""
    false_alarm = clamp((FALSE_ALARM + 0.08 - risk) / 0.15)
    t = troublemaker_cost
    return 60.0 * (BRAKE_COST * t + false_alarm * (FALSE_ALARM_COST + FALSE_ALARM_LABEL * t))


def official_bot(
    obs: OfficialObservation, personality: str, rng: np.random.Generator
) -> OfficialOrder:
    """A diligent or careerist official deciding what to do with what it saw."""
    me = obs["self"]
    if not me["active"]:
        return IGNORE
    w_risk, w_cost = WEIGHTS["diligent" if personality == "diligent" else "careerist"]
    risk = believed_risk(me["signal"], me["signal_sd"], me["tips"])
    threshold = obs["public"]["thresholds"]["asi"]
    near = clamp(me["briefing"].get("capability", 0.0) / max(threshold, 1e-9))
    t = me["troublemaker_cost"]
    care = 0.5 + me["diligence"]
    paused = obs["public"]["labs"][me["lab"]]["paused"]
    net = w_risk * care * brake_value(risk, near) - w_cost * brake_cost(risk, t)
    if me["brake_authority"] and net > MARGIN + (8.0 if paused else 0.0):
        return BRAKE
    if w_risk * care * 25.0 * risk - w_cost * 60.0 * REPORT_COST * t > 3.0:
        return REPORT
    if personality != "diligent" and t > 0.6 and risk > 0.2 and rng.random() < 0.3:
        return COVER_UP
    unsure = me["signal_sd"] > 0.08 and 0.08 < risk < 0.3
    if rng.random() < me["diligence"] * (0.7 if unsure else 0.3):
        return INSPECT
    return IGNORE
