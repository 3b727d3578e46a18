"""A canonical digest of the world, so a replay can prove it reproduced every turn."""

from __future__ import annotations

import hashlib

from rules.world import World


def world_hash(world: World) -> str:
    """SHA-256 (hex, first 32 chars) of the world's canonical text.

    The text is the dataclass ``repr`` of the whole world: fields in declaration order,
    dicts in insertion order (fixed by the scenario), floats in their exact shortest
    ``repr``. Any change to any field, hidden ones included, changes the digest.
    """
    return hashlib.sha256(repr(world).encode()).hexdigest()[:32]
