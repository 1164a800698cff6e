"""Run a schema's checks over a frame: which rows fail which check.

The one engine behind training validation (every violation, with examples),
batch scoring (a reason per rejected record) and the web API (a problem per
record and field): each asks ``failures`` and presents the answer its way.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import numpy as np

from .checks import missing
from .columns import ColumnSpec

NOT_NULLABLE = "not_nullable"
NOT_NULLABLE_EXPECTED = "a value (not missing)"


@dataclass(frozen=True)
class Failure:
    """One check of one column and the rows (positions) whose values fail it."""

    column: str
    check: str
    expected: str
    severity: str
    positions: np.ndarray

    def describe(self) -> str:
        return f"column {self.column!r} [{self.check}] expected {self.expected}"


def _column_checks(
    spec: ColumnSpec, values: np.ndarray, relax: frozenset[str]
) -> Iterator[Failure]:
    if not spec.nullable:
        absent = missing(values)
        if absent.any():
            yield Failure(
                spec.name,
                NOT_NULLABLE,
                NOT_NULLABLE_EXPECTED,
                spec.nullable_severity,
                absent.nonzero()[0],
            )
    for check in spec.checks:
        failing = check.failing(values)
        if failing.any():
            severity = "warning" if check.name in relax else check.severity
            yield Failure(
                spec.name, check.name, check.expected, severity, failing.nonzero()[0]
            )


def failures(
    columns: Mapping[str, np.ndarray],
    specs: tuple[ColumnSpec, ...],
    relax: frozenset[str] = frozenset(),
) -> list[Failure]:
    """Every failing check, column by column in schema order.

    ``columns`` maps a column name to its values (a frame's column as an
    array, or one field of a batch of records); columns it lacks are not
    checked (presence is the caller's concern). Checks named in ``relax``
    are downgraded to warnings.
    """
    found: list[Failure] = []
    for spec in specs:
        if spec.name in columns:
            found += _column_checks(spec, np.asarray(columns[spec.name]), relax)
    return found


__all__ = ["NOT_NULLABLE", "NOT_NULLABLE_EXPECTED", "Failure", "failures"]
