"""Server pushes: how a message is encoded, and which sockets of a game receive it.

Encoding is one ``json.dumps`` of ``{"v": 1, "type": ..., "data": ...}``: no validation
on this hot path (a test checks every push a real game sends against the schema that
``/api/protocol`` publishes). A game's audiences are the seat holders (through the
seats), its spectators and its facilitators.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING

from server.conn import Connection

if TYPE_CHECKING:
    from server.session.seats import Seat


def encode_push(kind: str, data: Mapping[str, object]) -> str:
    """Encode a server push (``{"v":1,"type":kind,"data":data}``)."""
    return json.dumps({"v": 1, "type": kind, "data": data}, separators=(",", ":"))


def encode_json(data: object) -> str:
    """Compact JSON, as every push is encoded."""
    return json.dumps(data, separators=(",", ":"))


def encode_with_world(kind: str, data: Mapping[str, object], world_json: str) -> str:
    """Encode a push whose ``data`` also carries ``world``, given already encoded.

    The public world is most of a ``game_state`` push and changes once per turn, so it is
    encoded once per turn and spliced in; the result is the same JSON object as
    ``encode_push(kind, {**data, "world": world})``.
    """
    rest = json.dumps(data, separators=(",", ":"))
    sep = "," if len(rest) > 2 else ""
    return f'{{"v":1,"type":{json.dumps(kind)},"data":{{"world":{world_json}{sep}{rest[1:]}}}'


def encode_ack(mid: str | int | None, of: str, result: Mapping[str, object] | None = None) -> str:
    """Encode an ack echoing the client's ``id``."""
    return json.dumps(
        {"v": 1, "type": "ack", "id": mid, "of": of, "result": result}, separators=(",", ":")
    )


def error_message(code: str, message: str) -> str:
    """Encode an unsolicited typed error (no client ``id`` to echo)."""
    return json.dumps(
        {"v": 1, "type": "error", "id": None, "code": code, "message": message, "field": None},
        separators=(",", ":"),
    )


class Room:
    """The open sockets of one game: seat holders, spectators and facilitators."""

    def __init__(self, seats: Mapping[str, Seat]) -> None:
        self.seats = seats
        self.spectators: set[Connection] = set()
        self.facilitators: set[Connection] = set()

    def connections(self) -> list[Connection]:
        """Every open socket of the game."""
        holders = [s.conn for s in self.seats.values() if s.conn is not None]
        return [*holders, *self.spectators, *self.facilitators]

    def everyone(self, text: str) -> None:
        """Send one message to every socket of the game."""
        for conn in self.connections():
            conn.send(text)

    def to_roles(self, roles: tuple[str, ...], text: str) -> None:
        """Send a message to whoever holds each of ``roles`` now."""
        for role in roles:
            seat = self.seats.get(role)
            if seat is not None and seat.conn is not None:
                seat.conn.send(text)

    def to_spectators(self, text: str) -> None:
        """Send a message to every spectator."""
        for conn in self.spectators:
            conn.send(text)

    def to_facilitators(self, text: str) -> None:
        """Send a message to every facilitator socket."""
        for conn in self.facilitators:
            conn.send(text)
