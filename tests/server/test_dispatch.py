"""The dispatcher's table: one route per client message type, each gated by who may send it."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import Any, Literal, get_args

import pytest

from server.dispatch import FACILITATOR_TYPES, ROUTES, Route, Sender, dispatch
from server.protocol import CLIENT_ADAPTER, ClientMessage, ProtocolError, _Client


def union_types() -> set[str]:
    """Every ``type`` of the protocol's ClientMessage union, read from the union itself."""
    union = get_args(ClientMessage)[0]  # Annotated[Union[...], discriminator]
    out = set()
    for cls in get_args(union):
        (literal,) = get_args(cls.model_fields["type"].annotation)
        out.add(literal)
    return out


def test_the_table_has_exactly_one_route_per_client_message_type() -> None:
    types = union_types()
    assert len(types) == len(get_args(get_args(ClientMessage)[0])) >= 14
    assert set(ROUTES) == types
    for key, route in ROUTES.items():
        assert route.type == key
        # the route's class is the one the protocol parses this type into
        parsed = CLIENT_ADAPTER.validate_python(
            {"v": 1, "type": key, **_minimal_fields(key)}, strict=False
        )
        assert type(parsed) is route.message


def _minimal_fields(kind: str) -> dict[str, Any]:
    return {
        "order": {"turn": 0, "order": {}},
        "chat": {"text": "x"},
        "set_deadline": {"seconds": None},
        "inject": {"event": "memo_leak"},
        "set_seat": {"role": "cn", "mode": "bot"},
        "broadcast": {"text": "x"},
    }.get(kind, {})


def test_who_may_send_what() -> None:
    assert {t for t, r in ROUTES.items() if r.sender is Sender.ANY} == {"hello", "ping", "sync"}
    assert ROUTES["order"].sender is Sender.SEAT
    assert ROUTES["chat"].sender is Sender.SEAT_OR_FACILITATOR
    assert ROUTES["ready"].sender is Sender.SEAT
    assert {
        "pause",
        "resume",
        "set_deadline",
        "force_turn",
        "inject",
        "set_seat",
        "broadcast",
        "god_view",
        "reveal",
        "start",
    } == FACILITATOR_TYPES


def _refusal(msg: Any, kind: str) -> ProtocolError:
    """What dispatch raises for ``msg`` from a connection of ``kind`` (before any game is touched)."""
    conn = SimpleNamespace(kind=kind, role=None)
    with pytest.raises(ProtocolError) as info:
        asyncio.run(dispatch(None, conn, msg, 1))  # type: ignore[arg-type]
    return info.value


@pytest.mark.parametrize("kind", sorted(FACILITATOR_TYPES))
def test_facilitator_commands_are_forbidden_to_seats_and_spectators(kind: str) -> None:
    msg = CLIENT_ADAPTER.validate_python({"v": 1, "type": kind, **_minimal_fields(kind)})
    for who in ("seat", "spectator"):
        err = _refusal(msg, who)
        assert (err.code, err.field) == ("forbidden", "type")


def test_seat_messages_are_refused_to_others() -> None:
    order = CLIENT_ADAPTER.validate_python({"v": 1, "type": "order", "turn": 0, "order": {}})
    assert _refusal(order, "spectator").code == "not_your_seat"
    assert _refusal(order, "facilitator").code == "not_your_seat"
    chat = CLIENT_ADAPTER.validate_python({"v": 1, "type": "chat", "text": "x"})
    assert _refusal(chat, "spectator").code == "not_your_seat"


class Unrouted(_Client):
    """A message type the protocol might grow without anyone adding its route."""

    type: Literal["unrouted"]


class FakePing(_Client):
    """A message claiming a routed type without being of the route's class."""

    type: Literal["ping"]


def test_unknown_or_mismatched_types_fail_closed() -> None:
    for msg in (Unrouted(v=1, type="unrouted"), FakePing(v=1, type="ping")):
        for who in ("facilitator", "seat", "spectator"):
            err = _refusal(msg, who)
            assert (err.code, err.field) == ("unknown_type", "type")


def test_a_table_with_two_routes_for_one_type_is_refused() -> None:
    from server import dispatch as d

    route: Route[Any] = ROUTES["ping"]
    with pytest.raises(ValueError, match="two routes"):
        d._table(route, route)
