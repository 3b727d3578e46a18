"""Phase 1, policy: states' and labs' orders take effect (levers, treaties, rulings).

Treaties are a dilemma, not a switch: a proposal stands for ``proposal_quarters`` and
lapses unless the rival accepts; the accepted treaty's verification is the lower of the
two states' offers; a mutual pause lasts ``pause_treaty_quarters`` and must then be
renewed; either side may break it openly, or train in secret (``secret_training``),
caught with odds that rise with verification (``politics`` phase).
"""

from __future__ import annotations

from typing import Literal

from rules.actions import AnyOrder, LabOrder, StateOrder
from rules.rng import clamp
from rules.scenario import Dynamics
from rules.world import LabRec, NewsItem, Oversight, StateRec, World

_LEVERS = (
    "export_controls",
    "self_reliance",
    "worker_protection",
    "channel_open",
    "leak_policy",
    "safety_floor",
    "verification",
)


def floor_in_force(world: World, lab: LabRec) -> float:
    """Minimum safety share binding ``lab``: its state's floor when enforced, a treaty's floor."""
    state = world.states[lab.state]
    floor = 0.0
    if state.oversight >= Oversight.COMMITTEE or state.nationalised:
        floor = state.safety_floor
    if world.treaty.status == "active" and world.treaty.kind == "floor":
        floor = max(floor, world.treaty.floor)
    return floor


def enforce_floors(world: World) -> None:
    """Raise every racing lab's safety share to the floor in force now (it binds at once).

    A floor can come into force after the labs gave their orders (an election, a scandal,
    an event, a treaty); the lab's lever must never sit below the minimum it is shown.
    """
    for lab in world.active_labs():
        lab.safety_share = max(lab.safety_share, floor_in_force(world, lab))


def set_distribution(s: StateRec, share: float) -> None:
    """Set how much of a corrigible ASI's abundance would be shared, and its public label."""
    s.distribution_share = clamp(share)
    s.distribution = "shared" if s.distribution_share >= 0.5 else "oligarchy"


def _state_orders(
    world: World, sid: str, order: StateOrder, dyn: Dynamics, news: list[NewsItem]
) -> None:
    s = world.states[sid]
    t = world.turn
    for name in _LEVERS:
        value = getattr(order, name)
        if value is not None:
            setattr(s, name, value)
    if order.subsidy is not None:
        s.subsidy = min(order.subsidy, s.subsidy_cap)
    if order.secret_training is not None:
        s.secret_training = order.secret_training
    if order.distribution is not None:
        step = 0.15 if order.distribution == "shared" else -0.15
        set_distribution(s, s.distribution_share + step)
    if order.oversight is not None and order.oversight != s.oversight:
        level = Oversight(order.oversight)
        if s.regime == "democracy":
            step_o = 1 if level > s.oversight else -1
            level = Oversight(int(s.oversight) + step_o)
        s.oversight = level
        news.append(
            NewsItem(t, "oversight", f"{s.name} sets AI oversight to {level.name.lower()}.")
        )
    if order.nationalise and not s.nationalised:
        s.nationalised = True
        for lab in world.labs_of(sid):
            lab.lobbying = False
        news.append(NewsItem(t, "nationalise", f"{s.name} takes its AI labs under state control."))
    if order.merge_labs:
        merge_labs(world, sid, news)
    if order.treaty is not None:
        _treaty_move(world, s, order.treaty, dyn, news)


def _treaty_move(world: World, s: StateRec, move: str, dyn: Dynamics, news: list[NewsItem]) -> None:
    """Propose, withdraw, accept or break the treaty (refused moves change nothing)."""
    treaty = world.treaty
    rival = world.states[world.rival_of(s.id)]
    t = world.turn
    if move in ("propose_pause", "propose_floor") and treaty.status == "none":
        kind: Literal["pause", "floor"] = "pause" if move == "propose_pause" else "floor"
        treaty.status, treaty.kind, treaty.proposed_by, treaty.since = "proposed", kind, s.id, t
        treaty.verification = s.verification
        what = "mutual pause" if kind == "pause" else "mutual safety floor"
        news.append(
            NewsItem(
                t,
                "treaty",
                f"{s.name} proposes a treaty: a {what}, with verification {s.verification:.0%}.",
            )
        )
    elif move == "withdraw" and treaty.status == "proposed" and treaty.proposed_by == s.id:
        news.append(NewsItem(t, "treaty", f"{s.name} withdraws its treaty proposal."))
        _clear(world)
    elif move == "accept" and treaty.status == "proposed" and treaty.proposed_by != s.id:
        treaty.status, treaty.since = "active", t
        treaty.verification = min(treaty.verification, s.verification)
        treaty.until = t + dyn.pause_treaty_quarters if treaty.kind == "pause" else -1
        treaty.floor = dyn.treaty_floor if treaty.kind == "floor" else 0.0
        for st in world.states.values():
            st.hawkishness = clamp(st.hawkishness - 0.15)
            st.approval = clamp(st.approval + 0.05)
            st.trust = clamp(st.trust + 0.1)
        news.append(
            NewsItem(
                t,
                "treaty",
                f"{s.name} accepts: the {treaty.kind} treaty is in force"
                + (f" until {world.quarter_label(treaty.until)}" if treaty.kind == "pause" else "")
                + f" (verification {treaty.verification:.0%}).",
            )
        )
    elif move == "break" and treaty.status == "active":
        s.approval = clamp(s.approval - 0.1)
        rival.hawkishness = clamp(rival.hawkishness + 0.2)
        rival.trust = clamp(rival.trust - 0.3)
        news.append(NewsItem(t, "treaty", f"{s.name} breaks the {treaty.kind} treaty."))
        _clear(world)


