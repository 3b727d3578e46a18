"""Precipice server: FastAPI lobby and websocket play, persistence, replay, and the CLI."""
