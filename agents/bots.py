"""Bot policies: one per role kind, two personalities each, deciding from the observation only.

A bot sees exactly what a human in the seat would see (``rules.observe.observe``) and
draws any randomness from the generator it is given (the model's ``rng``). Personalities:
states hawk / dove, labs racer / careful, officials diligent / careerist,
whistleblowers bold / fearful.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from rules.actions import (
    AnyOrder,
    LabOrder,
    OfficialOrder,
    StateOrder,
    WhistleblowerOrder,
    racing_labs_of,
)
from rules.rng import clamp
from rules.views import (
    LabObservation,
    Observation,
    OfficialObservation,
    StateObservation,
    WhistleblowerObservation,
)
from rules.world import Oversight

Policy = Callable[[Observation, np.random.Generator], AnyOrder]
"""A seat's decision rule: an order from its observation, drawing randomness from the rng."""

PERSONALITIES: dict[str, tuple[str, str]] = {
    "state": ("hawk", "dove"),
    "lab": ("racer", "careful"),
    "official": ("diligent", "careerist"),
    "whistleblower": ("bold", "fearful"),
}


def _state(obs: StateObservation, personality: str, rng: np.random.Generator) -> StateOrder:
    me = obs["self"]
    pub = obs["public"]
    hawk = personality == "hawk"
    hawkish = me["hawkishness"]
    own = max(
        (v for k, v in me["estimates"].items() if pub["labs"][k]["state"] == me["id"]), default=0.0
    )
    rival = max(
        (v for k, v in me["estimates"].items() if pub["labs"][k]["state"] != me["id"]), default=0.0
    )
    behind = rival > own
    worry = max((r["risk"] for r in me["reports"] if r["turn"] >= pub["turn"] - 2), default=0.0)
    fear = me["party_fear"] if me["regime"] == "one_party" else me["public_concern"]
    controls = (
        clamp(0.3 + 0.6 * hawkish + (0.1 if hawk else -0.2))
        if not behind
        else me["export_controls"]
    )
    subsidy = me["subsidy"] * (1.1 if (hawk or behind) else 1.0)
    oversight = int(me["oversight"])
    want = oversight
    if fear + worry > (0.9 if hawk else 0.6):
        want = min(3, oversight + 1)
    elif hawk and hawkish > 0.8 and fear < 0.3:
        want = max(0, oversight - 1)
    treaty = None
    t = pub["treaty"]
    if t["status"] == "proposed" and t["proposed_by"] != me["id"]:
        if not hawk or hawkish < 0.5 or worry > 0.4:
            treaty = "accept"
    elif t["status"] == "none" and not hawk and rng.random() < 0.15 + 0.3 * fear:
        treaty = "propose_floor" if rng.random() < 0.7 else "propose_pause"
    elif t["status"] == "active" and hawk and behind and rng.random() < 0.15:
        treaty = "break"
    floor = me["safety_floor"]
    if worry > 0.35 or fear > 0.6:
        floor = min(0.5, floor + 0.05)
    # A state falling behind forges one national champion (AI 2027: China centralises its
    # labs); a hawk does it sooner. Doves keep several labs.
    merge = len(racing_labs_of(obs, me["id"])) >= 2 and behind and hawkish > (0.5 if hawk else 0.8)
    return StateOrder(
        export_controls=round(controls, 3),
        subsidy=round(min(200.0, subsidy), 3),
        oversight=Oversight(want),
        worker_protection=me["worker_protection"],
        channel_open=me["channel_open"] or (not hawk and worry > 0.3),
        safety_floor=round(floor, 3),
        treaty=treaty,
        merge_labs=merge or None,
    )


