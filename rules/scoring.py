"""Scores: each role's own objectives; a rogue ASI means everyone loses.

Every score lies in [-50, 100] except a rogue ASI, which gives every role -100.
"""

from __future__ import annotations

from rules.rng import clamp
from rules.scenario import Dynamics
from rules.world import World

ROGUE_SCORE = -100.0


def _bounded(x: float) -> float:
    return round(max(-50.0, min(100.0, x)), 3)


def state_score(world: World, sid: str, dyn: Dynamics) -> float:
    """Mean of security, stability and approval (0-100 each)."""
    s = world.states[sid]
    out = world.outcome
    if out is not None and out.kind == "corrigible_asi":
        shared = out.distribution == "shared"
        security = 100.0 if out.state == sid else (35.0 if shared else 10.0)
    else:
        own = max((lab.capability for lab in world.labs_of(sid)), default=0.0)
        rival = max((lab.capability for lab in world.labs_of(world.rival_of(sid))), default=0.0)
        security = 100 * clamp(0.5 + (own - rival) / dyn.asi_threshold)
    stability = 100 * clamp(0.5 * s.stability + 0.5 * (1 - s.public_concern))
    return _bounded((security + stability + 100 * s.approval) / 3)


def lab_score(world: World, lid: str, dyn: Dynamics) -> float:
    """Capability rank and revenue; building a corrigible ASI is the top score.

    A lab merged into another shares the fate of the lab it joined.
    """
    merged_into = world.labs[lid].merged_into
    if merged_into is not None:
        return lab_score(world, merged_into, dyn)
    out = world.outcome
    if out is not None and out.kind == "corrigible_asi":
        return 100.0 if out.lab == lid else 20.0
    ranked = [lab.id for lab in sorted(world.active_labs(), key=lambda lab: -lab.capability)]
    rank_score = 60.0 * (1 - ranked.index(lid) / max(1, len(ranked)))
    revenue = world.labs[lid].revenue / max(dyn.revenue_scale, 1e-9)
    return _bounded(rank_score + 40 * min(1.0, revenue))


def official_score(world: World, oid: str) -> float:
    """Risks caught minus career cost."""
    off = world.officials[oid]
    return _bounded(50 + 150 * off.risks_caught - 60 * off.career_cost)


def whistleblower_score(world: World, wid: str) -> float:
    """Harm prevented minus personal cost."""
    wb = world.whistleblowers[wid]
    return _bounded(50 + 150 * wb.harm_prevented - 40 * wb.personal_cost)


def scores(world: World, dyn: Dynamics) -> dict[str, float]:
    """Score every role (meaningful at any turn; final once the game is over)."""
    if world.outcome is not None and world.outcome.kind == "rogue_asi":
        return dict.fromkeys(world.role_ids(), ROGUE_SCORE)
    out: dict[str, float] = {}
    for sid in world.states:
        out[sid] = state_score(world, sid, dyn)
    for lid in world.labs:
        out[lid] = lab_score(world, lid, dyn)
    for oid in world.officials:
        out[oid] = official_score(world, oid)
    for wid in world.whistleblowers:
        out[wid] = whistleblower_score(world, wid)
    return out
