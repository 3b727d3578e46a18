"""How much computing the debrief report spends, and for whom it is built.

Kept apart from the report's builder (``server.report.html``, which imports the game
model, matplotlib and Jinja2) so that the command line and the server's routes can read
the defaults without importing any of that.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Audience = Literal["full", "public"]


@dataclass(frozen=True, slots=True)
class ReportOptions:
    """How much computing the report spends, and for whom it is built.

    ``rollouts``: per turn of the forecast chart (0 skips it); ``tp_rollouts`` and
    ``top``: paired rollouts per turning point and how many are shown (``top`` 0 skips
    them; the game's own arm of a turning point is the forecast of the next quarter, so
    its first ``rollouts`` cost nothing); ``screen_rollouts``: rollouts screening the
    candidates when that costs less than measuring them all; ``seed``: base seed of the rollouts
    (default: the game's); ``jobs``: worker processes (one pool, one batch of rollouts
    shared by every analysis); ``audience``: ``full`` (the facilitator, or everyone after
    the reveal) or ``public`` (everyone before the reveal: see the module doc).
    """

    rollouts: int = 30
    tp_rollouts: int = 50
    top: int = 5
    screen_rollouts: int = 10
    seed: int | None = None
    jobs: int = 1
    audience: Audience = "full"
