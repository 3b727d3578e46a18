"""The one seed scheme: every game and every rollout draws from streams named here.

A game (or a rollout) draws from one root generator, split once, at its start, into
independent streams (``Streams``): one for the rules (the sealed rolls at setup, then
every draw of every quarter) and one per role, in role order, for that role's bot. A
seat's decisions therefore never shift the numbers any other seat or the rules draw:
two games with the same seed that differ only in how one seat plays see the same dice
everywhere else (common random numbers, which is what makes comparisons of policies on
the same seeds sharp). The rules draw a fixed number of numbers each quarter, whatever
the orders (see ``rules.turn``).

- A game with seed ``s`` (``simulate --seed s``, a golden game, a saved game without a
  secret) has root ``game_rng(s)`` = ``numpy.random.default_rng(s)`` (what
  ``mesa.Model(rng=s)`` builds), whether it is stepped by the Mesa model or by the bare loop.
- A server game also has a secret ``k`` (256 random bits, kept with the game, shown only to
  its facilitator until it is over): its root is ``game_rng(s, k)`` =
  ``default_rng(SeedSequence([s, int(k, 16)]))``, so a published seed alone does not rebuild
  a live game. A saved game exported by the server carries ``k`` so it replays.
- A fork made at turn ``t`` draws the rest of its game from a fresh secret ``f``:
  ``fork_rng(s, f, t)`` = ``default_rng(SeedSequence([s, int(f, 16), t]))``, so the
  published seed and secret of a finished game do not rebuild a live fork of it.
- Game ``i`` of a batch with base seed ``b`` (a sweep cell, a tournament matchup, an
  analysis task) is the game with seed ``game_seed(b, i)`` = ``b + i``: every cell plays
  the same seeds, and ``simulate --seed b+i`` replays game ``i``.
- Rollout ``i`` of a forecast from turn ``t`` of a world, base seed ``s``, has root
  ``rollout_rng(s, t, i)`` (a ``SeedSequence([s, t, i])``): independent of the rollouts of
  other turns and of any game's own stream.

Each game or rollout carries its own seed, so results never depend on how the work is
split between worker processes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True, slots=True)
class Streams:
    """A game's independent random streams: the rules', and each role's bot's."""

    rules: np.random.Generator
    roles: dict[str, np.random.Generator]

    @classmethod
    def split(cls, root: np.random.Generator, role_ids: Sequence[str]) -> Streams:
        """Spawn the streams from a root generator (once per game; deterministic in the seed)."""
        children = root.spawn(len(role_ids) + 1)
        return cls(children[0], dict(zip(role_ids, children[1:], strict=True)))


SECRET_PATTERN = "^[0-9a-f]{64}$"  # noqa: S105 - a format, not a password
"""A game secret: 32 bytes as 64 lowercase hex digits (``secrets.token_hex(32)``)."""


def game_rng(seed: int, secret: str | None = None) -> np.random.Generator:
    """The root generator of the game with this seed (and secret, if it has one).

    Without a secret it is what ``mesa.Model(rng=seed)`` builds; with one it is drawn from
    both, so the seed alone does not reproduce it.

    Raises:
        ValueError: if ``secret`` is not hex.
    """
    if secret is None:
        return np.random.default_rng(seed)
    return np.random.default_rng(np.random.SeedSequence([seed, int(secret, 16)]))


def fork_rng(seed: int, secret: str, turn: int) -> np.random.Generator:
    """The root generator of the rest of a game forked at ``turn`` with its own ``secret``.

    Raises:
        ValueError: if ``secret`` is not hex.
    """
    return np.random.default_rng(np.random.SeedSequence([seed, int(secret, 16), turn]))


def game_seed(base: int, index: int) -> int:
    """The seed of game ``index`` of a batch whose first game has seed ``base``."""
    return base + index


def rollout_rng(seed: int, turn: int, index: int) -> np.random.Generator:
    """The root generator of rollout ``index`` of a forecast from ``turn`` with base seed ``seed``."""
    return np.random.default_rng(np.random.SeedSequence([seed, turn, index]))
