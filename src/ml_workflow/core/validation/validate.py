"""Validate training data against a variant's schema, collecting every violation.

``validate_raw`` checks raw training data (features and target) and raises
one ``DataValidationError`` listing *all* error-level violations; warnings
are logged and returned. Records to score are checked by ``records.py`` with
the same engine.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import pandas as pd

from ml_workflow.core.config.problem import Problem
from ml_workflow.core.config.schema import Schema
from ml_workflow.errors import DataValidationError

from .checks import missing
from .columns import ColumnSpec, RawSchema, raw_schema
from .engine import Failure, failures

logger = logging.getLogger(__name__)

EXAMPLES = 3
MAX_EXAMPLE_CHARS = 80
_LIKELY_DELIMITERS = {"\t": "tab", ";": "semicolon", "|": "pipe", ",": "comma"}


@dataclass(frozen=True)
class Violation:
    """One failed check: where, what was expected, how many rows, examples."""

    column: str | None
    check: str
    expected: str
    severity: str
    failing_rows: int
    examples: list[dict[str, Any]]  # [{"row": ..., "value": ...}]

    def describe(self) -> str:
        """One readable line, e.g. ``column 'x' [min] expected >= 0: 2 row(s) ...``."""
        where = f"column {self.column!r}" if self.column else "dataset"
        line = (
            f"{self.severity.upper()} {where} [{self.check}] expected {self.expected}"
        )
        if not self.examples:
            return line
        shown = ", ".join(
            f"row {example['row']}: {example['value']!r}" for example in self.examples
        )
        return f"{line}: {self.failing_rows} row(s) fail, e.g. {shown}"


@dataclass(frozen=True)
class ValidationResult:
    """Every violation found in one dataset."""

    dataset: str
    rows: int
    columns: list[str]
    ignored_columns: list[str]
    violations: list[Violation]

    @property
    def errors(self) -> list[Violation]:
        return [v for v in self.violations if v.severity == "error"]

    @property
    def warnings(self) -> list[Violation]:
        return [v for v in self.violations if v.severity == "warning"]

    def report(self) -> dict[str, Any]:
        """A JSON-ready summary for ``08_reporting/<variant>/validation_report.json``."""
        return {
            "dataset": self.dataset,
            "rows": self.rows,
            "columns": self.columns,
            "ignored_columns": self.ignored_columns,
            "errors": [asdict(v) for v in self.errors],
            "warnings": [asdict(v) for v in self.warnings],
        }


def variant_of(dataset: str) -> str:
    """The variant is the namespace of the dataset name (``housing.raw`` -> ``housing``)."""
    return dataset.rpartition(".")[0] or dataset


def format_violations(result: ValidationResult, violations: list[Violation]) -> str:
    """Return the message naming variant, dataset and every violation."""
    header = (
        f"variant {variant_of(result.dataset)!r}, dataset {result.dataset!r} "
        f"({result.rows} rows): {len(result.errors)} error(s), "
        f"{len(result.warnings)} warning(s)"
    )
    lines = [header, *(f"  - {v.describe()}" for v in violations)]
    return "\n".join(lines)


def json_value(value: Any) -> Any:
    """A JSON-ready example value; long text is cut to keep the message readable."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    if hasattr(value, "item"):
        return value.item()
    if isinstance(value, int | float | bool):
        return value
    text = str(value)
    if len(text) > MAX_EXAMPLE_CHARS:
        return f"{text[:MAX_EXAMPLE_CHARS]}... ({len(text)} characters)"
    return text


def found_text(value: Any) -> str:
    """How a rejected record's value is shown: ``-1.0``, not ``np.float64(-1.0)``;
    a long text cut to its start and length, so a 6 MB value is not echoed back
    (in rejects.csv reasons and in the API's 422)."""
    text = repr(value.item() if isinstance(value, np.generic) else value)
    if len(text) > MAX_EXAMPLE_CHARS:
        return f"{text[:MAX_EXAMPLE_CHARS]}... ({len(text)} characters)"
    return text


def _delimiter_hint(found: list[str]) -> str:
    """Say which delimiter a header looks like it uses, if it is not split."""
    for delimiter, name in _LIKELY_DELIMITERS.items():
        if len(found) == 1 and delimiter in str(found[0]):
            return (
                f"; the header was read as ONE column containing {delimiter!r}: the "
                f"file looks {name}-separated, so check load_args.sep (and quoting) "
                "in the catalog entry"
            )
    return ""


def _absent(frame: pd.DataFrame, columns: tuple[ColumnSpec, ...]) -> list[Violation]:
    found = list(map(str, frame.columns))
    return [
        Violation(
            column=spec.name,
            check="present",
            expected=f"a column named {spec.name!r}; found columns {found}"
            + _delimiter_hint(found),
            severity="error",
            failing_rows=0,
            examples=[],
        )
        for spec in columns
        if spec.name not in frame.columns
    ]


