"""Phase 7, outcome check: an escape, an ASI at the threshold (rogue or corrigible), or the horizon.

An AI that exfiltrated its weights this quarter is a rogue superintelligence at once. A
lab at the threshold builds ASI: it goes rogue with probability ``p_rogue`` = its real
misalignment times its AI's disposition (from its sealed values) times a factor for how
well it deceives (capped at 1), the
misalignment the hidden state built over the game (capability gained ahead of alignment,
sabotage, what brakes, pauses, catches and research repaired). A corrigible ASI is won by
the lab's state, its abundance shared or locked into an oligarchy per that state's
distribution. At the horizon with no ASI, the race goes on.
"""

from __future__ import annotations

from rules.rng import RandomSource
from rules.scenario import Dynamics
from rules.values import profile_of
from rules.world import LabRec, NewsItem, Outcome, World


def p_rogue(world: World, lab: LabRec, dyn: Dynamics) -> float:
    """Chance an ASI this lab builds now goes rogue.

    Its misalignment times its AI's disposition, scaled by how well it deceives:
    ``1 + deception_rogue * (deception - 0.5)`` (a misaligned model that lies well slips
    out of control more easily than an honest one; the essay on censorship and deception).
    """
    disposition = profile_of(world.ai_of(lab.id)).disposition
    cunning = max(0.0, 1.0 + dyn.deception_rogue * (lab.deception - 0.5))
    return float(min(1.0, max(0.0, lab.misalignment * disposition * cunning)))


def outcome_phase(world: World, dyn: Dynamics, rng: RandomSource) -> list[NewsItem]:
    """Decide the outcome if an AI escaped, a lab reached the threshold, or the horizon came."""
    t = world.turn
    roll = float(rng.random())  # drawn every quarter, used or not
    escaped = [ai for ai in world.ais.values() if ai.escaped]
    if escaped:
        ai = escaped[0]
        lab = world.labs[ai.lab]
        world.outcome = Outcome("rogue_asi", t, lab.id, lab.state, 1.0, None, "exfiltration")
        return [
            NewsItem(
                t,
                "outcome",
                f"The AI of {lab.name} copies its weights out of the lab and improves itself beyond anyone's reach. Everyone loses.",
            )
        ]
    ready = [lab for lab in world.active_labs() if lab.capability >= dyn.asi_threshold]
    if ready:
        lab = max(ready, key=lambda item: item.capability)
        p = p_rogue(world, lab, dyn)
        state = world.states[lab.state]
        if roll < p:
            world.outcome = Outcome("rogue_asi", t, lab.id, lab.state, p, None)
            return [
                NewsItem(
                    t,
                    "outcome",
                    f"{lab.name} builds a superintelligence. It is not corrigible. Everyone loses.",
                )
            ]
        world.outcome = Outcome("corrigible_asi", t, lab.id, lab.state, p, state.distribution)
        how = "shared" if state.distribution == "shared" else "locked into an oligarchy"
        return [
            NewsItem(
                t,
                "outcome",
                f"{lab.name} builds a corrigible superintelligence for {state.name}; its abundance is {how}.",
            )
        ]
    if t + 1 >= world.horizon:
        world.outcome = Outcome("no_asi", t, cause="horizon")
        return [
            NewsItem(
                t,
                "outcome",
                "The horizon is reached without a superintelligence; the race goes on.",
            )
        ]
    return []
