"""Evaluate a simple hand-written policy for one seat against the bots, over many seeds.

    uv run python examples/train_or_evaluate.py --seat us-official --games 200

The policy plays one seat of the PettingZoo env (``agents.rl.env``); every other seat is
its bot. The same seeds are then played with the seat's own bot (action ``bot``), so
the two mean scores differ only by the policy. Prints each mean with a 95% interval
and the paired difference.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable

import numpy as np

from agents.rl.env import ACTIONS, PrecipiceParallelEnv

Policy = Callable[[PrecipiceParallelEnv, str, dict[str, np.ndarray]], int]


def bot_policy(env: PrecipiceParallelEnv, agent: str, obs: dict[str, np.ndarray]) -> int:
    """Let the seat's own bot decide."""
    return env.action_names(agent).index("bot")


def vigilant_policy(env: PrecipiceParallelEnv, agent: str, obs: dict[str, np.ndarray]) -> int:
    """A blunt rule: act on any risk signal with the strongest legal lever, else the bot."""
    names = env.action_names(agent)
    feats = dict(zip(env.feature_names(agent), obs["observation"], strict=True))
    mask = obs["action_mask"]
    signal = feats.get("self.signal", 0.0)
    wishes = {
        "official": ["brake", "report"],
        "whistleblower": ["speak_up", "speak_out"],
        "lab": ["more_safety"],
        "state": ["raise_oversight"],
    }
    kind = next(k for k, v in ACTIONS.items() if v == names)
    if kind == "state":
        signal = max(feats.get("self.public_concern", 0.0) - 0.4, 0.0)
    if signal > 0.25:
        for wish in wishes[kind]:
            i = names.index(wish)
            if mask[i]:
                return i
    return names.index("bot")


def play(seat: str, seed: int, policy: Policy, scenario: str) -> float:
    """Play one game with ``policy`` in ``seat``; return the seat's final score."""
    env = PrecipiceParallelEnv(scenario=scenario, seats=[seat])
    obs, _ = env.reset(seed=seed)
    total = env.model.scores()[seat]
    while env.agents:
        obs, rewards, _, _, _ = env.step({seat: policy(env, seat, obs[seat])})
        total += rewards[seat]
    return total


def mean_ci(xs: list[float]) -> tuple[float, float, float]:
    """Mean and 95% normal interval."""
    n = len(xs)
    m = sum(xs) / n
    sd = math.sqrt(sum((x - m) ** 2 for x in xs) / max(1, n - 1))
    h = 1.96 * sd / math.sqrt(n)
    return m, m - h, m + h


def main() -> None:
    """Evaluate and print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seat", default="us-official")
    parser.add_argument("--games", type=int, default=100)
    parser.add_argument("--scenario", default="baseline")
    args = parser.parse_args()
    ours = [play(args.seat, s, vigilant_policy, args.scenario) for s in range(args.games)]
    bots = [play(args.seat, s, bot_policy, args.scenario) for s in range(args.games)]
    diff = [a - b for a, b in zip(ours, bots, strict=True)]
    for label, xs in (
        ("vigilant policy", ours),
        ("seat's own bot", bots),
        ("difference (paired)", diff),
    ):
        m, lo, hi = mean_ci(xs)
        print(
            f"{label:>20}: mean score {m:7.2f}  95% CI [{lo:7.2f}, {hi:7.2f}]  ({args.games} games, {args.seat})"
        )


if __name__ == "__main__":
    main()
