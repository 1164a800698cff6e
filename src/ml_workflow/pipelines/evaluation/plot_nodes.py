"""Nodes that draw the model's evaluation as Plotly figures.

One pipeline definition serves every variant, so each node returns the figure
that answers its question for the variant's task (read from parameters):
``prediction_plot`` is predicted vs actual (regression) or the confusion matrix
(classification); ``error_plot`` is the residuals (regression) or the ROC and
precision-recall curves with the operating threshold (classification).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from sklearn.base import BaseEstimator

from ml_workflow.plots import classification, model_agnostic, regression
from ml_workflow.plots.common import display_rows
from ml_workflow.problem import target_of, task_of


def decision_threshold(model: BaseEstimator) -> float:
    """Return the score threshold at which ``model.predict`` says positive.

    A tuned threshold (``best_threshold_``) or a fixed one (``threshold``) when
    the model carries one; else 0.5 on a probability, 0 on a decision value.
    """
    for attribute in ("best_threshold_", "threshold"):
        value = getattr(model, attribute, None)
        if isinstance(value, int | float):
            return float(value)
    return 0.5 if hasattr(model, "predict_proba") else 0.0


def plot_predictions(
    test_predictions: pd.DataFrame, problem: Mapping[str, Any]
) -> go.Figure:
    """Predicted vs actual (regression) or the confusion matrix (classification)."""
    actual, predicted = test_predictions["actual"], test_predictions["predicted"]
    if task_of(problem) == "regression":
        shown = display_rows(test_predictions)
        return regression.predicted_vs_actual_figure(
            shown["actual"], shown["predicted"], target_of(problem)
        )
    labels = sorted({*map(str, actual.unique()), *map(str, predicted.unique())})
    return classification.confusion_matrix_figure(actual, predicted, labels)


def plot_errors(
    test_predictions: pd.DataFrame, model: BaseEstimator, problem: Mapping[str, Any]
) -> go.Figure:
    """Residuals (regression) or ROC and precision-recall curves with the model's
    threshold marked (classification).
    """
    actual = test_predictions["actual"]
    if task_of(problem) == "regression":
        shown = display_rows(test_predictions)
        return regression.residuals_figure(
            shown["actual"], shown["predicted"], target_of(problem)
        )
    positive = str(problem["positive_class"])
    return classification.roc_pr_figure(
        actual.astype(str) == positive,
        test_predictions["score"],
        threshold=decision_threshold(model),
        positive_class=positive,
    )


def plot_feature_importance(
    importance: Mapping[str, Any], evaluation: Mapping[str, Any]
) -> go.Figure:
    """Top features by permutation importance, and informative tokens for text."""
    top_n = int((evaluation.get("permutation_importance") or {}).get("top_n", 20))
    return model_agnostic.feature_importance_figure(importance, top_n=top_n)


def plot_learning_curve(curve: Mapping[str, Any]) -> go.Figure:
    """Training vs cross-validated score by training-set size."""
    return model_agnostic.learning_curve_figure(curve)
