"""The phases of a turn, in the order DESIGN.md fixes; each is a pure function."""
