"""Tokens: 256-bit secrets from ``secrets``, stored only as sha256 hashes, compared in constant time."""

from __future__ import annotations

import hashlib
import hmac
import secrets


def new_token() -> str:
    """A fresh URL-safe token (32 random bytes)."""
    return secrets.token_urlsafe(32)


def new_game_id() -> str:
    """A short random game id (not a secret)."""
    return secrets.token_hex(6)


def token_hash(token: str) -> str:
    """The sha256 hex digest stored in place of a token."""
    return hashlib.sha256(token.encode()).hexdigest()


def token_matches(token: str | None, stored_hash: str | None) -> bool:
    """True if ``token`` hashes to ``stored_hash`` (constant-time comparison)."""
    if not token or not stored_hash:
        return False
    return hmac.compare_digest(token_hash(token), stored_hash)
