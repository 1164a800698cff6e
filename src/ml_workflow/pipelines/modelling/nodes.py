"""Nodes that fit the model on the training split."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
from sklearn.pipeline import Pipeline

from ml_workflow.problem import feature_columns, target_of

from .model_builder import build_model_pipeline


def train_model(
    train: pd.DataFrame,
    problem: Mapping[str, Any],
    derived_features: Sequence[Mapping[str, Any]] | None,
    preprocessing: Mapping[str, Any],
    model: Mapping[str, Any],
) -> Pipeline:
    """Fit the whole Pipeline (preprocessing included) on the training split only.

    The model takes the raw feature columns and computes derived features
    itself, so serving needs nothing but raw records.
    """
    pipeline = build_model_pipeline(problem, derived_features, preprocessing, model)
    return pipeline.fit(train[feature_columns(problem)], train[target_of(problem)])
