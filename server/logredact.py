"""Keep secrets out of the server log: tokens in quoted websocket frames are redacted.

At log level ``debug`` the websocket library quotes every frame it sends or receives,
cut in the middle when long, and a ``hello`` frame carries a seat's or the facilitator's
token. ``RedactTokens`` is a logging filter that rewrites, in such a record, any
``"token": "..."`` value and any run of 12 or more token characters that is not plain
lowercase hex (game ids and world hashes are; tokens never are, but for one chance in
hundreds of thousands) to ``[redacted]``. The record still shows the frame. It is
installed on uvicorn's handlers by ``log_config()``.
"""

from __future__ import annotations

import copy
import logging
import re
from typing import Any

TOKEN = re.compile(r"""(["']token["']\s*:\s*["'])[^"']*(["']?)""")
RUN = re.compile(r"[A-Za-z0-9_-]{12,}")
FRAME = ("< TEXT", "> TEXT", "< BINARY", "> BINARY")


def _hide(match: re.Match[str]) -> str:
    text = match.group(0)
    return text if re.fullmatch(r"[0-9a-f]+", text) else "[redacted]"


class RedactTokens(logging.Filter):
    """Rewrites token values in a log record's message; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Redact, then let the record through."""
        text = record.getMessage()
        redacted = TOKEN.sub(r"\1[redacted]\2", text) if "token" in text else text
        if redacted.lstrip().startswith(FRAME):
            redacted = RUN.sub(_hide, redacted)
        if redacted != text:
            record.msg, record.args = redacted, None
        return True


def log_config() -> dict[str, Any]:
    """Uvicorn's logging configuration with the token filter on every handler."""
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config.setdefault("filters", {})["redact_tokens"] = {"()": RedactTokens}
    for handler in config["handlers"].values():
        handler.setdefault("filters", []).append("redact_tokens")
    return config
