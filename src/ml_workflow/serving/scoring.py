"""Score validated records with a variant's current model: batch scoring's code.

One call scores the records of every request in a coalesced batch
(``batching.py``): one DataFrame, ``coerce_features`` and ``predict_records``
once, whatever the number of requests. The variant's model is read once, so
every row of the batch comes from the same model version: the ``LoadedModel``
is returned with the rows, so the answer names the version that scored it.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ml_workflow.core.coercion import coerce_features
from ml_workflow.core.predict import predict_records

from .registry import LoadedModel, ServedVariant


class ModelUnavailable(Exception):
    """The variant has no usable model (none loaded yet, or its load failed)."""


def records_frame(variant: ServedVariant, records: list[Any]) -> pd.DataFrame:
    """One frame of validated records, one column per feature (the aliases).

    The record model's fields are ``f0, f1, ...`` in the order of
    ``variant.columns`` (``records.record_model``).
    """
    columns = {
        column: [getattr(record, f"f{i}") for record in records]
        for i, column in enumerate(variant.columns)
    }
    return pd.DataFrame(columns, columns=variant.columns)


def score_records(
    variant: ServedVariant, records: list[Any]
) -> tuple[list[dict[str, Any]], LoadedModel]:
    """(prediction rows, the model that scored them) for validated records."""
    loaded = variant.loaded  # read once: a reload cannot split a batch
    if loaded is None:
        raise ModelUnavailable(variant.error or "no model loaded yet")
    if not records:
        return [], loaded
    features = coerce_features(records_frame(variant, records), variant.problem)
    predictions = predict_records(loaded.model, features, variant.problem)
    return variant.task.prediction_rows(predictions), loaded


__all__ = ["ModelUnavailable", "records_frame", "score_records"]
