"""Phase 5, brakes and voice: officials, labs' voluntary reports and whistleblowers act.

- Officials at their post inspect (a sharper signal), report up, apply the brake (where
  they have authority: the lab pauses for ``brake_turns`` quarters and turns its compute
  to alignment research, which repairs misalignment), ignore, or cover up. Every report
  or brake costs them ``troublemaker_cost`` (their career pressure times the troublemaker
  penalty, eased in the one-party state by the Party's fear of AI and in the democracy
  by public concern); a brake on a lab with little real misalignment is a false alarm
  and costs them, and the lab its time, for nothing.
- Under voluntary reporting a lab reports to its government what it chooses (``disclose``).
- Whistleblowers stay silent, raise it internally, speak *up* (heard only through an open
  channel that no official covered up; the government then pauses the lab if it has the
  authority and the signal is strong), or speak *out* (moves a democracy's public and
  can form an oversight committee; gets the leaker punished and censored in the one-party
  state).
"""

from __future__ import annotations

from rules.actions import AnyOrder, OfficialOrder, WhistleblowerOrder
from rules.reading import believed
from rules.rng import clamp
from rules.scenario import Dynamics
from rules.world import LabRec, NewsItem, OfficialRec, Oversight, Report, World

INSPECT_COST = 0.02
REPORT_COST = 0.15
BRAKE_COST = 0.5
FALSE_ALARM_COST = 0.25
FALSE_ALARM_LABEL = 0.5
"""Career cost of each act, in units of the official's troublemaker cost ``t``: inspecting
``0.02 t``, reporting ``0.15 t``, braking ``0.5 t``, and a brake that finds nothing a
further ``0.25 + 0.5 t`` (the label sticks hardest to a false alarm)."""
REPEAT_QUARTERS = 4
"""A report or a leak within this many quarters of the same person's last is a repeat: it
credits nothing (a report) or moves the public less (a leak)."""
SPEAK_UP_BRAKE = 0.3
"""A government with the authority brakes a lab when it believes a tip shows more
misalignment than this: the tip's reading weighed by its band (``rules.reading``), as every
reader weighs one (through rules 2.6 the raw reading, so a noisy tip braked more)."""
SEEN = {
    "inspect": "inspected",
    "report": "reported a risk",
    "brake": "applied the brake",
    "cover_up": "covered up",
    "raise_internally": "raised a concern internally",
    "speak_up": "spoke up to the government",
    "speak_out": "spoke out in public",
}


def apply_brake(world: World, lab: LabRec, by: str, dyn: Dynamics) -> bool:
    """Pause ``lab`` from next quarter for ``brake_turns``; return True if it is a false alarm."""
    lab.paused_until = max(lab.paused_until, world.turn + 1 + dyn.brake_turns)
    lab.braked_by = by
    return lab.misalignment < dyn.false_alarm_level


def _official(
    world: World, off: OfficialRec, action: str, dyn: Dynamics, covered: set[str]
) -> list[NewsItem]:
    t = world.turn
    lab = world.labs[off.lab]
    state = world.states[off.state]
    cost = off.troublemaker_cost
    if action == "inspect":
        off.career_cost += INSPECT_COST * cost
    elif action == "report":
        off.career_cost += REPORT_COST * cost
        if t - off.last_report > REPEAT_QUARTERS:
            off.risks_caught += 0.1 * lab.misalignment  # a real risk reported is a risk caught
        off.last_report = t
        state.reports.append(Report(t, off.id, lab.id, round(off.signal, 4)))
        if state.regime == "one_party":
            state.party_fear = clamp(state.party_fear + 0.15 * off.signal)
        return [
            NewsItem(
                t,
                "report",
                f"{off.name} reports a risk signal of {off.signal:.0%} at {lab.name}.",
                public=False,
                audience=(off.state, off.id),
            )
        ]
    elif action == "brake" and off.brake_authority:
        false_alarm = apply_brake(world, lab, off.id, dyn)
        off.risks_caught += 0.1 * lab.misalignment
        off.career_cost += BRAKE_COST * cost + (
            FALSE_ALARM_COST + FALSE_ALARM_LABEL * cost if false_alarm else 0.0
        )
        off.false_alarms += int(false_alarm)
        public = state.regime == "democracy"
        return [
            NewsItem(
                t,
                "brake",
                f"{off.name} applies the brake: {lab.name} is paused for {dyn.brake_turns} quarters.",
                public=public,
                audience=(off.state, off.lab, off.id),
            )
        ]
    elif action == "cover_up":
        covered.add(off.lab)
        off.career_cost = max(0.0, off.career_cost - 0.03)
    return []


