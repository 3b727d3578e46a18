"""Monte Carlo budgets for the outcome tests: fixed and seeded in CI, larger on request.

``uv run pytest`` plays each Monte Carlo test's own number of games from seed 0, so the
landing gate is deterministic. ``PRECIPICE_MC_SCALE=k`` multiplies every budget by ``k``
and ``PRECIPICE_MC_SEED=s`` starts from seed ``s`` (fresh dice): the longer randomised run
of the README, which is not the landing gate.
"""

from __future__ import annotations

import os


def runs(n: int) -> int:
    """A test's game budget: ``n`` times ``PRECIPICE_MC_SCALE`` (1 by default)."""
    return n * max(1, int(os.environ.get("PRECIPICE_MC_SCALE", "1")))


def base_seed() -> int:
    """The first seed of every arm: ``PRECIPICE_MC_SEED`` (0 by default)."""
    return int(os.environ.get("PRECIPICE_MC_SEED", "0"))
