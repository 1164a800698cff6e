"""The schema's checks for ONE value at a time, for the web API.

``schema.py`` states each check for a pandas Series, which suits batches but
costs ~0.5 ms of pandas overhead per check: far too slow to validate a single
JSON record per request. These predicates state the same rules for a single
Python value; ``tests/test_serving_validation.py`` checks, value by value, that
they accept and reject exactly what ``validate_records`` does.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from .schema import CheckSpec

LINE_BREAKS = "\r\n\t"


def _is_missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _finite_or_none(value: Any) -> float | None:
    """The value as a finite float, or None when missing or infinite."""
    if _is_missing(value):
        return None
    number = float(value)
    return None if math.isinf(number) else number


def _min(bound: Any) -> Callable[[Any], bool]:
    return lambda v: (n := _finite_or_none(v)) is None or n >= bound


def _max(bound: Any) -> Callable[[Any], bool]:
    return lambda v: (n := _finite_or_none(v)) is None or n <= bound


def _finite(_: Any) -> Callable[[Any], bool]:
    return lambda v: _is_missing(v) or not math.isinf(float(v))


def _is_integer(_: Any) -> Callable[[Any], bool]:
    return lambda v: _is_missing(v) or math.isinf(float(v)) or float(v).is_integer()


def _allowed(values: Any) -> Callable[[Any], bool]:
    allowed = {str(value).strip() for value in values}
    return lambda v: _is_missing(v) or str(v).strip() in allowed


def _not_empty(_: Any) -> Callable[[Any], bool]:
    return lambda v: _is_missing(v) or str(v).strip() != ""


def _max_length(limit: Any) -> Callable[[Any], bool]:
    return lambda v: _is_missing(v) or len(str(v)) <= limit


def _single_line(_: Any) -> Callable[[Any], bool]:
    return lambda v: _is_missing(v) or not any(c in str(v) for c in LINE_BREAKS)


_PREDICATES: dict[str, Callable[[Any], Callable[[Any], bool]]] = {
    "min": _min,
    "max": _max,
    "finite": _finite,
    "is_integer": _is_integer,
    "allowed": _allowed,
    "not_empty": _not_empty,
    "max_length": _max_length,
    "single_line": _single_line,
}


def scalar_check(check: CheckSpec) -> Callable[[Any], bool] | None:
    """Return ``value -> passes`` for ``check``, or None for ``is_number``.

    ``is_number`` is a type, not a rule: the API's request model parses numbers.
    """
    if check.name == "is_number":
        return None
    return _PREDICATES[check.name](check.argument)


__all__ = ["scalar_check"]
