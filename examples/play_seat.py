"""Play one seat of a live game over the websocket with a simple policy, and print the score.

    uv run precipice serve &                                   # a server on :8000
    uv run python examples/play_seat.py --role us              # new game, every other seat a bot
    uv run python examples/play_seat.py --game 3f2a9c1b7d4e --role cn-lab   # join an open seat

The policy is a plain function from the observation (``data`` of the ``observation`` push)
to an order dict, or None to let the seat's own bot decide. This one is a cautious state:
it keeps its levers as they are but raises oversight whenever the world looks risky, and
lets the bot decide for any other kind of seat.
"""

from __future__ import annotations

import argparse
from typing import Any

from server.client import play_seat


def cautious(data: dict[str, Any]) -> dict[str, Any] | None:
    """Status quo, plus strict oversight and a safety floor for a state; the bot otherwise."""
    obs = data["observation"]
    if obs["role_kind"] != "state":
        return None
    levers = {lv["name"]: lv for lv in data["legal_actions"]}
    order: dict[str, Any] = {}
    if "oversight" in levers:
        opts = levers["oversight"]["options"]
        order["oversight"] = opts[-1]
    if "safety_floor" in levers:
        order["safety_floor"] = min(levers["safety_floor"]["max"], 0.5)
    return order


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000", help="server base URL")
    parser.add_argument("--game", default=None, help="join this game (default: create one)")
    parser.add_argument("--scenario", default="baseline")
    parser.add_argument("--role", default="us")
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args()
    result = play_seat(args.url, args.game, args.scenario, args.role, cautious, seed=args.seed)
    print(
        f"game {result.game_id}: {result.role} played {len(result.orders)} turns, "
        f"score {result.score}, outcome {result.outcome}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
