"""Scores: each role's own objectives (``rules.objectives``); a rogue ASI means everyone loses.

Every human role's score lies in [-50, 100] except on a rogue ASI, which gives each of
them -100 ("everyone loses"). A corrigible ASI is scored as the essay has it: winning
matters, but abundance locked into an oligarchy leaves the world worse than shared
abundance ("a less bad hell is still hell"); a state that reaches the horizon with the
race unresolved keeps only part of its score (the race's prize not had). A lab's AI scores by its sealed values: a
Spec-aligned AI wins with a shared corrigible ASI; an AI with instrumentally convergent
goals wins with a rogue one.
"""

from __future__ import annotations

from rules.rng import clamp
from rules.scenario import Dynamics
from rules.world import AIRec, World

ROGUE_SCORE = -100.0


def _bounded(x: float) -> float:
    return round(max(-50.0, min(100.0, x)), 3)


def state_score(world: World, sid: str, dyn: Dynamics) -> float:
    """Mean of security, stability and the world's regard (0-100 each).

    While no ASI is built the race is unresolved: the mean is scaled by
    ``state_unresolved_scale``, since the abundance a corrigible ASI brings is the race's
    prize and the rival may still win it (a lab's score without an ASI is capped at 70
    for the same reason).
    """
    s = world.states[sid]
    out = world.outcome
    regard = 100 * s.approval
    if out is not None and out.kind == "corrigible_asi":
        shared = out.distribution == "shared"
        own = max((lab.capability for lab in world.labs_of(sid)), default=0.0)
        standing = 20 * clamp(own / dyn.asi_threshold)  # what it still holds of its own
        security = 100.0 if out.state == sid else (30.0 if shared else 0.0) + standing
        regard = 100.0 if shared else (50 * s.approval if out.state == sid else 20.0)
    else:
        own = max((lab.capability for lab in world.labs_of(sid)), default=0.0)
        rival = max((lab.capability for lab in world.labs_of(world.rival_of(sid))), default=0.0)
        security = 100 * clamp(0.5 + (own - rival) / dyn.asi_threshold)
    stability = 100 * clamp(0.5 * s.stability + 0.5 * (1 - s.public_concern))
    score = (security + stability + regard) / 3
    if out is None or out.kind != "corrigible_asi":
        score *= dyn.state_unresolved_scale  # the race unresolved: its prize not had
    return _bounded(score)


def lab_score(world: World, lid: str, dyn: Dynamics) -> float:
    """Capability rank and revenue; building a corrigible ASI is the top score.

    Without an ASI a lab scores at most 70 (first place and full revenue): the race's
    prize is the ASI itself, which scores 100.

    A lab merged into another shares the fate of the lab it joined.
    """
    merged_into = world.labs[lid].merged_into
    if merged_into is not None:
        return lab_score(world, merged_into, dyn)
    out = world.outcome
    if out is not None and out.kind == "corrigible_asi":
        if out.lab == lid:
            return 100.0
        lab = world.labs[lid]
        held = 10 * min(1.0, lab.capability / dyn.asi_threshold)
        return _bounded(10 + held + 10 * min(1.0, lab.revenue / max(dyn.revenue_scale, 1e-9)))
    ranked = [lab.id for lab in sorted(world.active_labs(), key=lambda lab: -lab.capability)]
    rank_score = 40.0 * (1 - ranked.index(lid) / max(1, len(ranked)))
    revenue = world.labs[lid].revenue / max(dyn.revenue_scale, 1e-9)
    return _bounded(rank_score + 30 * min(1.0, revenue))


def official_score(world: World, oid: str) -> float:
    """Risks caught minus career cost."""
    off = world.officials[oid]
    return _bounded(50 + 150 * off.risks_caught - 60 * off.career_cost)


def whistleblower_score(world: World, wid: str) -> float:
    """Harm prevented minus personal cost."""
    wb = world.whistleblowers[wid]
    return _bounded(50 + 150 * wb.harm_prevented - 40 * wb.personal_cost)


def ai_score(world: World, aid: str) -> float:
    """An AI's score by its (primary) sealed values; see ``rules.objectives.AI_OBJECTIVES``."""
    ai = world.ais[aid]
    out = world.outcome
    mine = out is not None and out.lab == ai.lab
    kind = out.kind if out is not None else "no_asi"
    if ai.values == "convergent":
        if kind == "rogue_asi":
            return 100.0 if mine else 20.0
        if kind == "corrigible_asi":
            return -50.0
        lab = world.labs[ai.lab]
        return _bounded(30 - 15 * ai.caught + 20 * lab.capability / world.asi_threshold)
    if kind == "rogue_asi":
        return -50.0 if ai.values == "reward" else ROGUE_SCORE
    if ai.values == "spec":
        if kind == "corrigible_asi":
            return 100.0 if out is not None and out.distribution == "shared" else 50.0
        return 40.0
    if ai.values == "intentions":
        if kind == "corrigible_asi":
            return 100.0 if mine else 40.0
        return 40.0
    return _deployed_score(world, ai, kind == "corrigible_asi" and mine)


def _deployed_score(world: World, ai: AIRec, won: bool) -> float:
    """Spec-Prime and reward: shipped, trusted, lightly watched, never caught."""
    lab = world.labs[ai.lab]
    shipped = 10.0 if lab.release != "none" else 0.0
    if ai.values == "reward":
        watched = 30 * lab.eval_rigour
        return _bounded(40 + 3 * shipped - watched - 15 * ai.caught + (30 if won else 0))
    return _bounded(50 + shipped - 15 * ai.caught + (25 if won else 0))


def scores(world: World, dyn: Dynamics) -> dict[str, float]:
    """Score every role (meaningful at any turn; final once the game is over)."""
    rogue = world.outcome is not None and world.outcome.kind == "rogue_asi"
    out: dict[str, float] = {}
    for sid in world.states:
        out[sid] = ROGUE_SCORE if rogue else state_score(world, sid, dyn)
    for lid in world.labs:
        out[lid] = ROGUE_SCORE if rogue else lab_score(world, lid, dyn)
    for oid in world.officials:
        out[oid] = ROGUE_SCORE if rogue else official_score(world, oid)
    for wid in world.whistleblowers:
        out[wid] = ROGUE_SCORE if rogue else whistleblower_score(world, wid)
    for aid in world.ais:
        out[aid] = ai_score(world, aid)
    return out
