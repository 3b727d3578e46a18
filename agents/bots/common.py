"""What several bots read the same way from an observation: leads, threats, recent worry."""

from __future__ import annotations

from rules.views import Observation, OwnState, PublicState


def rival_best(estimates: dict[str, float], public: PublicState, own_state: str) -> float:
    """The best rival lab's capability as these estimates have it (0 if none)."""
    return max(
        (
            v
            for lid, v in estimates.items()
            if public["labs"][lid]["state"] != own_state and not public["labs"][lid]["merged_into"]
        ),
        default=0.0,
    )


def own_best(estimates: dict[str, float], public: PublicState, own_state: str) -> float:
    """The state's best lab as its estimates have it."""
    return max(
        (
            v
            for lid, v in estimates.items()
            if public["labs"][lid]["state"] == own_state and not public["labs"][lid]["merged_into"]
        ),
        default=0.0,
    )


def threat(lead: float) -> float:
    """How pressing the race feels: 1 when level or behind, 0 when 20+ points ahead."""
    return min(1.0, max(0.0, 1.0 - lead / 20.0))


def recent_worry(me: OwnState, turn: int) -> float:
    """The highest risk reported to a state in the last two quarters."""
    return max((r["risk"] for r in me["reports"] if r["turn"] >= turn - 2), default=0.0)


def caught_lately(obs: Observation, lab_id: str) -> bool:
    """True if the public feed of the last quarter says this lab caught its AI."""
    name = obs["public"]["labs"][lab_id]["name"]
    return any(
        n["kind"] == "ai_caught" and n["text"].startswith(name) for n in obs["public"]["news"]
    )
