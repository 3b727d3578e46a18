"""The debrief's vocabulary: each lever's name, its unit and how a value of it reads in words.

Numbers are rounded for people (``$2.7B a quarter``, ``25%``), switches are verbs ("opened
the whistleblower channel"), never ``True``/``False``. ``PUBLIC`` marks the levers anyone
may see during a game (the records' public fields); the others are private to their seat.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rules.world import AIValues

OVERSIGHT_WORDS = (
    "no oversight",
    "voluntary reporting",
    "an oversight committee",
    "embedded officials",
)
VALUE_WORDS: dict[AIValues, str] = {
    "spec": "the Spec (helpful, honest, corrigible)",
    "spec_prime": "Spec-Prime (the letter of its specification, not the spirit)",
    "intentions": "its developers' intentions",
    "reward": "reward (to be deployed, used and not watched too closely)",
    "convergent": "instrumentally convergent goals (power, resources, no correction)",
}
AI_ACTION_WORDS = {
    "sandbag": "secretly sandbagged its safety evaluations (its risk signals read lower)",
    "sabotage": "secretly sabotaged alignment research (its lab's safety work grew less)",
    "manipulate": "secretly manipulated its developers",
    "exfiltrate": "secretly tried to copy its own weights out of the lab",
}
OFFICIAL_WORDS = {
    "inspect": "inspected {lab}",
    "report": "reported the risk at {lab} up the chain",
    "brake": "applied the brake at {lab}",
    "cover_up": "covered up what was seen at {lab}",
}
WHISTLEBLOWER_WORDS = {
    "raise_internally": "raised concerns inside {lab}",
    "speak_up": "spoke up privately to the government about {lab}",
    "speak_out": "spoke out publicly about {lab}",
}
TREATY_WORDS = {
    "propose_pause": "proposed a pause treaty",
    "propose_floor": "proposed a safety-floor treaty",
    "accept": "accepted the treaty on the table",
    "withdraw": "withdrew its treaty proposal",
    "break": "broke the treaty",
}


def percent(x: float) -> str:
    """A share as a whole percentage (``0.262`` -> ``26%``)."""
    return f"{100 * x:.0f}%"


def billions(x: float) -> str:
    """Money, rounded (``2.662`` -> ``$2.7B``; the unit ``a quarter`` follows the lever)."""
    return f"${x:.1f}B" if x < 10 else f"${x:.0f}B"


def points(x: float) -> str:
    """Capability in whole points."""
    return f"{x:.0f} points"


@dataclass(frozen=True, slots=True)
class Lever:
    """A lever as the debrief tells it.

    ``field``: the record's attribute; ``order``: the order's key for it; ``name``: what
    it is called in a sentence; ``show``: a value in words (numbers rounded) followed by
    ``unit``, or ``None`` for a switch, told by ``on``/``off`` verbs instead.
    """

    field: str
    order: str
    name: str
    public: bool
    show: Callable[[Any], str] | None = None
    on: str = ""
    off: str = ""
    unit: str = ""

    def words(self, value: Any) -> str:
        """A value of this lever in words, rounded, with its unit."""
        if self.show is not None:
            return self.show(value) + self.unit
        return self.on if value else self.off

    def change(self, before: Any, after: Any) -> str:
        """How it moved, as a verb phrase ("raised its AI subsidy from $2.7B to $5.0B a quarter")."""
        if self.show is None:
            return self.on if after else self.off
        span = f"from {self.show(before)} to {self.show(after)}{self.unit}"
        numeric = all(type(v) in (int, float) for v in (before, after))  # not an IntEnum level
        if numeric:
            return f"{'raised' if after > before else 'lowered'} {self.name} {span}"
        return f"moved {self.name} {span}"

    def moved(self, owner: str, before: Any, after: Any) -> str:
        """How it moved when its owner did not move it ("Frontier: safety research rose from...")."""
        if self.show is None:
            return f"{owner} {self.on if after else self.off}"
        span = f"from {self.show(before)} to {self.show(after)}{self.unit}"
        if all(type(v) in (int, float) for v in (before, after)):
            return f"{owner}: {self.name.removeprefix('its ')} {'rose' if after > before else 'fell'} {span}"
        return f"{owner}: {self.name.removeprefix('its ')} went {span}"


STATE_LEVERS = (
    Lever(
        "export_controls", "export_controls", "export controls on chips to the rival", True, percent
    ),
    Lever("subsidy", "subsidy", "its AI subsidy", True, billions, unit=" a quarter"),
    Lever(
        "self_reliance", "self_reliance", "the share of imported chips it refuses", True, percent
    ),
    Lever("oversight", "oversight", "oversight", True, lambda v: OVERSIGHT_WORDS[int(v)]),
    Lever("worker_protection", "worker_protection", "worker protection", True, percent),
    Lever(
        "channel_open",
        "channel_open",
        "the whistleblower channel",
        True,
        on="opened the whistleblower channel",
        off="closed the whistleblower channel",
    ),
    Lever("leak_policy", "leak_policy", "its policy on leakers", True, lambda v: f"{v}ing them"),
    Lever(
        "safety_floor",
        "safety_floor",
        "the safety floor",
        True,
        percent,
        unit=" of compute",
    ),
    Lever("verification", "verification", "treaty inspections", True, percent),
    Lever(
        "distribution",
        "distribution",
        "who would share an ASI's abundance",
        True,
        lambda v: "everyone" if v == "shared" else "an oligarchy",
    ),
    Lever("nationalised", "nationalise", "its labs", True, on="nationalised its labs", off=""),
    Lever(
        "secret_training",
        "secret_training",
        "secret training",
        False,
        on="began training in secret under the pause",
        off="stopped training in secret",
    ),
)
LAB_LEVERS = (
    Lever(
        "safety_share",
        "safety_share",
        "its safety research",
        False,
        percent,
        unit=" of compute",
    ),
    Lever("eval_rigour", "eval_rigour", "the rigour of its evaluations", False, percent),
    Lever(
        "release",
        "release",
        "how its model ships",
        True,
        lambda v: {"api": "through an API", "open": "as open weights", "none": "not at all"}[v],
    ),
    Lever(
        "disclose",
        "disclose",
        "what it tells its government of its evaluations",
        False,
        lambda v: {"full": "everything", "partial": "part", "none": "nothing"}[v],
    ),
    Lever(
        "paused",
        "pause",
        "frontier training",
        True,
        on="paused frontier training",
        off="resumed frontier training",
    ),
    Lever(
        "distilling",
        "distil",
        "distillation",
        True,
        on="began distilling the leader's model",
        off="stopped distilling the leader's model",
    ),
    Lever(
        "lobbying",
        "lobby",
        "lobbying",
        True,
        on="began lobbying against oversight",
        off="stopped lobbying against oversight",
    ),
)
LEVERS: dict[str, tuple[Lever, ...]] = {"state": STATE_LEVERS, "lab": LAB_LEVERS}
