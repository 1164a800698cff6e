"""Nodes that turn raw data into clean data with the declared columns and types.

Pure functions: the catalog loads the raw frame and saves what they return.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from ml_workflow.errors import ConfigurationError, DataValidationError
from ml_workflow.problem import features_by_kind, target_of, task_of
from ml_workflow.validation import validate_raw

logger = logging.getLogger(__name__)

_EXAMPLES = 5


def validate_raw_data(
    raw: pd.DataFrame, problem: Mapping[str, Any], schema: Mapping[str, Any] | None
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Check the raw data against ``params:<variant>.schema`` before anything else.

    Collects every violation (pandera, lazy) and raises one ``DataValidationError``
    naming the variant, the dataset and, per violation, the column, the check,
    how many rows fail and example rows/values. Warning-level violations are
    logged and recorded in the report. The raw frame is passed on unchanged so
    that cleaning runs only after validation.
    """
    result = validate_raw(raw, problem, schema)
    return raw, result.report()


def check_declared_columns(raw: pd.DataFrame, problem: Mapping[str, Any]) -> None:
    """Raise if a declared feature or the target is missing from the raw data."""
    declared = [c for cols in features_by_kind(problem).values() for c in cols]
    declared.append(target_of(problem))
    missing = [column for column in declared if column not in raw.columns]
    if missing:
        raise DataValidationError(
            f"raw data lacks the declared column(s) {missing}; expected them from "
            f"the parameters (problem.features, problem.target), found columns "
            f"{list(raw.columns)}"
        )
    if raw.empty:
        raise DataValidationError("raw data has a header but no rows")


def _as_numbers(column: pd.Series, name: str) -> pd.Series:
    """Coerce to float, refusing values that are present but not numbers."""
    if pd.api.types.is_bool_dtype(column):
        return column.astype("float64")
    if pd.api.types.is_numeric_dtype(column):
        values = column.astype("float64")
    else:
        values = pd.to_numeric(column, errors="coerce").astype("float64")
        bad = column.notna() & values.isna()
        if bad.any():
            examples = column[bad].head(_EXAMPLES)
            raise DataValidationError(
                f"column {name!r} is declared numeric but holds {int(bad.sum())} "
                f"value(s) that are not numbers, e.g. {examples.tolist()} at rows "
                f"{examples.index.tolist()}"
            )
    # Infinity is never a measurement: treat it as missing so imputation handles it.
    return values.where(np.isfinite(values))


def _as_strings(column: pd.Series, strip: bool) -> pd.Series:
    """Coerce to strings (object dtype), keeping missing values missing.

    Labels (categories, class names) are stripped of surrounding blanks so that
    ``"spam "`` and ``"spam"`` are one class; free text is kept verbatim.
    """
    as_text = column.astype(object).where(column.notna(), None)
    return as_text.map(
        lambda value: (
            value if value is None else (str(value).strip() if strip else str(value))
        )
    ).astype(object)


def _typed_features(
    raw: pd.DataFrame, by_kind: Mapping[str, list[str]]
) -> pd.DataFrame:
    typed = pd.DataFrame(index=raw.index)
    for column in by_kind["numeric"]:
        typed[column] = _as_numbers(raw[column], column)
    for column in by_kind["categorical"]:
        typed[column] = _as_strings(raw[column], strip=True)
    for column in by_kind["text"]:
        typed[column] = _as_strings(raw[column], strip=False)
    return typed


def coerce_features(records: pd.DataFrame, problem: Mapping[str, Any]) -> pd.DataFrame:
    """Keep only the declared feature columns, each typed as its kind (no target).

    What ``coerce_types`` does to training data, applied to records to score:
    batch scoring and the web API call this very function, so a record is
    prepared exactly as a training row was.
    """
    by_kind = features_by_kind(problem)
    declared = {c for kind in by_kind.values() for c in kind}
    extra = [column for column in records.columns if column not in declared]
    if extra:
        logger.info("Ignoring columns that are not features %s", extra)
    return _typed_features(records, by_kind)


def coerce_types(raw: pd.DataFrame, problem: Mapping[str, Any]) -> pd.DataFrame:
    """Keep only declared columns and give each the type of its declared kind.

    Numeric features (and a regression target) become float; categorical and text
    features (and a classification target) become strings. Undeclared columns are
    dropped with a log line, so an extra column in a new file is not fatal.
    """
    by_kind = features_by_kind(problem)
    target = target_of(problem)
    columns = [c for kind in by_kind.values() for c in kind] + [target]
    extra = [column for column in raw.columns if column not in columns]
    if extra:
        logger.info("Ignoring undeclared raw columns %s", extra)
    typed = _typed_features(raw, by_kind)
    if task_of(problem) == "regression":
        typed[target] = _as_numbers(raw[target], target)
    else:
        typed[target] = _as_strings(raw[target], strip=True)
    return typed


def _check_classes(labels: pd.Series, problem: Mapping[str, Any]) -> None:
    classes = sorted(labels.dropna().unique().tolist())
    if len(classes) < 2:
        raise DataValidationError(
            f"target {target_of(problem)!r} needs at least two classes to classify, "
            f"found {classes}"
        )
    positive = problem.get("positive_class")
    if positive is None:
        raise ConfigurationError(
            f"problem.positive_class must name one of the classes {classes}"
        )
    if str(positive) not in classes:
        raise DataValidationError(
            f"problem.positive_class {positive!r} is not a label of target "
            f"{target_of(problem)!r}; found labels {classes}"
        )


def clean_raw_data(
    raw: pd.DataFrame, problem: Mapping[str, Any], cleaning: Mapping[str, Any]
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Check, type and clean the raw data; report how many rows each rule removed.

    Rules (each switched on in ``params:<variant>.cleaning``): drop rows whose
    target is missing, then drop exact duplicate rows (over the declared columns),
    which would otherwise appear on both sides of the train/test split.
    The index (the raw row number) is kept so every row stays traceable.
    """
    check_declared_columns(raw, problem)
    typed = coerce_types(raw, problem)
    target = target_of(problem)
    removed: dict[str, int] = {}

    if cleaning.get("drop_missing_target", True):
        has_target = typed[target].notna()
        removed["missing_target"] = int((~has_target).sum())
        if removed["missing_target"]:  # filtering copies every row: only if needed
            typed = typed[has_target]
    if typed[target].isna().all():
        raise DataValidationError(f"target {target!r} is missing in every row")

    if cleaning.get("drop_duplicates", True):
        duplicated = typed.duplicated(keep="first")
        removed["duplicates"] = int(duplicated.sum())
        if removed["duplicates"]:
            typed = typed[~duplicated]

    if task_of(problem) == "classification":
        _check_classes(typed[target], problem)

    report = {
        "rows_in": len(raw),
        "rows_out": len(typed),
        "removed": removed,
        "columns": list(typed.columns),
        "ignored_columns": [c for c in raw.columns if c not in typed.columns],
        "missing_values": {c: int(n) for c, n in typed.isna().sum().items() if n},
    }
    return typed, report
