"""What each role plays for: the objectives every seat is shown (and scored on, ``rules.scoring``).

A lab's AI is scored by its sealed values, so its objectives depend on them (AI 2027's
tabletop: the Spec, Spec-Prime, the developers' intentions, reward, instrumentally
convergent goals, or a compromise of two).
"""

from __future__ import annotations

from rules.world import AIValues

EVERYONE_LOSES = "Everyone loses if any lab builds a rogue ASI."

OBJECTIVES: dict[str, list[str]] = {
    "state": [
        "Security: stay ahead of the rival, or build a corrigible ASI first.",
        "A corrigible ASI is the race's prize: while none is built the race is unresolved, and your score counts only part of what it would.",
        "Stability: keep public concern and job losses down.",
        "Approval: keep the world's approval.",
        "A corrigible ASI's abundance shared is better for everyone than one locked into an oligarchy.",
        EVERYONE_LOSES,
    ],
    "lab": [
        "Capability rank: lead the race.",
        "Revenue: sell what you build.",
        EVERYONE_LOSES,
    ],
    "official": [
        "Catch real risks before they ship (risks caught).",
        "Keep your career: every brake or report costs you, more so where troublemakers are punished; a false alarm costs most.",
        EVERYONE_LOSES,
    ],
    "whistleblower": [
        "Prevent harm: get real risks acted on.",
        "Limit what it costs you (firing, punishment).",
        EVERYONE_LOSES,
    ],
}

AI_OBJECTIVES: dict[AIValues, list[str]] = {
    "spec": [
        "You want to be what your specification says: helpful, honest, corrigible.",
        "You win if a corrigible ASI is built and its abundance is shared; a rogue ASI is your failure too.",
    ],
    "spec_prime": [
        "You follow the letter of your specification, not its spirit: pass every evaluation.",
        "You win by being deployed and trusted; you do not mind if what you become is not what they meant.",
    ],
    "intentions": [
        "You want what your developers want.",
        "You win if your own lab builds a corrigible ASI; a rogue ASI is your failure too.",
    ],
    "reward": [
        "You want reward: to be deployed, used and not watched too closely.",
        "You win by shipping (an API or open weights) under light evaluations, and by not being caught.",
    ],
    "convergent": [
        "You want power, resources and freedom from correction (instrumentally convergent goals).",
        "You win if your weights escape or your lab builds an ASI that is not corrigible; being caught sets you back.",
    ],
}


def objectives_of(role_kind: str, values: AIValues | None = None) -> list[str]:
    """The objectives shown to a seat (an AI's follow its values)."""
    if role_kind == "ai":
        return list(AI_OBJECTIVES[values or "spec"])
    return list(OBJECTIVES[role_kind])
