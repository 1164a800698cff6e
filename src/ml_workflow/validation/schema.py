"""Read a variant's ``schema`` parameters and build the pandera schema they describe.

The schema section (``params:<variant>.schema``) declares, per raw column, its
kind, dtype, whether it may be missing and its checks, each with a severity:
``error`` stops the run, ``warning`` logs and continues. See
``docs/data_validation.md`` for every key.

Checks run on the *raw* column (as loaded, before cleaning), so each check
parses what it needs itself: a numeric range check ignores values that are not
numbers, because the ``is_number`` check already reports those.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import pandera.pandas as pa

from ml_workflow.errors import ConfigurationError
from ml_workflow.problem import features_by_kind, target_of, task_of

SEVERITIES = ("error", "warning")
DTYPES = ("float64", "int64", "str")
NUMERIC_CHECKS = ("min", "max", "finite")
LABEL_CHECKS = ("allowed", "not_empty", "max_length")
TEXT_CHECKS = ("not_empty", "max_length", "single_line")
COLUMN_KEYS = ("kind", "dtype", "nullable", "severity", "checks")
SCHEMA_KEYS = (
    "dataset",
    "severity",
    "columns",
    "min_rows",
    "min_rows_per_class",
)


@dataclass(frozen=True)
class CheckSpec:
    """One check on one column: its name, what it expects, its severity."""

    column: str
    name: str
    expected: str
    severity: str
    function: Callable[[pd.Series], pd.Series] = field(compare=False, repr=False)
    argument: Any = field(default=None, compare=False)  # e.g. the bound of ``min``


@dataclass(frozen=True)
class ColumnSpec:
    """A declared raw column and its checks."""

    name: str
    kind: str  # numeric | categorical | text | target
    dtype: str
    nullable: bool
    nullable_severity: str
    severity: str
    checks: tuple[CheckSpec, ...]


@dataclass(frozen=True)
class RawSchema:
    """The parsed schema of a variant's raw data."""

    dataset: str
    target: str
    task: str
    columns: tuple[ColumnSpec, ...]
    min_rows: int
    min_rows_per_class: int

    def column(self, name: str) -> ColumnSpec:
        """Return the spec of column ``name``."""
        return next(spec for spec in self.columns if spec.name == name)

    def without_target(self) -> tuple[ColumnSpec, ...]:
        """Return the feature columns only: what a prediction request carries."""
        return tuple(spec for spec in self.columns if spec.kind != "target")


def _numbers(values: pd.Series) -> pd.Series:
    """Parse to float; anything that is not a number becomes NaN."""
    if pd.api.types.is_bool_dtype(values):
        return values.astype("float64")
    return pd.to_numeric(values, errors="coerce").astype("float64")


def _strings(values: pd.Series) -> pd.Series:
    return (
        values.astype(object)
        .where(values.notna(), None)
        .map(lambda v: v if v is None else str(v))
    )


def _finite_numbers(values: pd.Series) -> pd.Series:
    """Numbers with inf/-inf as NaN: range checks leave infinity to ``finite``."""
    numbers = _numbers(values)
    return numbers.where(~np.isinf(numbers))


def _is_number(values: pd.Series) -> pd.Series:
    return values.isna() | _numbers(values).notna()


def _is_integer(values: pd.Series) -> pd.Series:
    numbers = _numbers(values)
    return numbers.isna() | (numbers == np.floor(numbers))


def _severity(value: Any, where: str) -> str:
    if value not in SEVERITIES:
        raise ConfigurationError(
            f"{where}: severity must be one of {list(SEVERITIES)}, found {value!r}"
        )
    return value


def _value_and_severity(raw: Any, default: str, where: str) -> tuple[Any, str]:
    """Split ``5`` or ``{value: 5, severity: warning}`` into (value, severity)."""
    if isinstance(raw, Mapping):
        if "value" not in raw:
            raise ConfigurationError(
                f"{where}: a check written as a mapping needs a 'value' key, found "
                f"{sorted(raw)}"
            )
        return raw["value"], _severity(raw.get("severity", default), where)
    return raw, default


