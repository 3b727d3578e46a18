"""The one seed scheme: every game and every rollout draws from a generator named here.

- A game with seed ``s`` (``simulate --seed s``, a server game, a saved game) draws all of
  its randomness, bots' and rules', from ``game_rng(s)`` = ``numpy.random.default_rng(s)``,
  whether it is stepped by the Mesa model or by the bare loop.
- Game ``i`` of a batch with base seed ``b`` (a sweep cell, a tournament matchup, an
  analysis task) is the game with seed ``game_seed(b, i)`` = ``b + i``: every cell plays
  the same seeds (common random numbers), and ``simulate --seed b+i`` replays game ``i``.
- Rollout ``i`` of a forecast from turn ``t`` of a world, base seed ``s``, draws from
  ``rollout_rng(s, t, i)`` (a ``SeedSequence([s, t, i])``): independent of the rollouts of
  other turns and of any game's own stream.

Each game or rollout carries its own seed, so results never depend on how the work is
split between worker processes.
"""

from __future__ import annotations

import numpy as np


def game_rng(seed: int) -> np.random.Generator:
    """The generator of the game with this seed (what ``mesa.Model(rng=seed)`` builds)."""
    return np.random.default_rng(seed)


def game_seed(base: int, index: int) -> int:
    """The seed of game ``index`` of a batch whose first game has seed ``base``."""
    return base + index


def rollout_rng(seed: int, turn: int, index: int) -> np.random.Generator:
    """The generator of rollout ``index`` of a forecast from ``turn`` with base seed ``seed``."""
    return np.random.default_rng(np.random.SeedSequence([seed, turn, index]))
