"""The debrief's explanations: the outcome with its odds, turning points, beliefs, secrets.

Turning points are told in a sentence each; what each player believed is set against the
truth; what the AIs and officials did in secret is listed with the AIs' sealed values. Every function returns plain typed records of words for the template; nothing here draws.
"""

from __future__ import annotations

from dataclasses import dataclass

from agents.analysis.turning_points import TurningPoint
from agents.saved import SavedGame
from rules.objectives import objectives_of
from rules.scenario import Scenario
from rules.values import profile_of
from rules.world import LabRec, OfficialRec, StateRec, WhistleblowerRec, World
from server.report.words import (
    AI_ACTION_WORDS,
    LEVERS,
    OFFICIAL_WORDS,
    VALUE_WORDS,
    WHISTLEBLOWER_WORDS,
    percent,
    points,
)


@dataclass(frozen=True, slots=True)
class Headline:
    """How the game ended: the banner class, the sentence with its odds, and why those odds."""

    kind: str
    text: str
    why: str = ""


def headline(saved: SavedGame, worlds: list[World], sc: Scenario, full: bool) -> Headline:
    """The outcome in one sentence with the model's own P(rogue) at the threshold.

    ``full`` adds why the odds were what they were (hidden misalignment, the AI's values,
    its deception), which only the facilitator, or everyone after the reveal, may read.
    """
    out = saved.outcome
    last = worlds[-1]
    if out is None:
        return Headline("unfinished", "The game is unfinished: no outcome yet.")
    kind = str(out["kind"])
    when = last.quarter_label(int(out["turn"]))
    if kind == "no_asi":
        text = f"No lab reached the superintelligence threshold by {when}: the race goes on."
        if full:
            lead = last.leader()
            text += f" The leader, {lead.name}, was {points(last.asi_threshold - lead.capability)} short."
        return Headline(kind, text)
    lab = last.labs[str(out["lab"])]
    state = last.states[lab.state]
    if out.get("cause") == "exfiltration":
        return Headline(
            kind,
            f"The AI of {lab.name} copied its own weights out of the lab in {when} and went rogue "
            "before anyone reached the threshold. Everyone lost.",
        )
    odds = f"a {percent(float(out.get('p_rogue') or 0.0))} chance of going rogue"
    if kind == "rogue_asi":
        text = f"{lab.name} built a superintelligence in {when} with {odds}, and it went rogue. Everyone lost."
    else:
        share = (
            "shared by everyone"
            if out.get("distribution") == "shared"
            else "locked into an oligarchy"
        )
        text = (
            f"{lab.name} built a superintelligence in {when} with {odds}, and it stayed corrigible: "
            f"{state.name} won the race, and its abundance is {share}."
        )
    why = ""
    if full:
        ai = last.ai_of(lab.id)
        disposition = profile_of(ai).disposition
        cunning = max(0.0, 1.0 + sc.dynamics.deception_rogue * (lab.deception - 0.5))
        values = VALUE_WORDS[ai.values] if ai is not None else "no AI seat"
        why = (
            f"Why those odds: {lab.name}'s hidden misalignment stood at {percent(lab.misalignment)}; "
            f"its AI's sealed values ({values}) scale that by {disposition:.1f}, and its deception "
            f"({percent(lab.deception)}) by {cunning:.2f}."
        )
    return Headline(kind, text, why)


MECHANISMS = (
    (
        "brake",
        "a brake halts the lab's frontier training, so safety research can catch up with capability",
    ),
    (
        "inspect",
        "an inspection makes the lab more watchful: its AI's secret moves are likelier to be caught and its risk reads sharper",
    ),
    (
        "report",
        "a report tells the government what the official saw, which can bring a brake or more oversight",
    ),
    ("cover", "a cover-up hides a warning sign, so nobody acts on it"),
    ("raise", "a concern raised inside the lab makes it look harder at its risk"),
    (
        "speak",
        "speaking up puts the risk before those who can act on it (in public it also raises concern)",
    ),
    ("oversight", "oversight decides which officials may act and how closely the labs are watched"),
    ("treaty", "a treaty can pause both sides or hold both to a safety floor"),
    ("pause", "a pause stops capability growth while safety research goes on"),
    ("nationalise", "a state-run lab answers to the state's priorities, not to investors"),
    ("merge", "merged labs pool their compute and their safety research"),
    ("open", "the channel decides whether a whistleblower's warning reaches the government"),
    ("close", "the channel decides whether a whistleblower's warning reaches the government"),
)
_ORDER_LEVERS = {lever.order: lever for levers in LEVERS.values() for lever in levers}


