"""A turn's snapshot puts the model back exactly: the same quarter replays to the same hash."""

from __future__ import annotations

from agents.saved import new_model
from rules.hashing import world_hash
from server.session import snapshot


def test_restore_undoes_a_step_exactly() -> None:
    model = new_model("baseline", 7, collect=True)
    model.run(3)
    snap = snapshot.take(model)
    hash_before = world_hash(model.world)
    model.step()
    first = model.history[-1].hash
    assert world_hash(model.world) != hash_before
    snapshot.restore(model, snap)
    assert world_hash(model.world) == hash_before
    assert len(model.history) == 3 and model.turn == 3
    model.step()  # the same quarter again: same dice, same bots, same world
    assert model.history[-1].hash == first
    model.run(2)
    fresh = new_model("baseline", 7, collect=True)
    fresh.run(6)
    assert [r.hash for r in model.history] == [r.hash for r in fresh.history]
    collected = model.datacollector.get_model_vars_dataframe()
    assert len(collected) == len(fresh.datacollector.get_model_vars_dataframe())
