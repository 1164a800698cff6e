"""Predict with a fitted model: evaluation, batch scoring and the web API call these.

The model is the whole scikit-learn Pipeline (raw columns to prediction), so
prediction needs only the typed raw feature columns.
"""

from __future__ import annotations

import pandas as pd
from sklearn.base import BaseEstimator

from ml_workflow.core.config import Problem
from ml_workflow.core.task import task_for


def predict(model: BaseEstimator, data: pd.DataFrame, problem: Problem) -> pd.DataFrame:
    """Predict every row; keep the actual target beside the prediction when known.

    Columns: ``actual`` (if the target is present), ``predicted`` and, for
    classification, ``score`` (the positive class's probability or decision
    value). The index is the raw row number, so each prediction traces back
    to its record.
    """
    predictions = task_for(problem).predictions(model, data[problem.feature_columns])
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
    return task.record_predictions(model, features[problem.feature_columns])


__all__ = ["predict", "predict_records"]