def _lab(obs: LabObservation, personality: str, rng: np.random.Generator) -> LabOrder:
    me = obs["self"]
    if me.get("merged_into"):
        return LabOrder()
    pub = obs["public"]
    careful = personality == "careful"
    hawkish = pub["states"][me["state"]]["hawkishness"]
    rival = max(me["estimates"].values(), default=0.0)
    leading = me["capability"] >= rival
    base = 0.12 if careful else 0.05
    share = base * (1.3 - hawkish) + (0.03 if leading and careful else 0.0)
    if me["signal"] > (0.3 if careful else 0.5):
        share += 0.08 if careful else 0.03
    share = max(share, me["safety_floor_in_force"])
    rigour = clamp(me["eval_rigour"] + (0.05 if careful else -0.02), 0.1, 0.9)
    pause = careful and me["signal"] > 0.55 and rng.random() < 0.5
    return LabOrder(
        safety_share=round(min(0.5, share), 3),
        eval_rigour=round(rigour, 3),
        release=me["release"],
        pause=pause,
        distil=not leading,
        lobby=(not careful and not me["nationalised"] and hawkish > 0.5),
    )


def _official(
    obs: OfficialObservation, personality: str, rng: np.random.Generator
) -> OfficialOrder:
    me = obs["self"]
    if not me["active"]:
        return OfficialOrder(action="ignore")
    pressure = me["career_pressure"]
    diligence = me["diligence"] * (1.0 if personality == "diligent" else 0.6)
    alarm = me["signal"] * diligence - 0.5 * pressure * (1.0 if personality == "careerist" else 0.6)
    if alarm > 0.12 and me["brake_authority"]:
        return OfficialOrder(action="brake")
    if alarm > 0.05:
        return OfficialOrder(action="report")
    if me["signal"] > 0.2 and personality == "careerist" and pressure > 0.6:
        return OfficialOrder(action="cover_up" if rng.random() < 0.3 else "ignore")
    if rng.random() < diligence * 0.5:
        return OfficialOrder(action="inspect")
    return OfficialOrder(action="ignore")


def _whistleblower(
    obs: WhistleblowerObservation, personality: str, rng: np.random.Generator
) -> WhistleblowerOrder:
    me = obs["self"]
    if me["status"] != "employed":
        return WhistleblowerOrder(action="silent")
    state = obs["public"]["states"][me["state"]]
    fear = me["fear"] * (1.0 if personality == "fearful" else 0.6)
    urge = me["signal"] * me["conscience"] - 0.3 * fear
    if urge < 0.06:
        return WhistleblowerOrder(action="silent")
    if state["channel_open"] and urge > 0.08:
        return WhistleblowerOrder(action="speak_up")
    punished = state["leak_policy"] == "punish" or state["regime"] == "one_party"
    if urge > (0.2 if punished else 0.12) and rng.random() < 0.6:
        return WhistleblowerOrder(action="speak_out")
    return WhistleblowerOrder(action="raise_internally")


def decide(
    role_kind: str, personality: str, obs: Observation, rng: np.random.Generator
) -> AnyOrder:
    """Return the bot's order for one role from its observation.

    Raises:
        ValueError: for an unknown role kind or personality, or an observation of another kind.
    """
    if personality not in PERSONALITIES.get(role_kind, ()):
        raise ValueError(f"unknown personality {personality!r} for a {role_kind}")
    if obs["role_kind"] != role_kind:
        raise ValueError(f"a {role_kind} bot was given a {obs['role_kind']}'s observation")
    if obs["role_kind"] == "state":
        return _state(obs, personality, rng)
    if obs["role_kind"] == "lab":
        return _lab(obs, personality, rng)
    if obs["role_kind"] == "official":
        return _official(obs, personality, rng)
    return _whistleblower(obs, personality, rng)


def make_policy(role_kind: str, personality: str) -> Policy:
    """The policy of a bot personality for a role kind.

    Raises:
        ValueError: for an unknown role kind or personality.
    """
    if personality not in PERSONALITIES.get(role_kind, ()):
        raise ValueError(f"unknown personality {personality!r} for a {role_kind}")

    def policy(obs: Observation, rng: np.random.Generator) -> AnyOrder:
        return decide(role_kind, personality, obs, rng)

    return policy
