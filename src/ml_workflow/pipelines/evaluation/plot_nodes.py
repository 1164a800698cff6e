"""Nodes that draw the model's evaluation as Plotly figures.

One pipeline definition serves every variant, so each node returns the figure
that answers its question for the variant's task: ``prediction_plot`` is
predicted vs actual (regression) or the confusion matrix (classification);
``error_plot`` is the residuals (regression) or the ROC and precision-recall
curves with the operating threshold (classification).
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go
from sklearn.base import BaseEstimator

from ml_workflow.core.config import Evaluation, Problem
from ml_workflow.core.task import task_for
from ml_workflow.plots import model_agnostic


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


def plot_predictions(test_predictions: pd.DataFrame, problem: Problem) -> go.Figure:
    """Predicted vs actual (regression) or the confusion matrix (classification)."""
    return task_for(problem).prediction_figure(test_predictions)


def plot_errors(
    test_predictions: pd.DataFrame, model: BaseEstimator, problem: Problem
) -> go.Figure:
    """Residuals (regression) or ROC and precision-recall curves with the model's
    threshold marked (classification)."""
    return task_for(problem).error_figure(test_predictions, decision_threshold(model))


def plot_feature_importance(
    importance: dict[str, Any], evaluation: Evaluation
) -> go.Figure:
    """Top features by permutation importance, and informative tokens for text."""
    return model_agnostic.feature_importance_figure(
        importance, top_n=evaluation.permutation_importance.top_n
    )


def plot_learning_curve(curve: dict[str, Any]) -> go.Figure:
    """Training vs cross-validated score by training-set size."""
    return model_agnostic.learning_curve_figure(curve)
