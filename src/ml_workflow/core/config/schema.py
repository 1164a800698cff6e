"""The raw data's schema: per column, its type, whether it may be missing and its checks.

A check is written ``name: value`` or ``name: {value: ..., severity: ...}``;
``false`` or ``null`` turns it off. Which checks apply to which kind of column
is checked with the problem, in ``variant.py``. See docs/data_validation.md.
"""

from __future__ import annotations

import datetime
from typing import Annotated, Any, Generic, Literal, TypeVar

from pydantic import Discriminator, Field, Tag, field_validator

from .base import ConfigModel, Number, PositiveInteger, Severity

T = TypeVar("T")

NUMERIC_CHECKS = ("min", "max", "finite")
LABEL_CHECKS = ("allowed", "not_empty", "max_length")
TEXT_CHECKS = ("not_empty", "max_length", "single_line")
DATETIME_CHECKS = ("min", "max")
# Per kind of column: the checks that apply, and the dtypes it may be read as.
CHECKS = {
    "numeric": NUMERIC_CHECKS,
    "categorical": LABEL_CHECKS,
    "text": TEXT_CHECKS,
    "datetime": DATETIME_CHECKS,
}
DTYPES = {
    "numeric": ("float64", "int64"),
    "categorical": ("str",),
    "text": ("str",),
    "datetime": ("datetime",),
}


class Graded(ConfigModel, Generic[T]):
    """A setting with its own severity: ``{value: ..., severity: warning}``."""

    value: T
    severity: Severity | None = None
    """This check's severity; default the column's."""


Label = str | int | float | bool


def _graded_tag(value: Any) -> str:
    return "{}" if isinstance(value, dict | Graded) else "[]"


def graded(kind: Any) -> Any:
    """``kind``, or ``{value: kind, severity: ...}``: one message when wrong."""
    return Annotated[
        Annotated[kind, Tag("[]")] | Annotated[Graded[kind], Tag("{}")],
        Discriminator(_graded_tag),
    ]


class Checks(ConfigModel):
    """The value checks of one column."""

    min: graded(Number | datetime.datetime) | None = None
    """Numeric: value >= min; datetime: no earlier than this date."""
    max: graded(Number | datetime.datetime) | None = None
    """Numeric: value <= max; datetime: no later than this date."""
    finite: graded(bool) | None = None
    """Numeric: no inf/-inf."""
    allowed: graded(tuple[Label, ...]) | None = None
    """Categorical or classification target: the only values allowed."""
    not_empty: graded(bool) | None = None
    """Categorical or text: no blank value."""
    max_length: graded(PositiveInteger) | None = None
    """Categorical or text: at most this many characters."""
    single_line: graded(bool) | None = None
    """Text: no line break or tab (a break usually means broken quoting)."""

    @field_validator("allowed")
    @classmethod
    def _non_empty(cls, value: Any) -> Any:
        values = value.value if isinstance(value, Graded) else value
        if values is not None and not values:
            raise ValueError("allowed must list at least one value")
        return value

    def active(self) -> dict[str, tuple[Any, Severity | None]]:
        """The checks switched on: name -> (value, own severity or None)."""
        found: dict[str, tuple[Any, Severity | None]] = {}
        for name in type(self).model_fields:
            setting = getattr(self, name)
            value, severity = (
                (setting.value, setting.severity)
                if isinstance(setting, Graded)
                else (setting, None)
            )
            if value is not None and value is not False:
                found[name] = (value, severity)
        return found


class ColumnRules(ConfigModel):
    """The rules of one raw column."""

    kind: Literal["numeric", "categorical", "datetime", "text", "target"] | None = None
    """Must agree with the problem; optional."""
    dtype: Literal["float64", "int64", "str", "datetime"] | None = None
    """The type the column is read as; default float64 for numbers, datetime
    for dates, else str."""
    nullable: graded(bool) = True
    """May a value be missing? The imputer fills missing features."""
    severity: Severity | None = None
    """Default severity of this column's checks; default the schema's."""
    checks: Checks = Checks()
    """The value checks."""
    description: str | None = None
    """What the column holds, in words a user reads: the label of its field on
    the web page and the dashboard (default: the column name)."""
    unit: str | None = None
    """The column's unit (``km``, ``USD``, ``years``), shown beside its label."""

    @property
    def nullable_setting(self) -> tuple[bool, Severity | None]:
        """(may be missing, own severity or None)."""
        if isinstance(self.nullable, Graded):
            return self.nullable.value, self.nullable.severity
        return self.nullable, None


class Schema(ConfigModel):
    """What valid raw data looks like."""

    dataset: str | None = None
    """The catalog entry named in messages; default ``<variant>.raw``."""
    severity: Severity = "error"
    """Default severity of every check."""
    min_rows: PositiveInteger = 50
    """Rows with a target needed: enough for a 20% test split and 5-fold CV."""
    min_rows_per_class: PositiveInteger = 10
    """Classification: rows needed per class (stratified split and CV)."""
    columns: dict[str, ColumnRules] = Field(default_factory=dict)
    """Rules per declared feature or target column; a declared column left
    out is still required to exist."""

    @field_validator("columns", mode="before")
    @classmethod
    def _empty_rules(cls, value: Any) -> Any:
        """``column:`` with nothing under it (YAML null) means no extra rules."""
        if isinstance(value, dict):
            return {
                name: {} if rules is None else rules for name, rules in value.items()
            }
        return value


__all__ = [
    "CHECKS",
    "DATETIME_CHECKS",
    "DTYPES",
    "LABEL_CHECKS",
    "NUMERIC_CHECKS",
    "TEXT_CHECKS",
    "Checks",
    "ColumnRules",
    "Graded",
    "Schema",
]
