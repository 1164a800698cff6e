"""Check records to score against the training schema without the target.

``validate_records`` splits them into valid rows and rejected rows with
reasons, so batch scoring and the web API reject exactly what training would
have rejected: the same checks, run by the same engine (``engine.py``).
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from ml_workflow.core.config.problem import Problem
from ml_workflow.core.config.schema import Schema
from ml_workflow.errors import DataValidationError

from .columns import RawSchema, raw_schema
from .engine import Failure, failures
from .validate import EXAMPLES, found_text, json_value, variant_of

logger = logging.getLogger(__name__)

# Categories unseen in `allowed` never reject a record to score: the model's
# one-hot encoder ignores unknown categories.
RECORD_RELAXED = frozenset({"allowed"})


def record_failures(
    records: pd.DataFrame, parsed: RawSchema
) -> tuple[list[list[str]], list[Failure]]:
    """Per record, the reasons it is rejected; and the warning-level failures.

    A missing feature column makes every record unusable: ``DataValidationError``.
    """
    columns = parsed.without_target()
    missing_columns = [
        spec.name for spec in columns if spec.name not in records.columns
    ]
    if missing_columns:
        raise DataValidationError(
            f"prediction records for variant {variant_of(parsed.dataset)!r} lack the "
            f"feature column(s) {missing_columns}; found columns {list(records.columns)}"
        )
    arrays = {spec.name: records[spec.name].to_numpy() for spec in columns}
    reasons: list[list[str]] = [[] for _ in range(len(records))]
    warnings: list[Failure] = []
    for failure in failures(arrays, columns, relax=RECORD_RELAXED):
        if failure.severity == "warning":
            warnings.append(failure)
            continue
        values = arrays[failure.column]
        for position in failure.positions:
            reasons[position].append(
                f"{failure.describe()}, found {found_text(values[position])}"
            )
    return reasons, warnings


def validate_records(
    records: pd.DataFrame, problem: Problem, schema: Schema
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split prediction records into (valid rows, rejected rows with reasons).

    Uses the training schema without the target. A row failing an error-level
    check is rejected; a warning-level failure only logs. Categories unseen in
    the schema's ``allowed`` list are a warning here, never a rejection.

    The rejects frame holds the rejected records plus a ``reasons`` column
    (one ``column [check] expected ...`` line per failed check, joined by ``; ``).
    Both frames keep the records' index.
    """
    reasons, warnings = record_failures(records, raw_schema(problem, schema))
    for failure in warnings:
        values = records[failure.column].to_numpy()[failure.positions[:EXAMPLES]]
        logger.warning(
            "%s in %d record(s), e.g. %s (accepted)",
            failure.describe(),
            len(failure.positions),
            [json_value(value) for value in values],  # long text cut short
        )
    rejected = np.fromiter((bool(r) for r in reasons), dtype=bool, count=len(reasons))
    rejects = records[rejected].copy()
    rejects["reasons"] = ["; ".join(r) for r in reasons if r]
    return records[~rejected], rejects


__all__ = ["RECORD_RELAXED", "record_failures", "validate_records"]
