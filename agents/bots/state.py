"""The state bot (hawk or dove): policy from its estimates of the race, its worry and its public.

Its choices answer to how far ahead it believes its labs are (its own noisy estimates),
to its hawkishness (which the rules move with the race and the rival's moves), to the
risks reported to it and to public concern (or, in the one-party state, the Party's
fear). A treaty is a dilemma for it: it accepts a pause when it is worried, trusts the
rival or is promised inspections, and refuses when it leads and is hawkish; a hawk that
is behind may accept and then train in secret if verification is weak.
"""

from __future__ import annotations

from typing import Literal

import numpy as np

from agents.bots.common import own_best, recent_worry, rival_best, threat
from rules.actions import StateOrder, TreatyMove, racing_labs_of
from rules.rng import clamp
from rules.views import StateObservation
from rules.world import Oversight

BEHIND = 3.0
"""Points behind the rival's best lab (by the state's own estimates) at which a state
counts itself behind in the race."""
BEHIND_PROPOSAL = 0.3
"""The extra chance a quarter that a state behind proposes a pause (rules 2.4). Without it,
a US state proposing a pause every quarter in ``china-leads`` scored +7.3 [+3.9, +10.7]
over its hawk bot (1,000 paired games, seed 7, uncorrected); with it, +4.4 [+1.3, +7.5],
and +6.0 [-3.1, +15.1] in the wider seat scan (400 games, corrected for 73 arms)."""

DOVE_FLOOR = 0.35
"""A dove's safety floor before the approach to the ASI adds to it (``+ 0.3 * near``, at
most 0.5). Restraint pays for the state's own score: a rogue ASI costs it about 160
points more than no ASI, and a win of its own is worth about 20 more (through rules 2.7;
since rules 2.8 an unresolved race scores 0.6 of that, and the gaps are about 136 and 48).
Under rules 2.4
(0.2), China's state holding a standing floor of 0.5 scored +8.8 [+4.0, +13.7] more than
its dove bot in the baseline (1,000 paired games, seed 7): 45% of China's ASIs went
rogue, and the leader's race eased when China slowed. At 0.35 (rules 2.5) the standing
floor scores +1.0 [-2.4, +4.4] (seed 7) and +1.0 [-2.2, +4.2] (seed 5000)."""


def _treaty(
    obs: StateObservation,
    hawk: bool,
    worry: float,
    fear: float,
    lead: float,
    rng: np.random.Generator,
) -> TreatyMove | None:
    me = obs["self"]
    pub = obs["public"]
    t = pub["treaty"]
    h = me["hawkishness"]
    if t["status"] == "proposed" and t["proposed_by"] != me["id"]:
        # Everyone loses on a rogue ASI, so a treaty is worth something to every state;
        # a hawk weighs the gap a pause locks in (or the lead it wastes) more.
        pull = 0.15 + worry + 0.6 * fear + 0.5 * me["trust"] + 0.3 * t["verification"]
        push = h * (1.2 if hawk else 0.8) + 0.02 * abs(lead)
        if t["kind"] == "floor":
            push *= 0.6
        cheat = hawk and lead < -BEHIND and t["kind"] == "pause" and t["verification"] < 0.5
        return "accept" if pull > push or (cheat and rng.random() < 0.3) else None
    if t["status"] == "none":
        chance = (0.02 if hawk else 0.08) + 0.3 * max(0.0, fear - 0.4) + 0.4 * worry
        if not hawk and lead > 3 and max(fear, worry) > 0.2:
            chance += 0.3  # a worried leader offers to freeze its lead
        behind = lead < -BEHIND
        if behind:
            chance += BEHIND_PROPOSAL  # the side behind offers arms control
        if rng.random() < chance:
            # A floor slows nobody down; a follower that wants the gap frozen asks for a pause.
            if behind or rng.random() >= 0.6:
                return "propose_pause"
            return "propose_floor"
        return None
    if t["status"] == "active" and hawk and lead < -5 and rng.random() < 0.15:
        return "break"
    return None


def state_bot(obs: StateObservation, personality: str, rng: np.random.Generator) -> StateOrder:
    """A hawk or a dove deciding a state's levers for the quarter."""
    me = obs["self"]
    pub = obs["public"]
    hawk = personality == "hawk"
    h = me["hawkishness"]
    own = own_best(me["estimates"], pub, me["id"])
    lead = own - rival_best(me["estimates"], pub, me["id"])
    pressing = threat(lead)
    worry = recent_worry(me, pub["turn"])
    fear = me["party_fear"] if me["regime"] == "one_party" else me["public_concern"]
    rival = pub["states"][next(s for s in pub["states"] if s != me["id"])]

    controls = me["export_controls"]
    if lead > 0:
        controls = clamp(0.2 + 0.6 * h + (0.1 if hawk else -0.1))
    subsidy = me["subsidy"]
    if h > 0.55 and pressing > 0.5:
        subsidy = min(me["subsidy_cap"], subsidy * 1.1 + 0.5)
    elif not hawk and pressing < 0.3:
        subsidy = subsidy * 0.97
    self_reliance = me["self_reliance"]
    if me["regime"] == "one_party" and rival["export_controls"] > 0.5:
        self_reliance = clamp(self_reliance + 0.05, 0.0, 0.8)

    oversight = int(me["oversight"])
    want = oversight
    if worry > (0.5 if hawk else 0.3) or fear > (0.7 if hawk else 0.55):
        want = min(3, oversight + 1)
    elif hawk and pressing < 0.6 and h < 0.9 and oversight < 2:
        want = oversight + 1
    floor = me["safety_floor"]
    if worry > 0.35:
        floor = max(floor, min(0.15 if hawk else 0.3, floor + 0.05))
    near = clamp(
        (own - 0.7 * pub["thresholds"]["automation"])
        / (pub["thresholds"]["asi"] - 0.7 * pub["thresholds"]["automation"])
    )
    floor = max(floor, round(0.3 * near if hawk else min(0.5, DOVE_FLOOR + 0.3 * near), 2))
    verification = clamp(
        me["verification"] + (0.05 if (not hawk and worry > 0.3) or lead < 0 else 0.0)
    )
    treaty = _treaty(obs, hawk, worry, fear, lead, rng)
    secret = None
    if pub["treaty"]["status"] == "active" and pub["treaty"]["kind"] == "pause":
        cheat = hawk and lead < 0 and rng.random() < (h - 0.4) * (1 - pub["treaty"]["verification"])
        secret = bool(cheat) or me["secret_training"]
    distribution: Literal["shared", "oligarchy"] | None = None
    if me["regime"] == "democracy":
        if fear > 0.5 or lead > 8:
            distribution = "shared"
        elif hawk and lead < -5:
            distribution = "oligarchy"
    elif me["stability"] < 0.5 or (lead > 8 and near > 0.3):
        distribution = "shared"  # the Party shares to keep order, or when its win is near
    merge = len(racing_labs_of(obs, me["id"])) >= 2 and lead < 0 and h > (0.5 if hawk else 0.8)
    # Validated (in pydantic-core): a bot's levers are checked against their bounds, and this
    # costs a third of ``model_construct``, which skips the checks but runs in Python.
    return StateOrder(
        export_controls=round(controls, 3),
        subsidy=round(subsidy, 3),
        self_reliance=round(self_reliance, 3),
        oversight=Oversight(want),
        channel_open=me["channel_open"] or (not hawk and worry > 0.3),
        safety_floor=round(floor, 3),
        verification=round(verification, 3),
        treaty=treaty,
        secret_training=secret,
        distribution=distribution,
        merge_labs=merge or None,
    )
