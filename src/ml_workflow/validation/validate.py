"""Validate a frame against a variant's schema, collecting every violation.

Two entry points:

- ``validate_raw`` checks training data (features and target) and raises one
  ``DataValidationError`` listing *all* error-level violations; warnings are
  logged and returned.
- ``validate_records`` checks prediction records (no target) and splits
  them into valid rows and rejected rows with reasons, so batch scoring and the
  web API reject exactly what training would have rejected.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from typing import Any

import pandas as pd
from pandera.errors import SchemaErrors

from ml_workflow.errors import DataValidationError

from .schema import ColumnSpec, RawSchema, pandera_schema, parse_schema

logger = logging.getLogger(__name__)

EXAMPLES = 3
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


MAX_EXAMPLE_CHARS = 80


def _json_value(value: Any) -> Any:
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


def _pandera_violations(
    frame: pd.DataFrame, columns: tuple[ColumnSpec, ...]
) -> list[Violation]:
    """Run the pandera schema lazily and turn its failure cases into violations."""
    try:
        pandera_schema(columns).validate(frame, lazy=True)
    except SchemaErrors as errors:
        cases = errors.failure_cases
    else:
        return []
    by_name = {spec.name: spec for spec in columns}
    violations: list[Violation] = []
    missing = cases[cases["check"] == "column_in_dataframe"]
    found = list(frame.columns)
    for name in missing["failure_case"]:
        violations.append(
            Violation(
                column=str(name),
                check="present",
                expected=(
                    f"a column named {name!r}; found columns {found}"
                    + _delimiter_hint(found)
                ),
                severity="error",
                failing_rows=0,
                examples=[],
            )
        )
    cases = cases[cases["check"] != "column_in_dataframe"]
    for (column, check), group in cases.groupby(["column", "check"], sort=False):
        spec = by_name[column]
        if check == "not_nullable":
            severity, expected = spec.nullable_severity, "a value (not missing)"
        else:
            found_check = next(c for c in spec.checks if c.name == check)
            severity, expected = found_check.severity, found_check.expected
        rows = group["index"].tolist()
        violations.append(
            Violation(
                column=str(column),
                check=str(check),
                expected=expected,
                severity=severity,
                failing_rows=len(rows),
                examples=[
                    {"row": _json_value(row), "value": _json_value(value)}
                    for row, value in zip(
                        rows[:EXAMPLES],
                        group["failure_case"].tolist()[:EXAMPLES],
                        strict=True,
                    )
                ],
            )
        )
    # errors first, then in the schema's column order (stable within a column)
    position = {spec.name: i for i, spec in enumerate(columns)}
    order = {"error": 0, "warning": 1}
    return sorted(
        violations,
        key=lambda v: (order[v.severity], position.get(v.column or "", -1)),
    )


def _dataset_violations(frame: pd.DataFrame, schema: RawSchema) -> list[Violation]:
    """Checks over the whole dataset: rows enough to split, classes enough to learn."""

    def fail(check: str, expected: str) -> Violation:
        return Violation(None, check, expected, "error", 0, [])

    if frame.empty:
        return [fail("rows", "at least one data row; the file has a header only")]
    target = frame[schema.target]
    present = target.dropna()
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
    if schema.task == "classification":
        # Labels outside `allowed` are reported by that check, not counted as classes.
        valid = present
        for check in schema.column(schema.target).checks:
            valid = valid[check.function(valid).astype(bool).to_numpy()]
        counts = valid.astype(str).str.strip().value_counts()
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


def _result(
    frame: pd.DataFrame, schema: RawSchema, columns: tuple[ColumnSpec, ...]
) -> ValidationResult:
    declared = [spec.name for spec in columns]
    ignored = [str(c) for c in frame.columns if c not in declared]
    violations = _pandera_violations(frame, columns)
    return ValidationResult(
        dataset=schema.dataset,
        rows=len(frame),
        columns=[str(c) for c in frame.columns],
        ignored_columns=ignored,
        violations=violations,
    )


def validate_raw(
    raw: pd.DataFrame, problem: Mapping[str, Any], schema: Mapping[str, Any] | None
) -> ValidationResult:
    """Validate training data; raise one error listing every error-level violation.

    Undeclared columns are ignored and logged; warning-level violations are
    logged and returned in the result.
    """
    parsed = parse_schema(problem, schema)
    result = _result(raw, parsed, parsed.columns)
    if not any(v.check == "present" for v in result.violations):
        result = ValidationResult(
            **{
                **result.__dict__,
                "violations": _dataset_violations(raw, parsed) + result.violations,
            }
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


def validate_records(
    records: pd.DataFrame,
    problem: Mapping[str, Any],
    schema: Mapping[str, Any] | None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split prediction records into (valid rows, rejected rows with reasons).

    Uses the training schema without the target. A row failing an error-level
    check is rejected; a warning-level failure only logs. Categories unseen in
    the schema's ``allowed`` list are a warning here, never a rejection: the
    model's one-hot encoder ignores unknown categories. A missing feature column
    makes every record unusable, so it raises ``DataValidationError``.

    The rejects frame holds the rejected records plus a ``reasons`` column
    (one ``column [check] expected ...`` line per failed check, joined by ``; ``).
    Both frames keep the records' index.
    """
    parsed = parse_schema(problem, schema)
    columns = tuple(
        replace(
            spec,
            checks=tuple(
                replace(check, severity="warning") if check.name == "allowed" else check
                for check in spec.checks
            ),
        )
        for spec in parsed.without_target()
    )
    missing = [spec.name for spec in columns if spec.name not in records.columns]
    if missing:
        raise DataValidationError(
            f"prediction records for variant {variant_of(parsed.dataset)!r} lack the "
            f"feature column(s) {missing}; found columns {list(records.columns)}"
        )
    reasons: list[list[str]] = [[] for _ in range(len(records))]
    for spec in columns:
        values = records[spec.name]
        failing_checks = [
            (check, ~check.function(values).astype(bool)) for check in spec.checks
        ]
        if not spec.nullable:
            failing_checks.append((None, values.isna()))
        for check, failing in failing_checks:
            if not failing.any():
                continue
            severity = spec.nullable_severity if check is None else check.severity
            label = "not_nullable" if check is None else check.name
            expected = "a value (not missing)" if check is None else check.expected
            text = f"column {spec.name!r} [{label}] expected {expected}"
            if severity == "warning":
                examples = values[failing].head(EXAMPLES).tolist()
                logger.warning(
                    "%s in %d record(s), e.g. %s (accepted)",
                    text,
                    int(failing.sum()),
                    examples,
                )
                continue
            for position in failing.to_numpy().nonzero()[0]:
                found = values.iloc[position]
                reasons[position].append(f"{text}, found {found!r}")
    rejected = pd.Series([bool(r) for r in reasons], index=records.index)
    rejects = records[rejected.to_numpy()].copy()
    rejects["reasons"] = ["; ".join(r) for r in reasons if r]
    return records[~rejected.to_numpy()], rejects


__all__ = [
    "ValidationResult",
    "Violation",
    "format_violations",
    "validate_raw",
    "validate_records",
]
