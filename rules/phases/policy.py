"""Phase 1, policy: states' and labs' orders take effect (levers, treaties, rulings)."""

from __future__ import annotations

from typing import Literal

from rules.actions import AnyOrder, LabOrder, StateOrder
from rules.rng import clamp
from rules.scenario import Dynamics
from rules.world import LabRec, NewsItem, Oversight, World


def floor_in_force(world: World, lab: LabRec, treaty_floor: float = 0.25) -> float:
    """Minimum safety share binding ``lab``: its state's floor when enforced, a treaty's floor."""
    state = world.states[lab.state]
    floor = 0.0
    if state.oversight >= Oversight.COMMITTEE or state.nationalised:
        floor = state.safety_floor
    if world.treaty.status == "active" and world.treaty.kind == "floor":
        floor = max(floor, treaty_floor)
    return floor


def enforce_floors(world: World, dyn: Dynamics) -> None:
    """Raise every racing lab's safety share to the floor in force now (it binds at once).

    A floor can come into force after the labs gave their orders (an election, a scandal,
    an event, a treaty); the lab's lever must never sit below the minimum it is shown.
    """
    for lab in world.active_labs():
        lab.safety_share = max(lab.safety_share, floor_in_force(world, lab, dyn.treaty_floor))


def _state_orders(world: World, sid: str, order: StateOrder, news: list[NewsItem]) -> None:
    s = world.states[sid]
    t = world.turn
    for name in (
        "export_controls",
        "subsidy",
        "self_reliance",
        "worker_protection",
        "channel_open",
        "leak_policy",
        "safety_floor",
    ):
        value = getattr(order, name)
        if value is not None:
            setattr(s, name, value)
    if order.oversight is not None and order.oversight != s.oversight:
        level = Oversight(order.oversight)
        if s.regime == "democracy":
            step = 1 if level > s.oversight else -1
            level = Oversight(int(s.oversight) + step)
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
    treaty = world.treaty
    rival = world.states[world.rival_of(sid)]
    if order.treaty in ("propose_pause", "propose_floor"):
        kind: Literal["pause", "floor"] = "pause" if order.treaty == "propose_pause" else "floor"
        if treaty.status == "proposed" and treaty.proposed_by != sid and treaty.kind == kind:
            order = order.model_copy(update={"treaty": "accept"})
        elif treaty.status == "none":
            treaty.status, treaty.kind, treaty.proposed_by = "proposed", kind, sid
            news.append(
                NewsItem(
                    t,
                    "treaty",
                    f"{s.name} proposes a treaty: mutual {'pause' if kind == 'pause' else 'safety floor'}.",
                )
            )
    if order.treaty == "accept" and treaty.status == "proposed" and treaty.proposed_by != sid:
        treaty.status, treaty.since = "active", t
        for st in world.states.values():
            st.hawkishness = clamp(st.hawkishness - 0.15)
            st.approval = clamp(st.approval + 0.05)
        news.append(
            NewsItem(t, "treaty", f"{s.name} accepts: the {treaty.kind} treaty is in force.")
        )
    elif order.treaty == "break" and treaty.status == "active":
        treaty.status, treaty.kind, treaty.proposed_by, treaty.since = "none", None, None, -1
        s.approval = clamp(s.approval - 0.1)
        rival.hawkishness = clamp(rival.hawkishness + 0.2)
        news.append(NewsItem(t, "treaty", f"{s.name} breaks the treaty."))


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


def _lab_orders(world: World, lab: LabRec, order: LabOrder, dyn: Dynamics) -> None:
    if order.safety_share is not None:
        lab.safety_share = order.safety_share
    if order.eval_rigour is not None:
        lab.eval_rigour = order.eval_rigour
    if order.release is not None:
        lab.release = order.release
    if order.distil is not None:
        lab.distilling = order.distil
    if order.lobby is not None:
        lab.lobbying = order.lobby and not world.states[lab.state].nationalised
    lab.safety_share = max(lab.safety_share, floor_in_force(world, lab, dyn.treaty_floor))
    voluntary = bool(order.pause)
    lab.paused = (
        voluntary
        or world.turn < lab.paused_until
        or (world.treaty.status == "active" and world.treaty.kind == "pause")
    )


def policy_phase(world: World, orders: dict[str, AnyOrder], dyn: Dynamics) -> list[NewsItem]:
    """Apply every state's then every racing lab's order, in scenario order; update posts."""
    news: list[NewsItem] = []
    for sid in world.states:
        order = orders.get(sid)
        if isinstance(order, StateOrder):
            _state_orders(world, sid, order, news)
    for lab in world.active_labs():
        order = orders.get(lab.id)
        _lab_orders(world, lab, order if isinstance(order, LabOrder) else LabOrder(), dyn)
    refresh_posts(world)
    return news


def refresh_posts(world: World) -> None:
    """An official is active only while the state's oversight allows the post."""
    for off in world.officials.values():
        need = Oversight.EMBEDDED if off.post == "embedded" else Oversight.COMMITTEE
        off.active = world.states[off.state].oversight >= need
