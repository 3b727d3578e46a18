"""Saved games: the format (``format``), why one may not replay (``errors``), the one replay (``replay``)."""

from agents.saved.errors import ReplayError, RulesVersionError
from agents.saved.format import FORMAT, SavedGame, SavedTurn, load_saved, to_saved
from agents.saved.replay import (
    TurnInputs,
    new_model,
    open_replay,
    open_saved,
    replay,
    replay_turns,
    saved_inputs,
    saved_reseeds,
    submit_inputs,
)

__all__ = [
    "FORMAT",
    "ReplayError",
    "RulesVersionError",
    "SavedGame",
    "SavedTurn",
    "TurnInputs",
    "load_saved",
    "new_model",
    "open_replay",
    "open_saved",
    "replay",
    "replay_turns",
    "saved_inputs",
    "saved_reseeds",
    "submit_inputs",
    "to_saved",
]
