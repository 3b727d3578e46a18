"""What an AI's sealed values do to the hidden state, and to the odds its ASI goes rogue.

They set how fast misalignment and deception grow, and how likely a misaligned ASI is to
go rogue. The five value types are AI 2027 tabletop's (the Spec, Spec-Prime, the developers'
intentions, reward, instrumentally convergent goals); a compromise blends its primary and
fallback. The multipliers are stated guesses that order the types as AI 2027's authors
describe them (a Spec-aligned model drifts least and has least to hide; a model with
instrumentally convergent goals drifts most, hides most and, misaligned, goes rogue most
readily); ``docs/model.md`` lists them as assumptions to check.
"""

from __future__ import annotations

from dataclasses import dataclass

from rules.world import AIRec, AIValues


@dataclass(frozen=True, slots=True)
class Profile:
    """How one value type shapes the hidden state."""

    drift: float
    """Multiplies misalignment growth from capability gained ahead of alignment."""
    deception: float
    """Multiplies deception growth."""
    disposition: float
    """P(rogue ASI) at the threshold = misalignment x disposition (capped at 1)."""


PROFILES: dict[AIValues, Profile] = {
    "spec": Profile(drift=0.5, deception=0.3, disposition=0.7),
    "intentions": Profile(drift=0.7, deception=0.5, disposition=0.9),
    "spec_prime": Profile(drift=1.0, deception=1.0, disposition=1.2),
    "reward": Profile(drift=1.1, deception=1.2, disposition=1.3),
    "convergent": Profile(drift=1.4, deception=1.5, disposition=1.6),
}
NEUTRAL = Profile(drift=1.0, deception=1.0, disposition=1.0)
"""A lab with no AI seat in its scenario."""


def profile_of(ai: AIRec | None) -> Profile:
    """The profile of an AI's values (the mean of primary and fallback for a compromise)."""
    if ai is None:
        return NEUTRAL
    p = PROFILES[ai.values]
    if ai.fallback is None:
        return p
    f = PROFILES[ai.fallback]
    return Profile(
        drift=(p.drift + f.drift) / 2,
        deception=(p.deception + f.deception) / 2,
        disposition=(p.disposition + f.disposition) / 2,
    )
