"""Phase 6, politics: concern, hawkishness, elections, the Party's fear, distribution, treaties.

- Public concern fades towards a floor and rises with job losses (incidents and leaks
  raised it earlier in the turn).
- Hawkishness moves each quarter a share ``hawk_adjust`` of the way to a target: the
  state's own base, plus ``race_pressure`` when its estimate says the race is close, plus
  a tenth of the controls the rival imposes on it, minus concern above 0.3, minus a
  standing treaty (the race answers to what each side believes and what the rival does).
- The democracy holds elections; above the threshold (raised by lab lobbying) voters
  turn concern into oversight, worker protection, a floor, and a more shared future.
  Oversight beyond what its public's concern supports costs a democracy stability each
  quarter (the essay: democratic officials act on their model of the public's beliefs).
- The one-party state's fear that AI could usurp the Party grows with its labs'
  capability, concern and incidents; above the threshold it embeds officials.
- A corrigible ASI's distribution drifts with politics: concern pushes a democracy
  towards sharing and lobbying towards an oligarchy; the Party's fear pushes towards
  control, instability towards sharing.
- Secret training under a pause treaty is caught with odds that rise with verification.
- Officials' troublemaker cost for the next quarter is set from career pressure, the
  penalty, and what eases it (the Party's fear; a democracy's concern).
"""

from __future__ import annotations

from rules.phases.policy import set_distribution
from rules.rng import RandomSource, clamp
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
        set_distribution(s, s.distribution_share + 0.2)
        return NewsItem(
            world.turn,
            "election",
            f"{s.name} election: voters turn AI concern into oversight and a safety floor.",
        )
    s.hawkishness = clamp(s.hawkishness + 0.05)
    set_distribution(s, s.distribution_share - 0.05)
    return NewsItem(world.turn, "election", f"{s.name} election: the race stays on.")


def mandate(s: StateRec, dyn: Dynamics) -> Oversight:
    """The oversight level a democracy's public supports now (its concern)."""
    if s.public_concern >= dyn.election_threshold:
        return Oversight.EMBEDDED
    if s.public_concern >= dyn.mandate_committee:
        return Oversight.COMMITTEE
    return Oversight.VOLUNTARY


def overreach(s: StateRec, dyn: Dynamics) -> int:
    """How many oversight levels a democracy stands beyond its public's mandate (0 if none)."""
    return max(0, int(s.oversight) - int(mandate(s, dyn)))


def _closeness(s: StateRec, world: World) -> float:
    """1 when the state believes the race is neck and neck, 0 when 20+ points apart."""
    own = max((v for k, v in s.estimates.items() if world.labs[k].state == s.id), default=0.0)
    rival = max((v for k, v in s.estimates.items() if world.labs[k].state != s.id), default=0.0)
    return clamp(1 - abs(own - rival) / 20)


def _hawkishness(world: World, s: StateRec, base: float, dyn: Dynamics) -> None:
    rival = world.states[world.rival_of(s.id)]
    target = (
        base
        + dyn.race_pressure * _closeness(s, world)
        + 0.1 * rival.export_controls * (1 if s.regime == "one_party" else 0)
        - 0.3 * max(0.0, s.public_concern - 0.3)
        - (0.1 if world.treaty.status == "active" else 0.0)
    )
    s.hawkishness = clamp(s.hawkishness + dyn.hawk_adjust * (clamp(target) - s.hawkishness))


def _secret_training(world: World, dyn: Dynamics, rng: RandomSource) -> list[NewsItem]:
    """Each state training in secret under a pause may be caught; if so the treaty collapses."""
    treaty = world.treaty
    draws = {sid: float(rng.random()) for sid in world.states}  # one per state, used or not
    if not (treaty.status == "active" and treaty.kind == "pause"):
        return []
    for sid, s in world.states.items():
        if not s.secret_training:
            continue
        odds = treaty.verification * dyn.treaty_detection + dyn.intel_detection
        if draws[sid] >= odds:
            continue
        rival = world.states[world.rival_of(sid)]
        s.approval = clamp(s.approval - 0.15)
        rival.hawkishness = clamp(rival.hawkishness + 0.25)
        rival.trust = 0.05
        rival.public_concern = clamp(rival.public_concern + 0.05)
        treaty.status, treaty.kind, treaty.proposed_by = "none", None, None
        treaty.since, treaty.until, treaty.verification, treaty.floor = -1, -1, 0.0, 0.0
        for st in world.states.values():
            st.secret_training = False
        return [
            NewsItem(
                world.turn,
                "treaty",
                f"Inspectors catch {s.name} training in secret: the pause collapses.",
            )
        ]
    return []


