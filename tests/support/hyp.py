"""Hypothesis profiles: ``ci`` (the default: derandomised, the landing gate) and ``explore``.

``uv run pytest`` loads ``ci``: every property test draws the same examples on every run,
so the suite cannot pass or fail by chance. ``--hypothesis-profile=explore`` draws fresh
random examples and ten times as many (``examples(n)`` scales each test's budget), to hunt
for new counter-examples; it is not the landing gate (README: "Longer randomised runs").
"""

from __future__ import annotations

from hypothesis import HealthCheck, settings

settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile(
    "explore",
    derandomize=False,
    deadline=None,
    max_examples=1000,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("ci")


def examples(n: int) -> int:
    """A test's example budget under the loaded profile (``n`` under ``ci``, 10n under ``explore``)."""
    return n * max(1, settings.default.max_examples // 100)
