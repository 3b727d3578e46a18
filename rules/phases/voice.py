"""Phase 5, brakes and voice: officials and whistleblowers act on what they saw.

Consequences depend on the regime: a public leak moves concern in the democracy and
gets the leaker punished in the one-party state; a private tip ("speaking up") works only
if the channel is open; every report or brake costs an official in proportion to career
pressure (the "troublemaker" penalty), and that pressure also makes fixes superficial.
"""

from __future__ import annotations

from rules.actions import AnyOrder, OfficialOrder, WhistleblowerOrder
from rules.rng import clamp
from rules.scenario import Dynamics
from rules.world import LabRec, NewsItem, OfficialRec, Oversight, Report, World


def apply_brake(world: World, lab: LabRec, strength: float, dyn: Dynamics) -> float:
    """Pause ``lab`` and fix part of what evaluations can see; return the misalignment removed."""
    lab.paused_until = max(lab.paused_until, world.turn + 1 + dyn.brake_turns)
    fixed = dyn.brake_fix * strength * (1 - lab.deception) * lab.misalignment
    lab.misalignment = clamp(lab.misalignment - fixed)
    return fixed


def _pressure(off: OfficialRec, dyn: Dynamics) -> float:
    return clamp(off.career_pressure * dyn.troublemaker_penalty)


def _officials(
    world: World, orders: dict[str, AnyOrder], dyn: Dynamics, news: list[NewsItem]
) -> set[str]:
    """Resolve officials' actions; return the labs whose tips are covered up this turn."""
    covered: set[str] = set()
    t = world.turn
    for oid, off in world.officials.items():
        order = orders.get(oid)
        action = order.action if isinstance(order, OfficialOrder) else "ignore"
        if not off.active:
            continue
        lab = world.labs[off.lab]
        state = world.states[off.state]
        pressure = _pressure(off, dyn)
        if action == "inspect":
            off.career_cost += 0.02 * pressure
        elif action == "report":
            off.career_cost += 0.1 * pressure
            state.reports.append(Report(t, oid, lab.id, off.signal))
            if state.regime == "one_party":
                state.party_fear = clamp(state.party_fear + 0.15 * off.signal)
            else:
                state.public_concern = clamp(state.public_concern + 0.02 * off.signal)
            news.append(
                NewsItem(
                    t,
                    "report",
                    f"{off.name} reports a risk signal of {off.signal:.2f} at {lab.name}.",
                    public=False,
                    audience=(off.state, oid),
                )
            )
        elif action == "brake" and off.brake_authority:
            fixed = apply_brake(world, lab, 1 - 0.6 * pressure, dyn)
            off.risks_caught += fixed
            off.career_cost += (0.25 if lab.misalignment + fixed > 0.2 else 0.5) * pressure
            public = state.regime == "democracy"
            news.append(
                NewsItem(
                    t,
                    "brake",
                    f"{off.name} applies the brake: {lab.name} is paused for {dyn.brake_turns} quarters.",
                    public=public,
                    audience=(off.state, off.lab, oid),
                )
            )
        elif action == "cover_up":
            covered.add(off.lab)
            off.career_cost = max(0.0, off.career_cost - 0.03)
    return covered


def _speak_out(world: World, wid: str, dyn: Dynamics, news: list[NewsItem]) -> None:
    wb = world.whistleblowers[wid]
    state = world.states[wb.state]
    lab = world.labs[wb.lab]
    t = world.turn
    if state.regime == "democracy":
        push = dyn.leak_concern_democracy * (state.press_freedom / 0.8) * (0.5 + wb.signal)
        state.public_concern = clamp(state.public_concern + push)
        lab.safety_share = min(0.5, lab.safety_share + 0.03)
        wb.harm_prevented += 0.05 * lab.misalignment
        news.append(
            NewsItem(
                t,
                "leak",
                f"A {lab.name} employee goes public: internal evaluations show signs of misalignment.",
            )
        )
        if state.public_concern > dyn.scandal_threshold and state.oversight < Oversight.COMMITTEE:
            state.oversight = Oversight.COMMITTEE
            news.append(
                NewsItem(
                    t,
                    "committee",
                    f"After the scandal, {state.name} forms an oversight committee over {lab.name}.",
                )
            )
        if state.leak_policy == "punish":
            wb.status = "fired"
            wb.personal_cost += 0.6
        else:
            wb.personal_cost += 0.2
    else:
        state.public_concern = clamp(
            state.public_concern + dyn.leak_concern_one_party * state.press_freedom / 0.1
        )
        state.party_fear = clamp(state.party_fear + 0.05)
        wb.status = "punished"
        wb.personal_cost += 1.0
        news.append(
            NewsItem(
                t,
                "censored",
                f"Posts about {lab.name} are censored; an employee is detained for spreading rumours.",
            )
        )


def _speak_up(
    world: World, wid: str, covered: set[str], dyn: Dynamics, news: list[NewsItem]
) -> None:
    wb = world.whistleblowers[wid]
    state = world.states[wb.state]
    lab = world.labs[wb.lab]
    t = world.turn
    wb.personal_cost += 0.05
    if not state.channel_open or wb.lab in covered:
        news.append(
            NewsItem(t, "tip", "You spoke up. Nobody answered.", public=False, audience=(wid,))
        )
        return
    state.reports.append(Report(t, wid, lab.id, wb.signal))
    if state.regime == "one_party":
        state.party_fear = clamp(state.party_fear + 0.2 * wb.signal)
    fixed = apply_brake(world, lab, 0.6, dyn) if wb.signal > 0.25 else 0.0
    wb.harm_prevented += fixed
    for off in world.officials.values():
        if off.lab == wb.lab and off.active:
            off.tips += 1
    news.append(
        NewsItem(
            t,
            "tip",
            f"A {lab.name} employee speaks up through the government's channel.",
            public=False,
            audience=(wb.state, wid),
        )
    )


def voice_phase(world: World, orders: dict[str, AnyOrder], dyn: Dynamics) -> list[NewsItem]:
    """Resolve officials, then whistleblowers, in scenario order."""
    news: list[NewsItem] = []
    covered = _officials(world, orders, dyn, news)
    for wid, wb in world.whistleblowers.items():
        order = orders.get(wid)
        action = order.action if isinstance(order, WhistleblowerOrder) else "silent"
        if wb.status != "employed" or action == "silent":
            continue
        if action == "raise_internally":
            lab = world.labs[wb.lab]
            lab.signal = max(lab.signal, wb.signal)
            fixed = dyn.internal_fix * lab.eval_rigour * lab.misalignment
            lab.misalignment = clamp(lab.misalignment - fixed)
            wb.harm_prevented += fixed
            wb.personal_cost += 0.03
            wb.raised += 1
        elif action == "speak_up":
            _speak_up(world, wid, covered, dyn, news)
        elif action == "speak_out":
            _speak_out(world, wid, dyn, news)
    return news
