"""Nodes that score new records with a trained model.

Batch scoring and the web API share these functions with training: records are
checked by ``ml_workflow.core.validation.validate_records`` (the training schema
without the target), typed by ``ml_workflow.core.coercion.coerce_features`` and
predicted by ``ml_workflow.core.predict.predict_records``. Derived features and
preprocessing live inside the saved model, so nothing else is needed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial
from typing import Any

import pandas as pd
from sklearn.base import BaseEstimator

from ml_workflow.core.coercion import coerce_features
from ml_workflow.core.config import Drift, Problem, Schema
from ml_workflow.core.drift import drift_report, log_drift
from ml_workflow.core.predict import predict_records
from ml_workflow.core.validation import validate_records
from ml_workflow.plots.drift import drift_figure

__all__ = [
    "predict_records",
    "report_drift",
    "score_partitions",
    "score_records",
    "validate_new_records",
]


def validate_new_records(
    new_records: pd.DataFrame, problem: Problem, schema: Schema
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split new records into (valid, rejects); a bad row never stops the batch.

    ``rejects`` has a ``reasons`` column first (what failed, what was expected,
    what was found), then the record's own values; its index is the record's row.
    """
    valid, rejects = validate_records(new_records, problem, schema)
    return valid, rejects[["reasons", *new_records.columns]]


def report_drift(
    features: pd.DataFrame, reference: Mapping[str, Any], drift: Drift
) -> tuple[dict[str, Any], Any]:
    """The drift report of the scored records (JSON) and its figure; a warning
    names each feature that drifted (``ml_workflow.core.drift``)."""
    report = drift_report(features, reference, drift)
    log_drift(report, "batch scoring")
    return report, drift_figure(report)


def score_records(
    new_records: pd.DataFrame, model: BaseEstimator, problem: Problem, schema: Schema
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return (predictions, rejects) for one frame of new records.

    The three nodes of ``<variant>_inference`` in one call: validate, type as
    in training, predict.
    """
    valid, rejects = validate_new_records(new_records, problem, schema)
    return predict_records(model, coerce_features(valid, problem), problem), rejects


# Partition id -> a function returning that partition's frame (Kedro's lazy saving).
LazyPartitions = dict[str, Callable[[], pd.DataFrame]]


def score_partitions(
    partitions: Mapping[str, Callable[[], pd.DataFrame]],
    model: BaseEstimator,
    problem: Problem,
    schema: Schema,
) -> tuple[LazyPartitions, LazyPartitions]:
    """Score every partition of a partitioned dataset on its own, lazily.

    ``partitions`` maps a partition id to a function that loads it (what a
    ``PartitionedDataset`` gives). Returns two dicts with the same ids:
    predictions and rejects, each a function that loads, checks and scores
    that partition only when the output dataset saves it. So one partition is
    in memory at a time, and a partition's result never depends on another
    (each could run on a different worker). Scoring a partition keeps its
    rejects (few rows) until the rejects dataset saves them, so each partition
    is read and validated once when the predictions are saved first, as Kedro
    saves a node's outputs in order; otherwise its rejects are computed again.
    """
    kept_rejects: dict[str, pd.DataFrame] = {}

    def predictions_of(key: str, load: Callable[[], pd.DataFrame]) -> pd.DataFrame:
        predictions, kept_rejects[key] = score_records(load(), model, problem, schema)
        return predictions

    def rejects_of(key: str, load: Callable[[], pd.DataFrame]) -> pd.DataFrame:
        if key in kept_rejects:
            return kept_rejects.pop(key)
        return validate_new_records(load(), problem, schema)[1]

    ordered = sorted(partitions.items())
    predictions = {key: partial(predictions_of, key, load) for key, load in ordered}
    rejects = {key: partial(rejects_of, key, load) for key, load in ordered}
    return predictions, rejects