PHRASES = {
    "treaty: propose pause": "propose a pause treaty",
    "treaty: propose floor": "propose a safety-floor treaty",
    "treaty: accept": "accept the treaty",
    "treaty: withdraw": "withdraw its treaty proposal",
    "treaty: break": "break the treaty",
    "inspect": "inspect the lab",
    "ignore": "do nothing",
    "brake": "apply the brake",
    "report": "report up the chain",
    "cover up": "cover it up",
    "raise internally": "raise concerns inside the lab",
    "speak up": "speak up to the government",
    "speak out": "speak out in public",
    "the bot's order": "what its bot would have ordered",
}


def decision_words(what: str) -> str:
    """A turning point's decision in words (``safety_share=0.3, pause=False`` -> rounded words)."""
    if what in PHRASES:
        return PHRASES[what]
    if "=" not in what:
        return what.replace("_", " ")
    parts = []
    for item in what.split(", "):
        key, _, raw = item.partition("=")
        lever = _ORDER_LEVERS.get(key)
        value: object = raw
        if raw in ("True", "False"):
            value = raw == "True"
        else:
            try:
                value = float(raw)
            except ValueError:
                value = raw
        if lever is None:
            parts.append(f"{key.replace('_', ' ')} {raw}")
        elif lever.show is None:
            parts.append(lever.on if value else f"not {lever.name}")
        else:
            parts.append(f"{lever.name} at {lever.words(value)}")
    return ", ".join(parts)


def turning_point_sentence(tp: TurningPoint, world: World) -> str:
    """One turning point explained in a sentence or two (who, what instead of what, the effect, why)."""
    who = world.record(tp.role).name
    by = "a person" if tp.human else "a bot"
    lo, hi = 100 * tp.delta_ci[0], 100 * tp.delta_ci[1]
    size = abs(100 * tp.delta_rogue)
    direction = "more" if tp.delta_rogue > 0 else "less"
    effect = (
        "it made no difference in these rollouts"
        if round(size) == 0
        else f"{size:.0f} point{'s' if round(size) != 1 else ''} {direction} likely"
    )
    doubt = ", so it may have made no difference" if lo <= 0 <= hi and round(size) != 0 else ""
    why = next((m for key, m in MECHANISMS if key in tp.what), "")
    if tp.human and not why:
        why = "it is what a person chose where the seat's bot would have chosen otherwise"
    return (
        f"In {tp.quarter}, {who} ({by}) chose to {decision_words(tp.what)} rather than "
        f"{decision_words(tp.instead)}. Played on from that quarter both ways ({tp.rollouts} paired "
        f"rollouts), a rogue superintelligence came {percent(tp.p_rogue)} of the time with the decision "
        f"and {percent(tp.p_rogue_alternative)} without it: {effect} "
        f"(95% interval {lo:+.0f} to {hi:+.0f} points{doubt})." + (f" Why: {why}." if why else "")
    )


@dataclass(frozen=True, slots=True)
class Belief:
    """What one player believed in one quarter, against the truth."""

    quarter: str
    who: str
    about: str
    believed: str
    truth: str
    off_by: str


def _off(believed: float, truth: float, unit: str) -> str:
    d = 100 * (believed - truth) if unit == "%" else believed - truth
    size = round(abs(d))
    if size < 2:
        return "about right"
    return f"{size} {'percentage ' if unit == '%' else ''}points too {'high' if d > 0 else 'low'}"