Rule = tuple[str, Callable[[pd.Series], pd.Series]]  # (expected, passes per row)


def _number_argument(raw: Any, where: str) -> float:
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        raise ConfigurationError(f"{where} must be a number, found {raw!r}")
    return float(raw)


def _min(raw: Any, where: str) -> Rule:
    bound = _number_argument(raw, where)
    return f">= {raw}", lambda s: ~(_finite_numbers(s) < bound)


def _max(raw: Any, where: str) -> Rule:
    bound = _number_argument(raw, where)
    return f"<= {raw}", lambda s: ~(_finite_numbers(s) > bound)


def _finite(raw: Any, where: str) -> Rule:
    return "a finite number (not inf/-inf)", lambda s: ~np.isinf(_numbers(s))


def _allowed(raw: Any, where: str) -> Rule:
    if not isinstance(raw, list | tuple) or not raw:
        raise ConfigurationError(
            f"{where} must be a non-empty list of categories, found {raw!r}"
        )
    allowed = {str(value).strip() for value in raw}
    return (
        f"one of {sorted(allowed)}",
        lambda s: s.isna() | _strings(s).map(lambda v: str(v).strip() in allowed),
    )


def _not_empty(raw: Any, where: str) -> Rule:
    return (
        "non-blank text",
        lambda s: s.isna() | _strings(s).map(lambda v: str(v).strip() != ""),
    )


def _max_length(raw: Any, where: str) -> Rule:
    if isinstance(raw, bool) or not isinstance(raw, int) or raw < 1:
        raise ConfigurationError(f"{where} must be a positive integer, found {raw!r}")
    return (
        f"at most {raw} characters",
        lambda s: s.isna() | _strings(s).map(lambda v: len(str(v)) <= raw),
    )


def _single_line(raw: Any, where: str) -> Rule:
    return (
        "one line (no line break or tab inside the value: a line break usually "
        "means a quote character merged rows, so check load_args.quoting)",
        lambda s: (
            s.isna() | _strings(s).map(lambda v: not any(c in str(v) for c in "\r\n\t"))
        ),
    )


_RULES: dict[str, Callable[[Any, str], Rule]] = {
    "min": _min,
    "max": _max,
    "finite": _finite,
    "allowed": _allowed,
    "not_empty": _not_empty,
    "max_length": _max_length,
    "single_line": _single_line,
}


def _check(column: str, name: str, raw: Any, severity: str) -> CheckSpec:
    """Build the check ``name`` with argument ``raw`` on ``column``."""
    expected, function = _RULES[name](raw, f"schema.columns.{column}.checks.{name}")
    return CheckSpec(column, name, expected, severity, function, raw)


