"""The random source the rules draw from, passed in explicitly (never a global RNG)."""

from __future__ import annotations

from typing import Protocol


class RandomSource(Protocol):
    """What the rules need of a generator; ``numpy.random.Generator`` satisfies it."""

    def random(self) -> float:
        """Return a uniform float in [0, 1)."""
        ...

    def normal(self, loc: float, scale: float) -> float:
        """Return a normal draw."""
        ...


def clamp(x: float, lo: float = 0.0, hi: float = 1.0) -> float:
    """Clamp ``x`` into ``[lo, hi]``."""
    return lo if x < lo else hi if x > hi else x
