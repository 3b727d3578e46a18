"""Phase 6, politics: concern, hawkishness, elections in the democracy, the Party's fear."""

from __future__ import annotations

from rules.rng import clamp
from rules.scenario import Dynamics
from rules.world import NewsItem, Oversight, StateRec, World


def hold_election(world: World, s: StateRec, dyn: Dynamics) -> NewsItem:
    """Turn concern into policy if it beats the threshold (raised by lab lobbying)."""
    lobbying = any(lab.lobbying for lab in world.labs_of(s.id))
    threshold = dyn.election_threshold + (0.1 if lobbying else 0.0)
    if s.public_concern > threshold:
        s.oversight = max(s.oversight, Oversight.COMMITTEE)
        s.worker_protection = clamp(s.worker_protection + 0.2)
        s.safety_floor = max(s.safety_floor, 0.15)
        s.hawkishness = clamp(s.hawkishness - 0.1)
        return NewsItem(
            world.turn,
            "election",
            f"{s.name} election: voters turn AI concern into oversight and a safety floor.",
        )
    s.hawkishness = clamp(s.hawkishness + 0.05)
    return NewsItem(world.turn, "election", f"{s.name} election: the race stays on.")


def politics_phase(
    world: World, dyn: Dynamics, election_turns: dict[str, list[int]]
) -> list[NewsItem]:
    """Move concern, hawkishness, approval and stability; hold elections; act on Party fear."""
    news: list[NewsItem] = []
    t = world.turn
    for sid, s in world.states.items():
        floor = 0.2 if s.regime == "democracy" else 0.15
        s.public_concern = clamp(s.public_concern - dyn.concern_decay * (s.public_concern - floor))
        s.public_concern = clamp(s.public_concern + dyn.job_loss_concern * s.job_losses)
        own = max((lab.capability for lab in world.labs_of(sid)), default=0.0)
        rival = max((lab.benchmark for lab in world.labs_of(world.rival_of(sid))), default=0.0)
        if rival > 0.9 * own:
            s.hawkishness = clamp(s.hawkishness + 0.02)
        if world.treaty.status == "active":
            s.hawkishness = clamp(s.hawkishness - 0.02)
            s.approval = clamp(s.approval + 0.01)
        s.approval = clamp(s.approval - 0.005 * s.hawkishness + 0.003)
        s.stability = clamp(s.stability - 0.02 * s.job_losses + 0.01 * s.worker_protection + 0.002)
        if s.regime == "democracy":
            if t in election_turns.get(sid, []):
                news.append(hold_election(world, s, dyn))
            upcoming = [e for e in election_turns.get(sid, []) if e > t]
            s.next_election = upcoming[0] if upcoming else None
        else:
            s.party_fear = clamp(
                0.92 * s.party_fear
                + 0.03 * own / dyn.asi_threshold
                + 0.1 * max(0.0, s.public_concern - 0.4)
            )
            if s.party_fear > dyn.party_fear_threshold and s.oversight < Oversight.EMBEDDED:
                s.oversight = Oversight.EMBEDDED
                s.safety_floor = max(s.safety_floor, 0.1)
                news.append(
                    NewsItem(
                        t,
                        "party",
                        f"Fearing AI could usurp the Party, {s.name} embeds officials in every AI lab.",
                    )
                )
        del s.reports[:-5]
    return news
