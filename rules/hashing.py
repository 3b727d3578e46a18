"""A canonical digest of the world, so a replay can prove it reproduced every turn."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from typing import Any

from rules.world import World


def _canon(value: Any) -> Any:
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, dict):
        return {str(k): _canon(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_canon(v) for v in value]
    return value


def world_hash(world: World) -> str:
    """SHA-256 (hex, first 32 chars) of the canonical JSON of the whole world."""
    text = json.dumps(_canon(asdict(world)), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:32]
