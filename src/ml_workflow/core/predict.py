"""Predict with a fitted model: evaluation, batch scoring and the web API call these.

The model is the whole scikit-learn Pipeline (raw columns to prediction), so
prediction needs only the typed raw feature columns. Large inputs are
predicted in chunks (`CHUNK_BYTES`), so the memory a prediction takes beyond
its input stays bounded whatever the number of rows.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
from sklearn.base import BaseEstimator
from sklearn.utils import gen_batches

from ml_workflow.core.config import Problem
from ml_workflow.core.task import task_for

CHUNK_BYTES = 8_000_000
"""Input predicted at once, in bytes of the feature frame. A model's
transforms allocate several times what they read: scoring the 4,836 training
e-mails (26 MB of text) in one call took 204 MB beyond them while hashing
their words (measured). Tabular frames of this size hold 100,000 rows of ten
numbers, so they are rarely cut."""


def in_chunks(
    predict_chunk: Callable[[pd.DataFrame], pd.DataFrame], features: pd.DataFrame
) -> pd.DataFrame:
    """``predict_chunk`` applied to row chunks of ``features`` of at most
    about `CHUNK_BYTES` each, concatenated (one call when it is smaller).
    Predictions are row by row, so the result is the same as one call's."""
    if len(features) < 2:  # the API's one record: no size to measure (~0.2 ms)
        return predict_chunk(features)
    size = int(features.memory_usage(deep=True, index=False).sum())
    if size <= CHUNK_BYTES:
        return predict_chunk(features)
    rows = max(1, len(features) * CHUNK_BYTES // size)
    return pd.concat(
        [
            predict_chunk(features.iloc[chunk])
            for chunk in gen_batches(len(features), rows)
        ]
    )


def predict(model: BaseEstimator, data: pd.DataFrame, problem: Problem) -> pd.DataFrame:
    """Predict every row; keep the actual target beside the prediction when known.

    Columns: ``actual`` (if the target is present), ``predicted`` and, for
    classification, ``score`` (the positive class's probability or decision
    value). The index is the raw row number, so each prediction traces back
    to its record.
    """
    task = task_for(problem)
    predictions = in_chunks(
        lambda chunk: task.predictions(model, chunk), data[problem.feature_columns]
    )
    if problem.target in data.columns:
        predictions.insert(0, "actual", data[problem.target])
    return predictions


def predict_records(
    model: BaseEstimator, features: pd.DataFrame, problem: Problem
) -> pd.DataFrame:
    """Predict each record to score: ``predicted`` and the task's extra columns
    (classification: ``score`` and ``probability_<class>`` per class).

    An empty frame (every record rejected) gives an empty result with the same
    columns.
    """
    task = task_for(problem)
    if features.empty:
        return pd.DataFrame(
            columns=task.empty_record_predictions(model), index=features.index
        )
    return in_chunks(
        lambda chunk: task.record_predictions(model, chunk),
        features[problem.feature_columns],
    )


__all__ = ["CHUNK_BYTES", "in_chunks", "predict", "predict_records"]
