"""Functions written out once per record class, for the loops every quarter runs.

A record is shown to ten roles, copied and (in a recorded game) hashed every quarter; a
generic loop over its fields pays a call or a tuple per field each time. Instead, the
function for a class is written out as source from the class's own field names and
compiled once, the way ``dataclasses`` writes ``__init__``: one dict display, or one
attribute store per field.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def compile_function(source: str, name: str, scope: dict[str, Any]) -> Callable[..., Any]:
    """Compile ``source`` (one ``def name(...)``) with ``scope`` as its globals; return it.

    The source must be built from field names and fixed text only, never from data.
    """
    namespace = dict(scope)
    exec(source, namespace)  # noqa: S102 - source built from a record class's field names
    function: Callable[..., Any] = namespace[name]
    return function
