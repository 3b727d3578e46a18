"""One getter for several attributes of a record, returning them as a tuple.

``operator.attrgetter`` returns a tuple for two names or more but the bare value for one
(and refuses none); the hashing and the observations read a record's fields in one call,
whatever their number.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Any


def attrs_getter(names: tuple[str, ...]) -> Callable[[Any], tuple[Any, ...]]:
    """A function returning the attributes ``names`` of its argument as a tuple (of any length)."""
    if len(names) > 1:
        return operator.attrgetter(*names)
    if len(names) == 1:
        one = operator.attrgetter(names[0])
        return lambda rec: (one(rec),)
    return lambda rec: ()
