"""``PRECIPICE_WS_COMPRESSION``: a real server offers permessage-deflate, or not, as set."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from websockets.asyncio.client import connect

from tests.server.helpers import start_server


async def _extensions(url: str) -> str:
    async with connect(url) as ws:  # the client offers permessage-deflate by default
        assert ws.response is not None
        return str(ws.response.headers.get("Sec-WebSocket-Extensions", ""))


@pytest.mark.parametrize(("setting", "offered"), [(None, True), ("0", False)])
def test_the_server_offers_compression_as_set(
    tmp_path: Path, setting: str | None, offered: bool
) -> None:
    env = {"PRECIPICE_ENABLE_ECHO": "1"}
    if setting is not None:
        env["PRECIPICE_WS_COMPRESSION"] = setting
    server = start_server(f"sqlite:///{tmp_path / 'c.db'}", env=env)
    try:
        got = asyncio.run(_extensions(f"ws://127.0.0.1:{server.port}/ws/echo"))
    finally:
        server.stop()
    assert ("permessage-deflate" in got) is offered, got
