"""Regenerate the golden saved games (run after a deliberate rules change)."""

from __future__ import annotations

from pathlib import Path

from agents.record import new_model, to_saved
from rules.actions import LabOrder, OfficialOrder, StateOrder, WhistleblowerOrder

OUT = Path(__file__).parent / "golden"


def main() -> None:
    OUT.mkdir(exist_ok=True)
    for name, seed in [
        ("baseline", 1),
        ("ai-2027-race", 2),
        ("ai-2027-slowdown", 3),
        ("china-leads", 4),
        ("no-race", 5),
        ("consolidation", 6),
    ]:
        m = new_model(name, seed)
        m.run()
        (OUT / f"{name}-{seed}.json").write_text(to_saved(m).model_dump_json(indent=1))
    m = new_model("baseline", 42, {"states.us.oversight": "2"})
    m.submit("us", StateOrder(export_controls=0.9, safety_floor=0.2, treaty="propose_floor"))
    m.submit("us-official", OfficialOrder(action="inspect"))
    m.inject("memo_leak")
    m.step()
    m.submit("cn", StateOrder(treaty="accept"))
    m.submit("cn-wb", WhistleblowerOrder(action="speak_up"))
    m.step()
    m.submit("us-lab", LabOrder(pause=True, safety_share=0.3))
    m.inject("warning_shot")
    m.run()
    (OUT / "humans-and-events-42.json").write_text(to_saved(m).model_dump_json(indent=1))


if __name__ == "__main__":
    main()