def _violation(failure: Failure, frame: pd.DataFrame) -> Violation:
    positions = failure.positions[:EXAMPLES]
    values = frame[failure.column].to_numpy()
    return Violation(
        column=failure.column,
        check=failure.check,
        expected=failure.expected,
        severity=failure.severity,
        failing_rows=len(failure.positions),
        examples=[
            {"row": json_value(frame.index[p]), "value": json_value(values[p])}
            for p in positions
        ],
    )


def _column_violations(
    frame: pd.DataFrame, columns: tuple[ColumnSpec, ...]
) -> list[Violation]:
    arrays = {
        spec.name: frame[spec.name].to_numpy() for spec in columns if spec.name in frame
    }
    violations = [_violation(f, frame) for f in failures(arrays, columns)]
    order = {"error": 0, "warning": 1}
    # errors first, then in the schema's column order (stable within a column)
    return _absent(frame, columns) + sorted(violations, key=lambda v: order[v.severity])


def _dataset_violations(frame: pd.DataFrame, schema: RawSchema) -> list[Violation]:
    """Checks over the whole dataset: rows enough to split, classes enough to learn."""

    def fail(check: str, expected: str) -> Violation:
        return Violation(None, check, expected, "error", 0, [])

    if frame.empty:
        return [fail("rows", "at least one data row; the file has a header only")]
    target = frame[schema.target]
    present = target[~missing(target.to_numpy())]
    if present.empty:
        return [
            fail(
                "target_present",
                f"target {schema.target!r} present in some rows; it is missing in "
                f"all {len(frame)} rows",
            )
        ]
    violations = []
    if len(present) < schema.min_rows:
        violations.append(
            fail(
                "min_rows",
                f"at least {schema.min_rows} rows with a target (schema.min_rows: "
                f"the train/test split and cross-validation need them); found "
                f"{len(present)}",
            )
        )
    if schema.categorical_target:
        # Labels outside `allowed` are reported by that check, not counted as classes.
        valid = np.ones(len(present), dtype=bool)
        for check in schema.column(schema.target).checks:
            valid &= ~check.failing(present.to_numpy())
        counts = present[valid].astype(str).str.strip().value_counts()
        if len(counts) < 2:
            violations.append(
                fail(
                    "classes",
                    f"at least two classes in target {schema.target!r} to classify; "
                    f"found only {counts.index.tolist()}",
                )
            )
        small = counts[counts < schema.min_rows_per_class]
        if len(small):
            violations.append(
                fail(
                    "min_rows_per_class",
                    f"at least {schema.min_rows_per_class} rows per class of target "
                    f"{schema.target!r} (schema.min_rows_per_class: a stratified "
                    f"split and cross-validation need them); found {small.to_dict()}",
                )
            )
    return violations


def dataset_violations(
    raw: pd.DataFrame, problem: Problem, schema: Schema
) -> list[Violation]:
    """The whole-dataset checks of `validate_raw` alone (rows enough to split,
    classes enough to learn), returned, not raised: ``kedro variant create``
    says what a run would refuse in the words the run would use."""
    return _dataset_violations(raw, raw_schema(problem, schema))


def validate_raw(
    raw: pd.DataFrame, problem: Problem, schema: Schema
) -> ValidationResult:
    """Validate training data; raise one error listing every error-level violation.

    Undeclared columns are ignored and logged; warning-level violations are
    logged and returned in the result.
    """
    parsed = raw_schema(problem, schema)
    violations = _column_violations(raw, parsed.columns)
    if not any(v.check == "present" for v in violations):
        violations = _dataset_violations(raw, parsed) + violations
    declared = [spec.name for spec in parsed.columns]
    result = ValidationResult(
        dataset=parsed.dataset,
        rows=len(raw),
        columns=[str(c) for c in raw.columns],
        ignored_columns=[str(c) for c in raw.columns if c not in declared],
        violations=violations,
    )
    if result.ignored_columns:
        logger.warning(
            "%s: ignoring undeclared column(s) %s",
            parsed.dataset,
            result.ignored_columns,
        )
    if result.errors:
        raise DataValidationError(
            "Raw data failed validation for "
            + format_violations(result, result.errors + result.warnings)
        )
    if result.warnings:
        logger.warning(
            "Raw data validation warnings for %s",
            format_violations(result, result.warnings),
        )
    return result


__all__ = [
    "EXAMPLES",
    "ValidationResult",
    "Violation",
    "dataset_violations",
    "format_violations",
    "found_text",
    "json_value",
    "validate_raw",
    "variant_of",
]
