"""Bot policies: one per role kind and personality, deciding from the observation only.

A bot sees exactly what a human in the seat would see (``rules.observe.observe``) and
draws any randomness from the generator it is given (the model's ``rng``). Personalities:
states hawk / dove, labs racer / careful, officials diligent / careerist,
whistleblowers bold / fearful, AIs ``values`` (each plays its sealed values). A policy
spec is a personality, ``fixed:LEVER=VALUE,...`` (``agents.bots.fixed``), which sets
those levers every quarter over the seat's own bot, or ``hold`` (change nothing, ever).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from agents.bots.ai import ai_bot
from agents.bots.fixed import PREFIX, apply_fixed, parse_fixed
from agents.bots.lab import lab_bot
from agents.bots.official import official_bot
from agents.bots.state import state_bot
from agents.bots.whistleblower import whistleblower_bot
from rules.actions import AnyOrder, default_order
from rules.views import Observation

Policy = Callable[[Observation, np.random.Generator], AnyOrder]
"""A seat's decision rule: an order from its observation, drawing randomness from the rng."""

PERSONALITIES: dict[str, tuple[str, ...]] = {
    "state": ("hawk", "dove"),
    "lab": ("racer", "careful"),
    "official": ("diligent", "careerist"),
    "whistleblower": ("bold", "fearful"),
    "ai": ("values",),
}


def decide(
    role_kind: str, personality: str, obs: Observation, rng: np.random.Generator
) -> AnyOrder:
    """Return the bot's order for one role from its observation.

    Raises:
        ValueError: for an unknown role kind or personality, or an observation of another kind.
    """
    if personality not in PERSONALITIES.get(role_kind, ()):
        raise ValueError(f"unknown personality {personality!r} for a {role_kind}")
    if obs["role_kind"] != role_kind:
        raise ValueError(f"a {role_kind} bot was given a {obs['role_kind']}'s observation")
    if obs["role_kind"] == "state":
        return state_bot(obs, personality, rng)
    if obs["role_kind"] == "lab":
        return lab_bot(obs, personality, rng)
    if obs["role_kind"] == "official":
        return official_bot(obs, personality, rng)
    if obs["role_kind"] == "whistleblower":
        return whistleblower_bot(obs, personality, rng)
    return ai_bot(obs, personality, rng)


HOLD = "hold"
"""The simplest fixed policy, for any seat: change nothing, ever (ignore, stay silent,
cooperate; keep every lever where it is)."""


def check_policy(role_kind: str, spec: str) -> None:
    """Refuse a policy spec that names no personality of this role kind or a bad fixed lever.

    Raises:
        ValueError: naming the spec and what is wrong with it.
    """
    if spec == HOLD:
        return
    if spec.startswith(PREFIX):
        parse_fixed(role_kind, spec)
        return
    if spec not in PERSONALITIES.get(role_kind, ()):
        choices = ", ".join(PERSONALITIES.get(role_kind, ()))
        raise ValueError(
            f"{spec!r} is not a policy for a {role_kind}: choose {choices}, hold, or fixed:LEVER=VALUE,..."
        )


def make_policy(role_kind: str, spec: str, base: str | None = None) -> Policy:
    """The policy of a spec for a role kind; a fixed policy plays ``base``'s bot for the rest.

    Raises:
        ValueError: for an unknown personality or a bad fixed spec.
    """
    check_policy(role_kind, spec)
    if spec == HOLD:

        def hold(obs: Observation, rng: np.random.Generator) -> AnyOrder:
            return default_order(role_kind)

        return hold
    if not spec.startswith(PREFIX):

        def bot(obs: Observation, rng: np.random.Generator) -> AnyOrder:
            return decide(role_kind, spec, obs, rng)

        return bot
    levers = parse_fixed(role_kind, spec)
    under = (
        base if base is not None and not base.startswith(PREFIX) else PERSONALITIES[role_kind][0]
    )
    inner = make_policy(role_kind, under)

    def fixed(obs: Observation, rng: np.random.Generator) -> AnyOrder:
        return apply_fixed(inner(obs, rng), levers, obs)

    return fixed