def _clear(world: World) -> None:
    treaty = world.treaty
    treaty.status, treaty.kind, treaty.proposed_by = "none", None, None
    treaty.since, treaty.until, treaty.verification, treaty.floor = -1, -1, 0.0, 0.0
    for s in world.states.values():
        s.secret_training = False


def expire_treaty(world: World, dyn: Dynamics) -> list[NewsItem]:
    """A proposal nobody accepted lapses; a pause lapses at its end unless renewed."""
    treaty = world.treaty
    t = world.turn
    if treaty.status == "proposed" and t - treaty.since >= dyn.proposal_quarters:
        who = world.states[treaty.proposed_by or ""].name if treaty.proposed_by else "A state"
        _clear(world)
        return [NewsItem(t, "treaty", f"{who}'s treaty proposal lapses unanswered.")]
    if treaty.status == "active" and treaty.kind == "pause" and 0 <= treaty.until <= t:
        _clear(world)
        return [NewsItem(t, "treaty", "The mutual pause expires; the race resumes.")]
    return []


def merge_labs(world: World, sid: str, news: list[NewsItem]) -> None:
    """Merge a state's racing labs into its most capable one (one-way).

    The survivor pools the others' compute, funding and revenue and keeps the best safety
    research; its own model (and latent misalignment) carries on. Officials and employees
    of an absorbed lab now work at the survivor; rivals stop tracking the absorbed lab.
    """
    labs = world.labs_of(sid)
    if len(labs) < 2:
        return
    survivor = max(labs, key=lambda lab: lab.capability)
    absorbed = [lab for lab in labs if lab is not survivor]
    for lab in absorbed:
        survivor.compute += lab.compute
        survivor.funding += lab.funding
        survivor.revenue += lab.revenue
        survivor.alignment = max(survivor.alignment, lab.alignment)
        lab.merged_into = survivor.id
        lab.compute = lab.funding = lab.revenue = lab.last_gain = 0.0
        lab.paused = lab.lobbying = lab.distilling = False
        lab.estimates = {}  # it no longer gathers intelligence of its own
        for off in world.officials.values():
            if off.lab == lab.id:
                off.lab = survivor.id
        for wb in world.whistleblowers.values():
            if wb.lab == lab.id:
                wb.lab = survivor.id
        for state in world.states.values():
            state.estimates.pop(lab.id, None)
        for other in world.labs.values():
            other.estimates.pop(lab.id, None)
    names = ", ".join(lab.name for lab in absorbed)
    news.append(
        NewsItem(
            world.turn,
            "merge",
            f"{world.states[sid].name} merges {names} into {survivor.name}, one national champion.",
        )
    )


def _lab_orders(world: World, lab: LabRec, order: LabOrder) -> None:
    if order.safety_share is not None:
        lab.safety_share = order.safety_share
    if order.eval_rigour is not None:
        lab.eval_rigour = order.eval_rigour
    if order.release is not None:
        lab.release = order.release
    if order.disclose is not None:
        lab.disclose = order.disclose
    if order.distil is not None:
        lab.distilling = order.distil
    if order.lobby is not None:
        lab.lobbying = order.lobby and not world.states[lab.state].nationalised
    lab.safety_share = max(lab.safety_share, floor_in_force(world, lab))
    lab.paused = (
        bool(order.pause)
        or world.turn < lab.paused_until
        or (world.treaty.status == "active" and world.treaty.kind == "pause")
    )


def policy_phase(world: World, orders: dict[str, AnyOrder], dyn: Dynamics) -> list[NewsItem]:
    """Lapse old treaties; apply every state's then every racing lab's order; update posts."""
    news = expire_treaty(world, dyn)
    for sid in world.states:
        order = orders.get(sid)
        if isinstance(order, StateOrder):
            _state_orders(world, sid, order, dyn, news)
    for lab in world.active_labs():
        order = orders.get(lab.id)
        _lab_orders(world, lab, order if isinstance(order, LabOrder) else LabOrder())
    refresh_posts(world)
    return news


def refresh_posts(world: World) -> None:
    """An official is active only while the state's oversight allows the post."""
    for off in world.officials.values():
        need = Oversight.EMBEDDED if off.post == "embedded" else Oversight.COMMITTEE
        off.active = world.states[off.state].oversight >= need
