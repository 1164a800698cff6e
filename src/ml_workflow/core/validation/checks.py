"""Every check of the raw-data schema, each defined once, on arrays of values.

A check takes the values of one column (a NumPy array: a whole training
column, a batch of records, or one API record) and returns which of them
fail. Training validation, batch scoring and the web API all run these same
functions (``engine.py``); missing values never fail a value check (the
``nullable`` rule is about them).

Checks run on the *raw* values (as loaded, before cleaning), so each parses
what it needs itself: a range check ignores values that are not numbers,
because ``is_number`` reports those.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ml_workflow.core.dates import parse_datetimes

LINE_BREAKS = "\r\n\t"


def missing(values: np.ndarray) -> np.ndarray:
    """Which values are missing (None, NaN, pandas' NA)."""
    return np.asarray(pd.isna(values), dtype=bool)


def numbers(values: np.ndarray) -> np.ndarray:
    """The values as floats; anything that is not a number becomes NaN."""
    if values.dtype.kind in "fiub":
        return values.astype(np.float64)
    return np.asarray(pd.to_numeric(values, errors="coerce"), dtype=np.float64)


def datetimes(values: np.ndarray) -> np.ndarray:
    """The values as datetime64 (UTC, no zone); anything that is not a date is NaT."""
    if values.dtype.kind == "M":
        return values.astype("datetime64[ns]")
    return parse_datetimes(values).to_numpy(dtype="datetime64[ns]")


def _finite_numbers(values: np.ndarray) -> np.ndarray:
    found = numbers(values)
    return np.where(np.isinf(found), np.nan, found)


def _each_text(values: np.ndarray, test: Callable[[str], bool]) -> np.ndarray:
    """``test`` on the text of each present value; missing values pass."""
    absent = missing(values)
    return np.fromiter(
        (
            not gone and test(str(value))
            for value, gone in zip(values, absent, strict=True)
        ),
        dtype=bool,
        count=len(values),
    )


def _not_a_number(values: np.ndarray, _: Any) -> np.ndarray:
    return ~missing(values) & np.isnan(numbers(values))


def _not_whole(values: np.ndarray, _: Any) -> np.ndarray:
    found = numbers(values)
    return ~np.isnan(found) & (found != np.floor(found))


def _below(values: np.ndarray, bound: Any) -> np.ndarray:
    return _finite_numbers(values) < bound


def _above(values: np.ndarray, bound: Any) -> np.ndarray:
    return _finite_numbers(values) > bound


def _infinite(values: np.ndarray, _: Any) -> np.ndarray:
    return np.isinf(numbers(values))


def _not_a_date(values: np.ndarray, _: Any) -> np.ndarray:
    return ~missing(values) & np.isnat(datetimes(values))


def _before(values: np.ndarray, bound: Any) -> np.ndarray:
    return datetimes(values) < np.datetime64(pd.Timestamp(bound).tz_localize(None))


def _after(values: np.ndarray, bound: Any) -> np.ndarray:
    return datetimes(values) > np.datetime64(pd.Timestamp(bound).tz_localize(None))


def _allowed_set(argument: Any) -> set[str]:
    return {str(value).strip() for value in argument}


def _not_allowed(values: np.ndarray, argument: Any) -> np.ndarray:
    allowed = _allowed_set(argument)
    return _each_text(values, lambda text: text.strip() not in allowed)


def _blank(values: np.ndarray, _: Any) -> np.ndarray:
    return _each_text(values, lambda text: text.strip() == "")


def _too_long(values: np.ndarray, limit: Any) -> np.ndarray:
    return _each_text(values, lambda text: len(text) > limit)


def _multi_line(values: np.ndarray, _: Any) -> np.ndarray:
    return _each_text(values, lambda text: any(c in text for c in LINE_BREAKS))


def _number(value: float) -> str:
    """``0.0`` as ``0``, ``2.5`` as ``2.5``: bounds as a user wrote them."""
    return str(int(value)) if float(value).is_integer() else str(value)


# name -> (what a passing value looks like, which values fail), both given the
# check's argument. One entry per check: every consumer reads this table.
Rule = tuple[Callable[[Any], str], Callable[[np.ndarray, Any], np.ndarray]]
RULES: dict[str, Rule] = {
    "is_number": (lambda dtype: f"a number ({dtype})", _not_a_number),
    "is_integer": (lambda _: "a whole number", _not_whole),
    "min": (lambda bound: f">= {_number(bound)}", _below),
    "max": (lambda bound: f"<= {_number(bound)}", _above),
    "finite": (lambda _: "a finite number (not inf/-inf)", _infinite),
    "is_datetime": (
        lambda _: "a date or time (e.g. 2024-05-31 or 2024-05-31 14:00)",
        _not_a_date,
    ),
    "min_date": (lambda bound: f"no earlier than {bound}", _before),
    "max_date": (lambda bound: f"no later than {bound}", _after),
    "allowed": (lambda values: f"one of {sorted(_allowed_set(values))}", _not_allowed),
    "not_empty": (lambda _: "non-blank text", _blank),
    "max_length": (lambda limit: f"at most {limit} characters", _too_long),
    "single_line": (
        lambda _: (
            "one line (no line break or tab inside the value: a line break usually "
            "means a quote character merged rows, so check load_args.quoting)"
        ),
        _multi_line,
    ),
}
# JSON-schema keywords the API's OpenAPI document states for the checks.
JSON_SCHEMA = {"min": "minimum", "max": "maximum", "max_length": "maxLength"}


@dataclass(frozen=True)
class Check:
    """One check on one column: its name, argument and severity."""

    column: str
    name: str
    severity: str
    argument: Any = field(default=None, compare=False)

    @property
    def expected(self) -> str:
        """What a passing value looks like, in words."""
        return RULES[self.name][0](self.argument)

    def failing(self, values: np.ndarray) -> np.ndarray:
        """Which of ``values`` fail (missing values never do)."""
        return np.asarray(RULES[self.name][1](np.asarray(values), self.argument))

    def json_schema(self) -> dict[str, Any]:
        """The check as JSON-schema keywords, where JSON schema can state it."""
        if self.name in JSON_SCHEMA:
            return {JSON_SCHEMA[self.name]: self.argument}
        if self.name == "allowed":
            return {"examples": [str(value) for value in self.argument]}
        return {}


__all__ = ["JSON_SCHEMA", "RULES", "Check", "missing", "numbers"]
