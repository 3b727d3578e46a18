"""Precipice rules: pure, deterministic world model (no mesa, no I/O, no clock, no global RNG)."""

from rules.version import RULES_VERSION

__all__ = ["RULES_VERSION"]
