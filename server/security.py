"""Tokens: 256-bit secrets from ``secrets``, stored only as sha256 hashes, compared in constant time.

A seat token is derived from the game's link key and a per-claim nonce (HMAC-SHA256), so the
facilitator's links endpoint can hand out every held seat's rejoin URL again without any
token being stored; a new claim (new nonce) makes the old token worthless. A game's secret
(also 256 bits) is stored as is (the server needs it to rebuild the game) and mixed with
the seed into the game's randomness (``agents.seeds.game_rng``).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets


def new_token() -> str:
    """A fresh URL-safe token (32 random bytes)."""
    return secrets.token_urlsafe(32)


def new_game_id() -> str:
    """A short random game id (not a secret)."""
    return secrets.token_hex(6)


def new_game_secret() -> str:
    """A fresh game secret: 32 random bytes as 64 hex digits (``agents.seeds.SECRET_PATTERN``)."""
    return secrets.token_hex(32)


def token_hash(token: str) -> str:
    """The sha256 hex digest stored in place of a token."""
    return hashlib.sha256(token.encode()).hexdigest()


def token_matches(token: str | None, stored_hash: str | None) -> bool:
    """True if ``token`` hashes to ``stored_hash`` (constant-time comparison)."""
    if not token or not stored_hash:
        return False
    return hmac.compare_digest(token_hash(token), stored_hash)


JOIN_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
"""Join-code letters: no 0/O or 1/I/L to misread when it is read out to a room."""


def new_join_code(length: int = 8) -> str:
    """A join code for a private game (8 letters: 40 bits)."""
    return "".join(secrets.choice(JOIN_ALPHABET) for _ in range(length))


def join_code_matches(given: str | None, code: str | None) -> bool:
    """True if ``given`` is the game's join code (case and spaces ignored, constant time)."""
    if not given or not code:
        return False
    norm = given.replace(" ", "").replace("-", "").upper()
    return hmac.compare_digest(norm.encode(), code.encode())


def new_link_key() -> str:
    """A game's key for deriving seat tokens (32 random bytes, hex)."""
    return secrets.token_hex(32)


def new_nonce() -> str:
    """A per-claim nonce (16 random bytes, hex)."""
    return secrets.token_hex(16)


def seat_token(link_key: str, game_id: str, role: str, nonce: str) -> str:
    """The seat token of one claim: HMAC-SHA256 of (game, role, nonce) under the game's link key."""
    mac = hmac.new(bytes.fromhex(link_key), f"{game_id}:{role}:{nonce}".encode(), hashlib.sha256)
    return base64.urlsafe_b64encode(mac.digest()).rstrip(b"=").decode()