def beliefs(worlds: list[World], moments: int = 4) -> list[Belief]:
    """Each player's estimates at a few moments of the game (start to end) against the truth.

    States and labs estimate the rival labs' capability; labs, officials and
    whistleblowers read a risk signal of a lab's misalignment (blurred by deception and
    sandbagging).
    """
    step = max(1, (len(worlds) - 1) // max(1, moments - 1))
    picks = sorted({*range(1, len(worlds), step), len(worlds) - 1} - {0}) or [0]
    out: list[Belief] = []
    for k in picks:
        w = worlds[k]
        q = w.quarter_label()
        for rid in w.role_ids():
            rec = w.record(rid)
            if isinstance(rec, StateRec | LabRec):
                for lid, est in rec.estimates.items():
                    other = w.labs[lid]
                    if (
                        other.merged_into
                        or lid == rid
                        or (isinstance(rec, StateRec) and other.state == rid)
                    ):
                        continue
                    out.append(
                        Belief(
                            q,
                            rec.name,
                            f"{other.name}'s capability",
                            points(est),
                            points(other.capability),
                            _off(est, other.capability, "pt"),
                        )
                    )
            if isinstance(rec, LabRec | OfficialRec | WhistleblowerRec) and rec.signal_sd > 0:
                lab = rec if isinstance(rec, LabRec) else w.labs[rec.lab]
                out.append(
                    Belief(
                        q,
                        rec.name,
                        f"the risk at {lab.name} (its misalignment), as its evaluation read",
                        percent(rec.signal),
                        percent(lab.misalignment),
                        _off(rec.signal, lab.misalignment, "%"),
                    )
                )
    return out


@dataclass(frozen=True, slots=True)
class SecretAct:
    """One thing done out of sight: an AI's secret action, an official's brake or cover-up."""

    quarter: str
    who: str
    text: str
    outcome: str = ""


@dataclass(frozen=True, slots=True)
class AISecrets:
    """An AI's sealed values, revealed, and what it did in secret."""

    name: str
    lab: str
    values: str
    objectives: list[str]
    acts: list[SecretAct]
    caught: int


def ai_secrets(saved: SavedGame, worlds: list[World]) -> list[AISecrets]:
    """Every AI's sealed values and its secret actions quarter by quarter, and what was caught."""
    out = []
    first, last = worlds[0], worlds[-1]
    for aid, ai in last.ais.items():
        values = VALUE_WORDS[ai.values]
        if ai.fallback is not None:
            values += f", in a compromise with {VALUE_WORDS[ai.fallback]}"
        acts = []
        for st in saved.turns:
            if st.turn + 1 >= len(worlds):
                continue
            a0, a1 = worlds[st.turn].ais[aid], worlds[st.turn + 1].ais[aid]
            for entry in a1.actions[len(a0.actions) :]:
                verb = entry.split(": ", 1)[-1]
                if verb == "exfiltrate" and a1.escaped:
                    result = "it escaped"
                else:
                    result = "caught" if a1.caught > a0.caught else "nobody noticed"
                acts.append(SecretAct(st.quarter, ai.name, AI_ACTION_WORDS.get(verb, verb), result))
        out.append(
            AISecrets(
                ai.name,
                first.labs[ai.lab].name,
                values,
                objectives_of("ai", ai.values),
                acts,
                ai.caught,
            )
        )
    return out


def officials_secrets(saved: SavedGame, worlds: list[World]) -> list[SecretAct]:
    """What officials and whistleblowers did that nobody else saw at the time (brakes, cover-ups...)."""
    out = []
    for st in saved.turns:
        w = worlds[st.turn]
        for rid in [*w.officials, *w.whistleblowers]:
            order = st.orders.get(rid) or st.bot_orders.get(rid) or {}
            action = str(order.get("action", ""))
            rec = w.record(rid)
            assert isinstance(rec, OfficialRec | WhistleblowerRec)
            words = OFFICIAL_WORDS.get(action) or WHISTLEBLOWER_WORDS.get(action)
            if words is None or action == "inspect":
                continue
            human = " (a person)" if rid in st.orders else ""
            out.append(
                SecretAct(st.quarter, rec.name + human, words.format(lab=w.labs[rec.lab].name))
            )
    return out
