"""The rules version a saved game records; bump it whenever resolution changes."""

RULES_VERSION = "2.8"
