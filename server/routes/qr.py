"""QR codes for rejoin links: ``POST /api/qr`` turns a short text into a module matrix.

The text (a rejoin URL, whose fragment holds a seat token) travels in the request body, never
in a URL, so it is not written to access logs; the reply is the QR code's modules as rows of
"0"/"1" that the browser draws as SVG itself (no image, no inline markup). Made with segno.
"""

from __future__ import annotations

from typing import Annotated

import segno
from fastapi import APIRouter, Body
from pydantic import BaseModel, ConfigDict, Field

from server.openapi import errors

router = APIRouter(prefix="/api", tags=["lobby"])


class QRRequest(BaseModel):
    """What to encode: a URL or any short text (at most 1,000 characters)."""

    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=1, max_length=1000)


class QRCode(BaseModel):
    """A QR code as a square of modules: ``rows[y][x]`` is "1" for a dark module."""

    size: int
    border: int
    rows: list[str]


@router.post("/qr", responses=errors(413, 422))
async def qr_code(body: Annotated[QRRequest, Body()]) -> QRCode:
    """The QR code (error correction M, 4-module quiet zone) of ``text``."""
    code = segno.make_qr(body.text, error="m")
    border = 4
    rows = [
        "".join("1" if dark else "0" for dark in row) for row in code.matrix_iter(border=border)
    ]
    return QRCode(size=len(rows), border=border, rows=rows)
