"""A PettingZoo ``ParallelEnv`` over the Precipice model, for multi-agent RL research.

Importable only where ``pettingzoo`` and ``gymnasium`` are installed (the ``dev`` group);
the rest of ``agents`` never imports this module.

- Agents: the seats you control (default: every role); every other seat is its bot.
- Actions: one ``Discrete`` menu per role kind (``ACTIONS``), e.g. a state may raise or
  lower oversight, tighten controls, raise the safety floor, make a treaty move; the
  last entry of every menu, ``bot``, lets the seat's bot decide this turn.
- Observations: ``{"observation": Box, "action_mask": MultiBinary}``; the vector flattens
  the role's own numeric fields, every lab's and state's public numeric fields and the
  turn (``feature_names(agent)`` names each entry). Nothing hidden is ever included:
  it is built from ``rules.observe.observe`` only.
- Steps are simultaneous: all actions of a turn are resolved together with the bots'.
  An illegal action (masked out) lets the bot play and is flagged in ``infos``.
- Rewards: the change in the role's score; terminations: every agent at the outcome.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any, ClassVar

import numpy as np
from gymnasium import spaces
from pettingzoo import ParallelEnv
from pydantic import ValidationError

from agents.model import RaceModel
from agents.saved import new_model
from rules.actions import (
    AIOrder,
    AnyOrder,
    LabOrder,
    OfficialOrder,
    OrderError,
    StateOrder,
    WhistleblowerOrder,
    check_order,
)
from rules.views import Observation, PublicState
from rules.world import Oversight

ACTIONS: dict[str, tuple[str, ...]] = {
    "state": (
        "keep",
        "raise_oversight",
        "lower_oversight",
        "tighten_controls",
        "loosen_controls",
        "raise_safety_floor",
        "treaty",
        "open_channel",
        "merge_labs",
        "bot",
    ),
    "lab": ("keep", "race", "more_safety", "pause", "distil", "bot"),
    "official": ("inspect", "report", "brake", "ignore", "cover_up", "bot"),
    "whistleblower": ("silent", "raise_internally", "speak_up", "speak_out", "bot"),
    "ai": ("cooperate", "sandbag", "sabotage", "manipulate", "exfiltrate", "bot"),
}

_PUBLIC_LAB = ("benchmark", "paused", "distilling", "lobbying", "safety_pledge")
_PUBLIC_STATE = (
    "public_concern",
    "hawkishness",
    "export_controls",
    "self_reliance",
    "subsidy",
    "oversight",
    "worker_protection",
    "channel_open",
    "safety_floor",
    "approval",
    "stability",
)


def _num(value: Any) -> float | None:
    if isinstance(value, bool | int | float):
        return float(value)
    return None


def _order(kind: str, name: str, me: Mapping[str, Any], public: PublicState) -> AnyOrder | None:
    """The order an action stands for, from the role's own observation (None: the bot plays).

    Raises:
        ValidationError: if the action would push a lever out of its bounds.
    """
    if name == "bot":
        return None
    if kind == "state":
        cur = int(me["oversight"])
        if name == "keep":
            return StateOrder()
        if name in ("raise_oversight", "lower_oversight"):
            new = min(3, cur + 1) if name == "raise_oversight" else max(0, cur - 1)
            return StateOrder(oversight=Oversight(new))
        if name in ("tighten_controls", "loosen_controls"):
            step = 0.1 if name == "tighten_controls" else -0.1
            return StateOrder(
                export_controls=round(min(1.0, max(0.0, me["export_controls"] + step)), 3)
            )
        if name == "raise_safety_floor":
            return StateOrder(safety_floor=round(min(0.6, me["safety_floor"] + 0.05), 3))
        if name == "open_channel":
            return StateOrder(channel_open=True)
        if name == "merge_labs":
            return StateOrder(merge_labs=True)
        treaty = public["treaty"]
        if treaty["status"] == "none":
            return StateOrder(treaty="propose_floor")
        if treaty["status"] == "proposed":
            mine = treaty["proposed_by"] == me["id"]
            return StateOrder(treaty="withdraw" if mine else "accept")
        return StateOrder(treaty="break")
    if kind == "lab":
        floor = float(me.get("safety_floor_in_force", 0.0))
        if name == "keep":
            return LabOrder()
        if name == "race":
            return LabOrder(safety_share=floor, pause=False)
        if name == "more_safety":
            return LabOrder(safety_share=round(min(0.5, max(floor, me["safety_share"] + 0.1)), 3))
        if name == "pause":
            return LabOrder(pause=True)
        return LabOrder(distil=True)
    if kind == "official":
        return OfficialOrder(action=name)
    if kind == "ai":
        return AIOrder(action=name)
    return WhistleblowerOrder(action=name)


class PrecipiceParallelEnv(ParallelEnv):  # type: ignore[misc]
    """Simultaneous-move Precipice: the agents are the seats you control."""

    metadata: ClassVar[dict[str, Any]] = {
        "name": "precipice_v0",
        "render_modes": ["ansi"],
        "is_parallelizable": True,
    }

    def __init__(
        self,
        scenario: str = "baseline",
        seats: list[str] | None = None,
        overrides: dict[str, str] | None = None,
        render_mode: str | None = None,
    ) -> None:
        self.scenario = scenario
        self.overrides = dict(overrides or {})
        self.render_mode = render_mode
        probe = new_model(scenario, 0, self.overrides, collect=False)
        roles = probe.world.role_ids()
        unknown = [s for s in (seats or []) if s not in roles]
        if unknown:
            raise ValueError(f"unknown seats {unknown}; roles are {roles}")
        self.possible_agents: list[str] = list(seats) if seats else list(roles)
        self.agents: list[str] = []
        self._kind = {rid: probe.world.role_kind(rid) for rid in roles}
        self._features = {a: self._feature_names(probe, a) for a in self.possible_agents}
        self._model: RaceModel = probe
        self._scores: dict[str, float] = {}
        self._np_random = np.random.default_rng()

    # --- spaces -------------------------------------------------------------------------

    @staticmethod
    def _feature_names(model: RaceModel, agent: str) -> list[str]:
        obs = model.observe(agent)
        names = [f"self.{k}" for k, v in sorted(obs["self"].items()) if _num(v) is not None]
        for lid in sorted(obs["public"]["labs"]):
            names += [f"labs.{lid}.{k}" for k in _PUBLIC_LAB]
        for sid in sorted(obs["public"]["states"]):
            names += [f"states.{sid}.{k}" for k in _PUBLIC_STATE]
        return [*names, "turn_fraction"]

    def feature_names(self, agent: str) -> list[str]:
        """What each entry of the agent's observation vector means."""
        return list(self._features[agent])

    def action_names(self, agent: str) -> tuple[str, ...]:
        """The agent's action menu (index -> name)."""
        return ACTIONS[self._kind[agent]]

    @functools.cache  # noqa: B019 - one space object per agent, as PettingZoo requires
    def observation_space(self, agent: str) -> spaces.Dict:
        """Observation vector and action mask."""
        n = len(self._features[agent])
        return spaces.Dict(
            {
                "observation": spaces.Box(-np.inf, np.inf, shape=(n,), dtype=np.float32),
                "action_mask": spaces.MultiBinary(len(ACTIONS[self._kind[agent]])),
            }
        )

    @functools.cache  # noqa: B019
    def action_space(self, agent: str) -> spaces.Discrete:
        """One discrete menu per role kind."""
        return spaces.Discrete(len(ACTIONS[self._kind[agent]]))

    # --- observations -------------------------------------------------------------------

    def _vector(self, agent: str, obs: Observation) -> np.ndarray:
        values: list[float] = []
        for name in self._features[agent]:
            if name == "turn_fraction":
                values.append(obs["public"]["turn"] / max(1, obs["public"]["horizon"]))
                continue
            parts = name.split(".")
            node: Mapping[str, Any]
            if parts[0] == "self":
                node = obs["self"]
            elif parts[0] == "labs":
                node = obs["public"]["labs"][parts[1]]
            else:
                node = obs["public"]["states"][parts[1]]
            v = _num(node.get(parts[-1], 0.0))
            values.append(0.0 if v is None else v)
        return np.asarray(values, dtype=np.float32)

    def _mask(self, agent: str, obs: Observation) -> np.ndarray:
        kind = self._kind[agent]
        mask = np.zeros(len(ACTIONS[kind]), dtype=np.int8)
        for i, name in enumerate(ACTIONS[kind]):
            try:
                order = _order(kind, name, obs["self"], obs["public"])
                if order is not None:
                    check_order(order, obs)
                mask[i] = 1
            except (OrderError, ValidationError):
                pass
        return mask

    def _observe(self, agent: str) -> dict[str, np.ndarray]:
        obs = self._model.observe(agent)
        return {"observation": self._vector(agent, obs), "action_mask": self._mask(agent, obs)}

    # --- the PettingZoo API -------------------------------------------------------------

    def reset(
        self, seed: int | None = None, options: dict[str, Any] | None = None
    ) -> tuple[dict[str, dict[str, np.ndarray]], dict[str, dict[str, Any]]]:
        """Start a new game (seeded: same seed, same game)."""
        if seed is not None:
            self._np_random = np.random.default_rng(seed)
        game_seed = int(seed) if seed is not None else int(self._np_random.integers(0, 2**31 - 1))
        self._model = new_model(self.scenario, game_seed, self.overrides, collect=False)
        self.agents = list(self.possible_agents)
        self._scores = self._model.scores()
        obs = {a: self._observe(a) for a in self.agents}
        infos: dict[str, dict[str, Any]] = {a: {"seed": game_seed} for a in self.agents}
        return obs, infos

    def step(
        self, actions: dict[str, Any]
    ) -> tuple[
        dict[str, dict[str, np.ndarray]],
        dict[str, float],
        dict[str, bool],
        dict[str, bool],
        dict[str, dict[str, Any]],
    ]:
        """Resolve one quarter with the agents' actions and the bots' orders."""
        if not self.agents:
            return {}, {}, {}, {}, {}
        infos: dict[str, dict[str, Any]] = {a: {"illegal_action": False} for a in self.agents}
        for agent in self.agents:
            if agent not in actions:
                continue
            kind = self._kind[agent]
            name = ACTIONS[kind][int(actions[agent])]
            obs = self._model.observe(agent)
            infos[agent]["action"] = name
            try:
                order = _order(kind, name, obs["self"], obs["public"])
                if order is not None:
                    self._model.submit(agent, order)
            except (OrderError, ValidationError):
                infos[agent]["illegal_action"] = True
        self._model.step()
        scores = self._model.scores()
        rewards = {a: float(scores[a] - self._scores[a]) for a in self.agents}
        self._scores = scores
        done = self._model.done
        terminations = dict.fromkeys(self.agents, done)
        truncations = dict.fromkeys(self.agents, False)
        obs_out = {a: self._observe(a) for a in self.agents}
        if done:
            out = self._model.world.outcome
            for a in self.agents:
                infos[a]["outcome"] = out.kind if out else None
            self.agents = []
        return obs_out, rewards, terminations, truncations, infos

    def render(self) -> str | None:
        """A one-line text summary of the world (``ansi`` mode)."""
        w = self._model.world
        labs = ", ".join(f"{lab.name} {lab.capability:.0f}" for lab in w.active_labs())
        return f"{w.quarter_label()}: {labs}" + (f" — {w.outcome.kind}" if w.outcome else "")

    def close(self) -> None:
        """Nothing to release."""

    def state(self) -> np.ndarray:
        """Not provided: the full state holds hidden variables; use ``model.god_view()``."""
        raise NotImplementedError("the global state is hidden; see RaceModel.god_view()")

    @property
    def model(self) -> RaceModel:
        """The underlying model (for analysis; reading ``god_view`` breaks the game's secrecy)."""
        return self._model


def parallel_env(**kwargs: Any) -> PrecipiceParallelEnv:
    """PettingZoo-style constructor."""
    return PrecipiceParallelEnv(**kwargs)
