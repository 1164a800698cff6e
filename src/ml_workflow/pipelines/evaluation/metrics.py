"""Metric sets per task, and which direction of each is better."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from sklearn import metrics

REGRESSION_METRICS = ("mse", "rmse", "mae", "r2")
CLASSIFICATION_METRICS = ("accuracy", "precision", "recall", "f1", "roc_auc", "pr_auc")
LOWER_IS_BETTER = frozenset({"mse", "rmse", "mae"})


def regression_metrics(
    y_true: Sequence[float], y_pred: Sequence[float]
) -> dict[str, float]:
    """Return MSE, RMSE, MAE and R² of predictions against the truth."""
    mse = float(metrics.mean_squared_error(y_true, y_pred))
    return {
        "mse": mse,
        "rmse": math.sqrt(mse),
        "mae": float(metrics.mean_absolute_error(y_true, y_pred)),
        "r2": float(metrics.r2_score(y_true, y_pred)),
    }


def classification_metrics(
    y_true: Sequence[str],
    y_pred: Sequence[str],
    y_score: Sequence[float],
    positive_class: str,
) -> dict[str, float]:
    """Return accuracy, and precision/recall/F1/ROC-AUC/PR-AUC of the positive class.

    ``y_score`` is the model's score for the positive class (a probability or a
    decision value); AUCs are 0.5-like "no skill" values when it is constant.
    """
    y_true = np.asarray(y_true, dtype=object)
    y_pred = np.asarray(y_pred, dtype=object)
    is_positive = y_true == positive_class
    both_classes = 0 < is_positive.sum() < len(is_positive)
    binary = {
        "pos_label": positive_class,
        "average": "binary",
        "zero_division": 0,
    }
    return {
        "accuracy": float(metrics.accuracy_score(y_true, y_pred)),
        "precision": float(metrics.precision_score(y_true, y_pred, **binary)),
        "recall": float(metrics.recall_score(y_true, y_pred, **binary)),
        "f1": float(metrics.f1_score(y_true, y_pred, **binary)),
        "roc_auc": float(metrics.roc_auc_score(is_positive, y_score))
        if both_classes
        else float("nan"),
        "pr_auc": float(metrics.average_precision_score(is_positive, y_score))
        if both_classes
        else float("nan"),
    }


def orient(metric: str, value: float) -> float:
    """Return ``value`` signed so that higher is always better."""
    return -value if metric in LOWER_IS_BETTER else value
