"""Precipice agents: the Mesa model, its four agent types and their bot policies."""
