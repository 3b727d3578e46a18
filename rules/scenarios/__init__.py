"""Scenario data files (TOML), read by ``rules.scenario``."""
