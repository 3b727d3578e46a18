"""``precipice simulate``: play a bot-only game and tell its story (or print JSON)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from agents.analysis.games import parse_assignments
from agents.model import RaceModel
from agents.saved import new_model, to_saved
from rules.world import Oversight
from server.commands.common import add_play_argument, parse_play

NAME = "simulate"
HELP = "Play a bot-only game turn by turn and print what happened."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add this command's options."""
    parser.add_argument("--scenario", default="baseline")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--turns", type=int, default=None, help="stop after this many turns")
    parser.add_argument(
        "--set",
        dest="sets",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="override a scenario parameter by dotted path (repeatable)",
    )
    add_play_argument(parser)
    parser.add_argument("--out", type=Path, help="write the saved game (JSON) here")
    parser.add_argument("--json", action="store_true", help="print one JSON summary object")


def _line(model: RaceModel) -> str:
    w = model.world
    labs = "  ".join(
        f"{lab.name}: cap {lab.capability:5.1f} align {lab.alignment:5.1f}"
        for lab in w.active_labs()
    )
    states = "  ".join(
        f"{s.id}: concern {s.public_concern:.2f} oversight {Oversight(s.oversight).name.lower()}"
        for s in w.states.values()
    )
    return f"    {labs}\n    {states}"


def _actions(model: RaceModel) -> list[str]:
    rec = model.history[-1]
    out = []
    for role, order in {**rec.bot_orders, **rec.human_orders}.items():
        kind = order.get("kind")
        if kind in ("official", "whistleblower") and order.get("action") in ("ignore", "silent"):
            continue
        fields = {k: v for k, v in order.items() if k != "kind"}
        if kind == "state":
            fields = {
                k: fields[k]
                for k in (
                    "oversight",
                    "export_controls",
                    "safety_floor",
                    "treaty",
                    "nationalise",
                    "merge_labs",
                )
                if k in fields and fields[k] is not False
            }
        if kind == "lab":
            fields = {
                k: fields[k]
                for k in ("safety_share", "pause", "distil", "lobby")
                if k in fields and fields[k] not in (False,)
            }
        if not fields:
            continue
        who = "(you)" if role in rec.human_orders else ""
        out.append(f"{role}{who}: " + ", ".join(f"{k}={v}" for k, v in fields.items()))
    return out


def run(args: argparse.Namespace) -> int:
    """Run the game."""
    overrides = parse_assignments(args.sets)
    from agents.analysis.games import play_one
    from rules.scenario import load_scenario

    if load_scenario(args.scenario, overrides).mode == "precipice":
        g = play_one(args.scenario, args.seed, overrides)
        one = {
            "scenario": args.scenario,
            "seed": g.seed,
            "turns_played": g.turns_played,
            "outcome": g.outcome,
            "asi_state": g.state if g.outcome == "corrigible_asi" else None,
            "scores": g.scores,
            "final_hash": g.final_hash,
        }
        print(json.dumps(one, indent=None if args.json else 2))
        return 0
    model = new_model(
        args.scenario, args.seed, overrides, parse_play(args.play, args.scenario, overrides)
    )
    story = not args.json
    if story:
        print(f"{model.spec.title} — seed {args.seed}")
        print(_line(model))
    while not model.done and (args.turns is None or len(model.history) < args.turns):
        model.step()
        if story:
            rec = model.history[-1]
            print(f"\n{rec.quarter}")
            for act in _actions(model):
                print(f"  · {act}")
            for item in rec.news:
                if item.public:
                    print(f"  ! {item.text}")
            print(_line(model))
    out = model.world.outcome
    summary: dict[str, Any] = {
        "scenario": model.spec.name,
        "seed": args.seed,
        "turns_played": len(model.history),
        "outcome": out.kind if out else None,
        "asi_state": out.state if out and out.kind != "no_asi" else None,
        "asi_lab": out.lab if out and out.kind != "no_asi" else None,
        "asi_turn": out.turn if out and out.kind != "no_asi" else None,
        "p_rogue_at_build": round(out.p_rogue, 4) if out and out.p_rogue is not None else None,
        "cause": out.cause if out else None,
        "distribution": out.distribution if out else None,
        "sealed": {
            "alignment_difficulty": model.world.sealed.alignment_difficulty,
            "takeoff": model.world.sealed.takeoff,
        },
        "ai_values": {aid: ai.values for aid, ai in model.world.ais.items()},
        "scores": model.scores(),
        "final_hash": model.history[-1].hash if model.history else model.initial_hash,
    }
    if args.out:
        args.out.write_text(to_saved(model).model_dump_json(indent=1))
    if args.json:
        print(json.dumps(summary))
    else:
        odds = summary["p_rogue_at_build"]
        print(
            f"\nOutcome: {summary['outcome'] or 'unfinished'}"
            + (f" ({summary['asi_lab']}, {summary['asi_state']})" if summary["asi_state"] else "")
            + (f"; it had a {odds:.0%} chance of going rogue" if odds is not None else "")
        )
        print("Scores: " + ", ".join(f"{k} {v:.1f}" for k, v in summary["scores"].items()))
        if args.out:
            print(f"Saved to {args.out}")
    return 0
