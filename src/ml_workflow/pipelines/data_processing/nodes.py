"""Nodes that turn raw data into clean data with the declared columns and types.

Pure functions: the catalog loads the raw frame and saves what they return.
"""

from __future__ import annotations

import logging
from typing import Any

import pandas as pd

from ml_workflow.core.coercion import check_declared_columns, typed_features
from ml_workflow.core.config import Cleaning, Problem, Schema
from ml_workflow.core.task import task_for
from ml_workflow.core.validation import validate_raw
from ml_workflow.errors import DataValidationError

logger = logging.getLogger(__name__)


def validate_raw_data(
    raw: pd.DataFrame, problem: Problem, schema: Schema
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Check the raw data against ``params:<variant>.schema`` before anything else.

    Collects every violation and raises one ``DataValidationError`` naming the
    variant, the dataset and, per violation, the column, the check, how many
    rows fail and example rows/values. Warning-level violations are logged and
    recorded in the report. The raw frame is passed on unchanged so that
    cleaning runs only after validation.
    """
    result = validate_raw(raw, problem, schema)
    return raw, result.report()


def coerce_types(raw: pd.DataFrame, problem: Problem) -> pd.DataFrame:
    """Keep only declared columns and give each the type of its declared kind.

    Numeric features become float, categorical and text features strings, the
    target what the task reads (a number, or a label). Undeclared columns are
    dropped with a log line, so an extra column in a new file is not fatal.
    """
    columns = [*problem.feature_columns, problem.target]
    extra = [column for column in raw.columns if column not in columns]
    if extra:
        logger.info("Ignoring undeclared raw columns %s", extra)
    typed = typed_features(raw, problem.features)
    typed[problem.target] = task_for(problem).coerce_target(raw[problem.target])
    return typed


def clean_raw_data(
    raw: pd.DataFrame, problem: Problem, cleaning: Cleaning
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Check, type and clean the raw data; report how many rows each rule removed.

    Rules (each switched on in ``params:<variant>.cleaning``): drop rows whose
    target is missing, then drop exact duplicate rows (over the declared columns),
    which would otherwise appear on both sides of the train/test split.
    The index (the raw row number) is kept so every row stays traceable.
    """
    check_declared_columns(raw, problem)
    typed = coerce_types(raw, problem)
    target = problem.target
    removed: dict[str, int] = {}

    if cleaning.drop_missing_target:
        has_target = typed[target].notna()
        removed["missing_target"] = int((~has_target).sum())
        if removed["missing_target"]:  # filtering copies every row: only if needed
            typed = typed[has_target]
    if typed[target].isna().all():
        raise DataValidationError(f"target {target!r} is missing in every row")

    if cleaning.drop_duplicates:
        duplicated = typed.duplicated(keep="first")
        removed["duplicates"] = int(duplicated.sum())
        if removed["duplicates"]:
            typed = typed[~duplicated]

    task_for(problem).check_target(typed[target])

    report = {
        "rows_in": len(raw),
        "rows_out": len(typed),
        "removed": removed,
        "columns": list(typed.columns),
        "ignored_columns": [c for c in raw.columns if c not in typed.columns],
        "missing_values": {c: int(n) for c, n in typed.isna().sum().items() if n},
    }
    return typed, report