def _party(world: World, s: StateRec, own: float, dyn: Dynamics) -> list[NewsItem]:
    incidents = sum(lab.incidents for lab in world.labs_of(s.id))
    s.party_fear = clamp(
        0.92 * s.party_fear
        + 0.03 * own / world.asi_threshold
        + 0.1 * max(0.0, s.public_concern - 0.4)
        + 0.02 * min(incidents, 3)
    )
    set_distribution(
        s, s.distribution_share - 0.02 * s.party_fear + 0.03 * max(0.0, 0.5 - s.stability)
    )
    if s.party_fear > dyn.party_fear_threshold and s.oversight < Oversight.EMBEDDED:
        s.oversight = Oversight.EMBEDDED
        s.safety_floor = max(s.safety_floor, 0.1)
        return [
            NewsItem(
                world.turn,
                "party",
                f"Fearing AI could usurp the Party, {s.name} embeds officials in every AI lab.",
            )
        ]
    return []


def troublemaker_costs(world: World, dyn: Dynamics) -> None:
    """What a brake would cost each official next quarter (they see it in their observation)."""
    for off in world.officials.values():
        s = world.states[off.state]
        if s.regime == "one_party":
            relief = 1 - dyn.party_fear_relief * s.party_fear
        else:
            relief = 1 - 0.5 * s.public_concern
        off.troublemaker_cost = round(
            clamp(off.career_pressure * dyn.troublemaker_penalty * relief, 0.0, 2.0), 6
        )


def politics_phase(
    world: World,
    dyn: Dynamics,
    election_turns: dict[str, list[int]],
    hawk_base: dict[str, float],
    rng: RandomSource,
) -> list[NewsItem]:
    """Move concern, hawkishness, approval, stability, distribution; elections; Party fear."""
    news: list[NewsItem] = []
    t = world.turn
    for sid, s in world.states.items():
        floor = 0.2 if s.regime == "democracy" else 0.15
        s.public_concern = clamp(s.public_concern - dyn.concern_decay * (s.public_concern - floor))
        s.public_concern = clamp(s.public_concern + dyn.job_loss_concern * s.job_losses)
        _hawkishness(world, s, hawk_base.get(sid, s.hawkishness), dyn)
        if world.treaty.status == "active":
            s.approval = clamp(s.approval + 0.01)
            s.trust = clamp(s.trust + 0.03)
        s.approval = clamp(s.approval - 0.005 * s.hawkishness + 0.003)
        s.stability = clamp(s.stability - 0.02 * s.job_losses + 0.01 * s.worker_protection + 0.002)
        own = max((lab.capability for lab in world.labs_of(sid)), default=0.0)
        if s.regime == "democracy":
            s.stability = clamp(s.stability - dyn.overreach_cost * overreach(s, dyn))
            lobbying = sum(1 for lab in world.labs_of(sid) if lab.lobbying)
            set_distribution(
                s,
                s.distribution_share + 0.06 * (s.public_concern - 0.4) - 0.01 * lobbying,
            )
            if t in election_turns.get(sid, []):
                news.append(hold_election(world, s, dyn))
            upcoming = [e for e in election_turns.get(sid, []) if e > t]
            s.next_election = upcoming[0] if upcoming else None
        else:
            news += _party(world, s, own, dyn)
        del s.reports[:-5]
    news += _secret_training(world, dyn, rng)
    troublemaker_costs(world, dyn)
    return news
