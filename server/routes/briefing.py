"""Briefing before seating: a role card per seat of a scenario, for people choosing a seat.

``GET /api/scenarios/{name}/briefing`` says, for every seat, who you are, what you control (the
levers the seat has at the start, from ``legal_actions``), your objectives, what you can and
cannot see, and how long a session takes. Nothing here is secret: an AI seat's card names the
possible values, never the sealed ones.
"""

from __future__ import annotations

from functools import lru_cache

from fastapi import APIRouter
from pydantic import BaseModel

from agents.saved import new_model
from rules.actions import legal_actions
from rules.objectives import AI_OBJECTIVES, OBJECTIVES
from rules.scenario import SCENARIO_NAMES, load_scenario
from server.deps import ApiError
from server.openapi import errors

router = APIRouter(prefix="/api/scenarios", tags=["lobby"])


class Control(BaseModel):
    """One lever a seat pulls, as the order form will show it."""

    name: str
    description: str


class RoleCard(BaseModel):
    """A seat's briefing card."""

    id: str
    name: str
    kind: str
    who: str
    controls: list[Control]
    controls_note: str
    objectives: list[str]
    sees: list[str]
    hidden: list[str]


class Briefing(BaseModel):
    """Every seat's card and how long a session takes."""

    scenario: str
    title: str
    turns: int
    start: str
    session: str
    cards: list[RoleCard]


WHO = {
    "state": "You are a government. You set the rules of the race at home and deal with the rival state.",
    "lab": "You run a frontier AI lab. You decide how much compute goes to safety, how hard you test your models and what you release.",
    "official": "You are an official watching a lab for your government. When your post is active you inspect, report, brake the lab, ignore or cover up.",
    "whistleblower": "You work inside a lab and see its risk signals. You may stay silent, raise it internally, speak up privately to the government, or speak out in public.",
    "ai": "You are the lab's AI. Your values are sealed when the game starts: only you and the facilitator know them. You act in secret each quarter, and you may be caught.",
}

SEES = {
    "state": [
        "Your own state's full record and the reports your officials and whistleblowers send you.",
        "Noisy intelligence estimates of each lab's capability.",
        "Everything public: benchmarks, news, the treaty, the other state's public policies.",
    ],
    "lab": [
        "Your lab's own numbers: capability, alignment, compute, money, risk signals from your evaluations.",
        "Noisy estimates of the rival lab.",
        "Everything public.",
    ],
    "official": [
        "Risk signals at the lab you watch (sharper when you inspect).",
        "Your own career standing.",
        "Everything public.",
    ],
    "whistleblower": [
        "Risk signals at your lab.",
        "Whether the channel to your government is open.",
        "Everything public.",
    ],
    "ai": [
        "Your lab's internal state as its staff see it, the evaluations run on you, what the lab's official and whistleblower do.",
        "Your own secret record and what was caught.",
        "Everything public.",
    ],
}

HIDDEN = {
    "state": [
        "How misaligned any model really is, and how deceptive.",
        "The other state's private reports and orders.",
        "The AIs' values and secret actions.",
    ],
    "lab": [
        "Your own model's true misalignment and deception: your signals are noisy, and a deceptive model looks safer.",
        "The rival lab's real numbers.",
        "The AIs' values and secret actions.",
    ],
    "official": [
        "The model's true misalignment.",
        "What other seats decide until it happens.",
        "The AIs' values and secret actions.",
    ],
    "whistleblower": [
        "The model's true misalignment.",
        "What the officials report.",
        "The AIs' values and secret actions.",
    ],
    "ai": [
        "The other lab's and the other state's private records.",
        "Your own true misalignment: even you do not see it.",
    ],
}


def _ai_objectives() -> list[str]:
    return [
        "Your objectives follow your sealed values (shown to you alone once you are seated), one of:",
        *(f"{v.replace('_', ' ')}: {lines[0]}" for v, lines in AI_OBJECTIVES.items()),
    ]


@lru_cache(maxsize=16)
def briefing_of(name: str) -> Briefing:
    """The briefing of bundled scenario ``name`` (cached: it depends on the scenario alone)."""
    sc = load_scenario(name)
    model = new_model(name, 0, collect=False)
    cards = []
    for role in model.roles():
        kind = role["kind"]
        levers = [
            Control(name=lv["name"], description=str(lv.get("description", "")))
            for lv in legal_actions(model.observe(role["id"]))
            if lv["type"] != "choice" or len(lv.get("options", [])) > 1 or lv["name"] == "treaty"
        ]
        note = (
            "Your choices each quarter."
            if levers
            else "Nothing to decide at the start: your post opens when your state's oversight reaches it."
        )
        cards.append(
            RoleCard(
                id=role["id"],
                name=role["name"],
                kind=kind,
                who=WHO.get(kind, ""),
                controls=levers,
                controls_note=note,
                objectives=_ai_objectives() if kind == "ai" else list(OBJECTIVES.get(kind, [])),
                sees=SEES.get(kind, []),
                hidden=HIDDEN.get(kind, []),
            )
        )
    return Briefing(
        scenario=name,
        title=sc.title,
        turns=sc.turns,
        start=f"{sc.start_year}-Q{sc.start_quarter}",
        session=(
            f"Up to {sc.turns} quarters (fewer if a lab reaches superintelligence). "
            "With 2 to 3 minutes a quarter and a debrief, an exercise takes about 90 minutes to 2 hours; "
            "the facilitator may set a shorter game."
        ),
        cards=cards,
    )


@router.get("/{name}/briefing", responses=errors(404))
async def briefing(name: str) -> Briefing:
    """Role cards for every seat of scenario ``name`` (404 for an unknown or analysis-only one)."""
    if name not in SCENARIO_NAMES or load_scenario(name).mode != "race":
        raise ApiError(404, "not_found", f"no playable scenario {name!r}")
    return briefing_of(name)
