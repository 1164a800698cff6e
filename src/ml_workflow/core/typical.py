"""The prediction reference: a typical record and a prediction interval.

Fitted on the **training split only** by the modelling pipeline and saved beside
the model (``<variant>.prediction_reference``, versioned with it), so the web
page and the dashboard start their forms from a record that looks like the
data the model learnt from, and a regression's prediction can be read with a
range:

- the **typical record**: per feature, the median of a numeric column (rounded
  for an integer one), the median date of a datetime column, the most frequent
  value of a categorical one and, for text, the training value of median
  length (a real example, not an average of words). A column that is always
  missing gives ``None``.
- the **interval** (regression only): a copy of the fitted model is refitted
  on a seeded 80% of the training split and predicts the other 20%; the
  residual quantiles there give a range that holds about ``INTERVAL_LEVEL`` of
  held-out records (a split-conformal style interval, the same width for
  every record). The test split is never read. Above ``MAX_INTERVAL_ROWS``
  labelled rows a seeded sample of that many is used, so the extra fit stays
  small beside the model's own (a smaller fit errs on the wide side).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, clone
from sklearn.model_selection import train_test_split

from ml_workflow.core.config import Problem, Split
from ml_workflow.core.config.problem import FEATURE_KINDS
from ml_workflow.core.predict import predict
from ml_workflow.core.task import task_for

INTERVAL_LEVEL = 0.9
HELD_OUT = 0.2
MAX_INTERVAL_ROWS = 100_000
_MIN_HELD_OUT = 10  # fewer residuals than this give no useful quantiles


def _median_text(values: pd.Series) -> str:
    lengths = values.astype(str).str.len()
    middle = lengths.sort_values(kind="stable").index[len(lengths) // 2]
    return str(values[middle])


def typical_value(values: pd.Series, kind: str) -> Any:
    """The typical value of one training column of ``kind`` (None if all missing)."""
    present = values.dropna()
    if present.empty:
        return None
    if kind == "numeric":
        median = float(present.median())
        return int(round(median)) if pd.api.types.is_integer_dtype(values) else median
    if kind == "datetime":
        return pd.Timestamp(pd.to_datetime(present).median()).isoformat()
    if kind == "text":
        return _median_text(present)
    return str(present.astype(str).value_counts().index[0])


def typical_record(train: pd.DataFrame, problem: Problem) -> dict[str, Any]:
    """One record of typical feature values, in the problem's feature order."""
    kinds = {
        column: kind
        for kind in FEATURE_KINDS
        for column in getattr(problem.features, kind)
    }
    return {
        column: typical_value(train[column], kinds[column])
        for column in problem.feature_columns
    }


def residual_interval(
    model: BaseEstimator, train: pd.DataFrame, problem: Problem, seed: int | None
) -> dict[str, Any] | None:
    """Residual quantiles of a refitted copy of ``model`` on held-out training
    rows; None for classification or too few rows."""
    if task_for(problem).CATEGORICAL_TARGET:
        return None
    labelled = train.dropna(subset=[problem.target])
    if len(labelled) > MAX_INTERVAL_ROWS:
        labelled = labelled.sample(n=MAX_INTERVAL_ROWS, random_state=seed)
    if int(len(labelled) * HELD_OUT) < _MIN_HELD_OUT:
        return None
    fit_rows, held_out = train_test_split(
        labelled, test_size=HELD_OUT, random_state=seed
    )
    refitted = clone(model).fit(
        fit_rows[problem.feature_columns], fit_rows[problem.target]
    )
    predicted = predict(refitted, held_out, problem)
    residuals = pd.to_numeric(predicted["actual"], errors="coerce") - pd.to_numeric(
        predicted["predicted"], errors="coerce"
    )
    residuals = residuals.to_numpy(dtype=np.float64)
    if not np.isfinite(residuals).all():
        return None
    tail = (1 - INTERVAL_LEVEL) / 2
    low, high = np.quantile(residuals, [tail, 1 - tail])
    return {
        "level": INTERVAL_LEVEL,
        "low": float(low),
        "high": float(high),
        "method": f"residuals of a refit on {1 - HELD_OUT:.0%} of the training "
        f"split, on the other {HELD_OUT:.0%}",
        "rows": len(held_out),
    }


def fit_prediction_reference(
    train: pd.DataFrame, model: BaseEstimator, problem: Problem, split: Split
) -> dict[str, Any]:
    """The typical record and (regression) the interval: one JSON document."""
    return {
        "record": typical_record(train, problem),
        "interval": residual_interval(model, train, problem, split.seed),
    }


__all__ = [
    "INTERVAL_LEVEL",
    "MAX_INTERVAL_ROWS",
    "fit_prediction_reference",
    "residual_interval",
    "typical_record",
    "typical_value",
]
