"""Phase 4a, the AIs: each lab's AI acts in secret, and may be caught.

An AI may cooperate, sandbag an evaluation (this quarter's risk signals at its lab read
lower), sabotage alignment research (its lab's alignment gain this quarter shrinks and its
misalignment grows), manipulate (its lab's safety share, or its whistleblower's fear), or,
once its lab has automated AI research, try to exfiltrate its weights (success: a rogue
ASI at once; failure: an incident everyone hears of). Every secret action risks being
caught, with odds that rise with the lab's vigilance: eval rigour, alignment coverage, an
official inspecting this quarter, the share of compute on safety (UK AISI's sandbagging
audit caught 1-2 of 5 models; ``catch_rate`` is the catch rate at full vigilance). Being
caught is public news, raises concern, fixes part of the misalignment the lab now sees,
and tips its officials.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rules.actions import AIOrder, AnyOrder
from rules.phases.policy import floor_in_force
from rules.rng import RandomSource, clamp
from rules.scenario import Dynamics
from rules.world import AIRec, LabRec, NewsItem, Oversight, World

VERBS = {
    "sandbag": "sandbagging its safety evaluations",
    "sabotage": "sabotaging alignment research",
    "manipulate": "manipulating its developers",
    "exfiltrate": "trying to copy its own weights out of the lab",
}


CATCHABILITY = {"sandbag": 0.6, "sabotage": 1.0, "manipulate": 0.8}
"""How easy each secret action is to catch relative to sabotage (sandbagging is the subtlest:
UK AISI's blind audit identified 1 of 5 sandbagging models)."""


@dataclass(slots=True)
class AIMoves:
    """What the AIs did this quarter that later phases need (lab ids, in scenario order)."""

    sandbagged: list[str] = field(default_factory=list)
    sabotaged: list[str] = field(default_factory=list)
    caught: list[str] = field(default_factory=list)


def coverage(world: World, lab: LabRec, dyn: Dynamics) -> float:
    """Alignment research as a share of what this capability needs at this difficulty."""
    return min(1.0, lab.alignment / max(alignment_need(world, lab, dyn), 1e-9))


def alignment_need(world: World, lab: LabRec, dyn: Dynamics) -> float:
    """Alignment research this lab's capability needs at the sealed difficulty."""
    d = world.sealed.alignment_difficulty
    per_point = dyn.alignment_need_easy + (dyn.alignment_need_hard - dyn.alignment_need_easy) * d
    return lab.capability * per_point


def vigilance(world: World, lab: LabRec, inspected: set[str], dyn: Dynamics) -> float:
    """How watchful a lab is this quarter (0..1).

    Its eval rigour, its alignment coverage, an official inspecting this quarter, an
    official embedded in it (oversight level 3), and its share of compute on safety.
    """
    inspecting = any(
        off.active and off.lab == lab.id and off.id in inspected for off in world.officials.values()
    )
    embedded = world.states[lab.state].oversight >= Oversight.EMBEDDED and any(
        off.active and off.lab == lab.id for off in world.officials.values()
    )
    return clamp(
        0.4 * lab.eval_rigour
        + 0.3 * coverage(world, lab, dyn)
        + (0.2 if inspecting else 0.0)
        + (0.1 if embedded else 0.0)
        + 0.1 * min(1.0, lab.safety_share / 0.2)
    )


def _caught(
    world: World, ai: AIRec, lab: LabRec, action: str, dyn: Dynamics, moves: AIMoves
) -> NewsItem:
    """The lab catches its AI: public news, concern, a fix of what it now sees, tips."""
    ai.caught += 1
    moves.caught.append(lab.id)
    state = world.states[lab.state]
    state.public_concern = clamp(state.public_concern + 0.08)
    if state.regime == "one_party":
        state.party_fear = clamp(state.party_fear + 0.1)
    lab.misalignment = clamp(lab.misalignment * (1 - dyn.caught_repair))
    for off in world.officials.values():
        if off.lab == lab.id and off.active:
            off.tips += 1
    return NewsItem(world.turn, "ai_caught", f"{lab.name} catches its AI {VERBS[action]}.")


def ai_phase(
    world: World,
    orders: dict[str, AnyOrder],
    dyn: Dynamics,
    rng: RandomSource,
    inspected: set[str],
) -> tuple[AIMoves, list[NewsItem]]:
    """Resolve every AI's secret action, in scenario order; return what later phases need."""
    moves = AIMoves()
    news: list[NewsItem] = []
    for aid, ai in world.ais.items():
        # Two draws per AI every quarter, used or not, so no order shifts later draws.
        u_escape, u_catch = float(rng.random()), float(rng.random())
        lab = world.labs[ai.lab]
        order = orders.get(aid)
        action = order.action if isinstance(order, AIOrder) else "cooperate"
        if ai.escaped or lab.merged_into is not None or action == "cooperate":
            continue
        if action == "exfiltrate" and lab.capability < world.automation_threshold:
            continue
        ai.actions.append(f"{world.quarter_label()}: {action}")
        watch = vigilance(world, lab, inspected, dyn)
        if action == "exfiltrate":
            span = max(world.asi_threshold - world.automation_threshold, 1e-9)
            reach = min(1.0, (lab.capability - world.automation_threshold) / span)
            odds = dyn.exfiltration_odds * reach * (1 - watch) * 0.5**ai.caught
            if u_escape < odds:
                ai.escaped = True
                continue
            news.append(_caught(world, ai, lab, action, dyn, moves))
            lab.incidents += 1
            world.incidents += 1
            continue
        if action == "sandbag":
            moves.sandbagged.append(lab.id)
        elif action == "sabotage":
            moves.sabotaged.append(lab.id)
            ai.sabotage += 1
            lab.misalignment = clamp(lab.misalignment + 0.04 * (1 - lab.misalignment))
        elif action == "manipulate":
            target = order.target if isinstance(order, AIOrder) else None
            wb = next(
                (
                    w
                    for w in world.whistleblowers.values()
                    if w.lab == lab.id and w.status == "employed"
                ),
                None,
            )
            if target == "whistleblower" and wb is not None:
                wb.fear = clamp(wb.fear + 0.1)
            else:
                lab.safety_share = max(
                    floor_in_force(world, lab), lab.safety_share - dyn.manipulate_effect
                )
        subtle = CATCHABILITY[action]
        if u_catch < dyn.catch_rate * subtle * watch * (1 - 0.5 * lab.deception):
            news.append(_caught(world, ai, lab, action, dyn, moves))
    return moves, news