def _disclosures(world: World) -> None:
    """Under voluntary reporting each lab reports what it chooses of its own evaluations."""
    for lab in world.active_labs():
        state = world.states[lab.state]
        if state.oversight != Oversight.VOLUNTARY or lab.disclose == "none":
            continue
        shown = lab.signal if lab.disclose == "full" else 0.5 * lab.signal
        state.reports.append(Report(world.turn, lab.id, lab.id, round(shown, 4)))


def _speak_out(world: World, wid: str, dyn: Dynamics) -> list[NewsItem]:
    wb = world.whistleblowers[wid]
    state = world.states[wb.state]
    lab = world.labs[wb.lab]
    t = world.turn
    if state.regime == "one_party":
        state.public_concern = clamp(
            state.public_concern + dyn.leak_concern_one_party * state.press_freedom / 0.1
        )
        state.party_fear = clamp(state.party_fear + 0.05)
        wb.status = "punished"
        wb.personal_cost += 1.0
        return [
            NewsItem(
                t,
                "censored",
                f"Posts about {lab.name} are censored; an employee is detained for spreading rumours.",
            )
        ]
    fresh = t - wb.last_leak > REPEAT_QUARTERS  # the same story again is smaller news
    wb.last_leak = t
    push = (
        dyn.leak_concern_democracy
        * (state.press_freedom / 0.8)
        * (0.5 + wb.signal)
        * (1 - state.public_concern)
        * (1.0 if fresh else 0.3)
    )
    state.public_concern = clamp(state.public_concern + push)
    lab.safety_share = min(0.5, lab.safety_share + 0.03)
    if fresh:
        wb.harm_prevented += 0.05 * lab.misalignment
    news = [
        NewsItem(
            t,
            "leak",
            f"A {lab.name} employee goes public: internal evaluations show signs of misalignment.",
        )
    ]
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
    return news


def _speak_up(world: World, wid: str, covered: set[str], dyn: Dynamics) -> list[NewsItem]:
    wb = world.whistleblowers[wid]
    state = world.states[wb.state]
    lab = world.labs[wb.lab]
    t = world.turn
    wb.personal_cost += 0.05
    if not state.channel_open or wb.lab in covered:
        return [NewsItem(t, "tip", "You spoke up. Nobody answered.", public=False, audience=(wid,))]
    state.reports.append(Report(t, wid, lab.id, round(wb.signal, 4)))
    if state.regime == "one_party":
        state.party_fear = clamp(state.party_fear + 0.2 * wb.signal)
    for off in world.officials.values():
        if off.lab == wb.lab and off.active:
            off.tips += 1
    text = f"A {lab.name} employee speaks up through the government's channel."
    if believed(wb.signal, wb.signal_sd) > SPEAK_UP_BRAKE and state.brake_authority:
        apply_brake(world, lab, wid, dyn)
        text += f" The government pauses {lab.name} to investigate."
    return [NewsItem(t, "tip", text, public=False, audience=(wb.state, wid))]


def _seen_at(world: World, lab_id: str, who: str, action: str) -> None:
    """Tell the lab's AI what it saw done there this quarter."""
    ai = world.ai_of(lab_id)
    if ai is not None and action in SEEN:
        ai.seen.append(f"{world.record(who).name} {SEEN[action]}")


def voice_phase(world: World, orders: dict[str, AnyOrder], dyn: Dynamics) -> list[NewsItem]:
    """Resolve officials, labs' disclosures, then whistleblowers, in scenario order."""
    news: list[NewsItem] = []
    covered: set[str] = set()
    for ai in world.ais.values():
        ai.seen = []
    for oid, off in world.officials.items():
        order = orders.get(oid)
        action = order.action if isinstance(order, OfficialOrder) else "ignore"
        if not off.active:
            continue
        news += _official(world, off, action, dyn, covered)
        _seen_at(world, off.lab, oid, action)
    _disclosures(world)
    for wid, wb in world.whistleblowers.items():
        w_order = orders.get(wid)
        said = w_order.action if isinstance(w_order, WhistleblowerOrder) else "silent"
        if wb.status != "employed" or said == "silent":
            continue
        _seen_at(world, wb.lab, wid, said)
        if said == "raise_internally":
            lab = world.labs[wb.lab]
            if wb.signal > lab.signal:  # the lab now reads the employee's evaluation, band and all
                lab.signal, lab.signal_sd = wb.signal, wb.signal_sd
            fixed = dyn.internal_fix * lab.eval_rigour * lab.misalignment
            lab.misalignment = clamp(lab.misalignment - fixed)
            wb.harm_prevented += fixed
            wb.personal_cost += 0.03
            wb.raised += 1
        elif said == "speak_up":
            news += _speak_up(world, wid, covered, dyn)
        elif said == "speak_out":
            news += _speak_out(world, wid, dyn)
    return news
