"""The checks of each raw column, built from the typed ``problem`` and ``schema``.

Every declared feature and the target get a column spec; a column the schema
does not mention is only required to be present (and, if numeric, to hold
numbers). The configuration models have already refused anything malformed,
so building the specs cannot fail.
"""

from __future__ import annotations

from dataclasses import dataclass

from ml_workflow.core.config.problem import FEATURE_KINDS, Problem
from ml_workflow.core.config.schema import ColumnRules, Schema
from ml_workflow.core.task import task_for

from .checks import Check


@dataclass(frozen=True)
class ColumnSpec:
    """A declared raw column and its checks."""

    name: str
    kind: str  # numeric | categorical | datetime | text | target
    dtype: str
    nullable: bool
    nullable_severity: str
    checks: tuple[Check, ...]
    description: str | None = None  # for people: the forms' labels
    unit: str | None = None

    @property
    def numeric(self) -> bool:
        return self.dtype in ("float64", "int64")

    @property
    def label(self) -> str:
        """The column as a form labels it: its description (or name) and unit."""
        text = self.description or self.name
        return f"{text} ({self.unit})" if self.unit else text


@dataclass(frozen=True)
class RawSchema:
    """The checks of a variant's raw data, column by column and for the whole set."""

    dataset: str
    target: str
    categorical_target: bool
    columns: tuple[ColumnSpec, ...]
    min_rows: int
    min_rows_per_class: int

    def column(self, name: str) -> ColumnSpec:
        """The spec of column ``name``."""
        return next(spec for spec in self.columns if spec.name == name)

    def without_target(self) -> tuple[ColumnSpec, ...]:
        """The feature columns only: what a prediction record carries."""
        return tuple(spec for spec in self.columns if spec.kind != "target")


_DEFAULT_DTYPES = {"numeric": "float64", "datetime": "datetime"}
# Checks whose meaning follows the column's type: `min` of a date is a date.
_DATE_CHECKS = {"min": "min_date", "max": "max_date"}


def _column(
    name: str, kind: str, reads_as: str, rules: ColumnRules, default: str
) -> ColumnSpec:
    severity = rules.severity or default
    dtype = rules.dtype or _DEFAULT_DTYPES.get(reads_as, "str")
    nullable, nullable_severity = rules.nullable_setting
    checks: list[Check] = []
    if reads_as == "numeric":
        checks.append(Check(name, "is_number", severity, dtype))
        if dtype == "int64":
            checks.append(Check(name, "is_integer", severity))
    if reads_as == "datetime":
        checks.append(Check(name, "is_datetime", severity))
    for check, (argument, own_severity) in rules.checks.active().items():
        if reads_as == "datetime":
            check = _DATE_CHECKS.get(check, check)  # noqa: PLW2901
        checks.append(Check(name, check, own_severity or severity, argument))
    return ColumnSpec(
        name=name,
        kind=kind,
        dtype=dtype,
        nullable=nullable,
        nullable_severity=nullable_severity or severity,
        checks=tuple(checks),
        description=rules.description,
        unit=rules.unit,
    )


def raw_schema(problem: Problem, schema: Schema) -> RawSchema:
    """The column specs of the declared features and the target."""
    task = task_for(problem)
    kinds = {
        column: kind
        for kind in FEATURE_KINDS
        for column in getattr(problem.features, kind)
    }
    kinds[problem.target] = "target"
    target_reads_as = "categorical" if task.labelled_target else "numeric"
    columns = tuple(
        _column(
            name,
            kind,
            target_reads_as if kind == "target" else kind,
            schema.columns.get(name) or ColumnRules(),
            schema.severity,
        )
        for name, kind in kinds.items()
    )
    return RawSchema(
        dataset=schema.dataset or "raw",
        target=problem.target,
        categorical_target=task.CATEGORICAL_TARGET,
        columns=columns,
        min_rows=schema.min_rows,
        min_rows_per_class=schema.min_rows_per_class,
    )


__all__ = ["ColumnSpec", "RawSchema", "raw_schema"]