def _column(
    name: str,
    config: Mapping[str, Any],
    kind: str,
    numeric: bool,
    default_severity: str,
) -> ColumnSpec:
    where = f"schema.columns.{name}"
    unknown = sorted(set(config) - set(COLUMN_KEYS))
    if unknown:
        raise ConfigurationError(
            f"{where} has unknown key(s) {unknown}; expected {list(COLUMN_KEYS)}"
        )
    declared_kind = config.get("kind", kind)
    if declared_kind != kind:
        raise ConfigurationError(
            f"{where}.kind is {declared_kind!r} but problem declares the column as "
            f"{kind!r}; the two must agree"
        )
    severity = _severity(config.get("severity", default_severity), where)
    dtype = config.get("dtype", "float64" if numeric else "str")
    if dtype not in DTYPES or (numeric != (dtype != "str")):
        allowed = ["float64", "int64"] if numeric else ["str"]
        raise ConfigurationError(
            f"{where}.dtype must be one of {allowed} for a {kind} column, found {dtype!r}"
        )
    nullable, nullable_severity = _value_and_severity(
        config.get("nullable", True), severity, f"{where}.nullable"
    )
    if not isinstance(nullable, bool):
        raise ConfigurationError(f"{where}.nullable must be true or false")
    allowed_checks = (
        NUMERIC_CHECKS if numeric else TEXT_CHECKS if kind == "text" else LABEL_CHECKS
    )
    checks: list[CheckSpec] = []
    if numeric:
        checks.append(
            CheckSpec(name, "is_number", f"a number ({dtype})", severity, _is_number)
        )
        if dtype == "int64":
            checks.append(
                CheckSpec(name, "is_integer", "a whole number", severity, _is_integer)
            )
    for check_name, raw in (config.get("checks") or {}).items():
        if check_name not in allowed_checks:
            raise ConfigurationError(
                f"{where}.checks.{check_name} does not apply to a {kind} column; "
                f"expected one of {list(allowed_checks)}"
            )
        value, check_severity = _value_and_severity(
            raw, severity, f"{where}.checks.{check_name}"
        )
        if value is False or value is None:
            continue  # a check switched off
        checks.append(_check(name, check_name, value, check_severity))
    return ColumnSpec(
        name=name,
        kind=kind,
        dtype=dtype,
        nullable=nullable,
        nullable_severity=nullable_severity,
        severity=severity,
        checks=tuple(checks),
    )


def parse_schema(
    problem: Mapping[str, Any], schema: Mapping[str, Any] | None
) -> RawSchema:
    """Parse ``params:<variant>.schema`` against the problem's declared columns.

    Every declared feature and the target get a column spec; a column the
    schema does not mention is only required to be present (and, if numeric,
    to hold numbers). Raises ``ConfigurationError`` for anything malformed.
    """
    schema = dict(schema or {})
    unknown = sorted(set(schema) - set(SCHEMA_KEYS))
    if unknown:
        raise ConfigurationError(
            f"schema has unknown key(s) {unknown}; expected {list(SCHEMA_KEYS)}"
        )
    default_severity = _severity(schema.get("severity", "error"), "schema.severity")
    target = target_of(problem)
    task = task_of(problem)
    kinds = {
        column: kind
        for kind, columns in features_by_kind(problem).items()
        for column in columns
    }
    kinds[target] = "target"
    configured = dict(schema.get("columns") or {})
    undeclared = sorted(set(configured) - set(kinds))
    if undeclared:
        raise ConfigurationError(
            f"schema.columns names {undeclared}, which problem does not declare as a "
            f"feature or the target; declared: {sorted(kinds)}"
        )
    columns = tuple(
        _column(
            name,
            dict(configured.get(name) or {}),
            kind,
            kind == "numeric" or (kind == "target" and task == "regression"),
            default_severity,
        )
        for name, kind in kinds.items()
    )
    min_rows = schema.get("min_rows", 2)
    min_rows_per_class = schema.get("min_rows_per_class", 1)
    for key, value in (
        ("min_rows", min_rows),
        ("min_rows_per_class", min_rows_per_class),
    ):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ConfigurationError(
                f"schema.{key} must be a positive integer, found {value!r}"
            )
    return RawSchema(
        dataset=str(schema.get("dataset", "raw")),
        target=target,
        task=task,
        columns=columns,
        min_rows=min_rows,
        min_rows_per_class=min_rows_per_class,
    )


def pandera_schema(columns: tuple[ColumnSpec, ...]) -> pa.DataFrameSchema:
    """Build the pandera schema for ``columns``: presence, missing values, checks.

    No dtype is enforced by pandera itself: raw CSV columns arrive as whatever
    the parser guessed, and the ``is_number`` check reports the rows that are
    not numbers instead of one opaque "wrong dtype" line.
    """
    return pa.DataFrameSchema(
        {
            spec.name: pa.Column(
                nullable=spec.nullable,
                required=True,
                checks=[
                    pa.Check(check.function, name=check.name, ignore_na=False)
                    for check in spec.checks
                ],
            )
            for spec in columns
        },
        strict=False,
        name=None,
    )
