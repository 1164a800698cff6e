"""Scorers and fold splitters for cross-validation, named by parameters.

The primary metric is the one ``evaluation.primary_metric`` names, so the
model is chosen on the same metric it is finally judged on. Classification
scorers are about ``problem.positive_class`` whatever its label.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from sklearn import metrics
from sklearn.model_selection import BaseCrossValidator, KFold, StratifiedKFold

from ml_workflow.errors import ConfigurationError
from ml_workflow.pipelines.evaluation.metrics import (
    CLASSIFICATION_METRICS,
    LOWER_IS_BETTER,
    REGRESSION_METRICS,
)
from ml_workflow.problem import task_of

_REGRESSION = {
    "r2": metrics.r2_score,
    "mse": metrics.mean_squared_error,
    "rmse": metrics.root_mean_squared_error,
    "mae": metrics.mean_absolute_error,
}
_LABEL_METRICS = {
    "precision": metrics.precision_score,
    "recall": metrics.recall_score,
    "f1": metrics.f1_score,
}
_RESPONSE = ("decision_function", "predict_proba")


def roc_auc_of_positive(y_true: Any, y_score: Any, pos_label: Any) -> float:
    """ROC-AUC with ``pos_label`` as the positive class, whatever its sort order."""
    return float(metrics.roc_auc_score(np.asarray(y_true) == pos_label, y_score))


def pr_auc_of_positive(y_true: Any, y_score: Any, pos_label: Any) -> float:
    """Average precision with ``pos_label`` as the positive class."""
    return float(
        metrics.average_precision_score(np.asarray(y_true) == pos_label, y_score)
    )


def precision_at_min_recall(
    y_true: Any, y_pred: Any, pos_label: Any, min_recall: float
) -> float:
    """Precision of the positive class, or 0 when recall is below ``min_recall``.

    As a threshold objective it picks the most precise threshold that still
    finds ``min_recall`` of the positives.
    """
    recall = metrics.recall_score(y_true, y_pred, pos_label=pos_label, zero_division=0)
    if recall < min_recall:
        return 0.0
    return float(
        metrics.precision_score(y_true, y_pred, pos_label=pos_label, zero_division=0)
    )


def metric_scorer(metric: str, problem: Mapping[str, Any]) -> Any:
    """Return a scikit-learn scorer for ``metric`` (higher is always better)."""
    task = task_of(problem)
    known = REGRESSION_METRICS if task == "regression" else CLASSIFICATION_METRICS
    if metric not in known:
        raise ConfigurationError(
            f"evaluation.primary_metric {metric!r} is not a {task} metric; "
            f"expected one of {list(known)}"
        )
    greater = metric not in LOWER_IS_BETTER
    if task == "regression":
        return metrics.make_scorer(_REGRESSION[metric], greater_is_better=greater)
    positive = problem.get("positive_class")
    if metric == "accuracy":
        return metrics.make_scorer(metrics.accuracy_score)
    if metric in _LABEL_METRICS:
        return metrics.make_scorer(
            _LABEL_METRICS[metric], pos_label=positive, zero_division=0
        )
    function = roc_auc_of_positive if metric == "roc_auc" else pr_auc_of_positive
    return metrics.make_scorer(function, response_method=_RESPONSE, pos_label=positive)


def threshold_scorer(threshold: Mapping[str, Any], problem: Mapping[str, Any]) -> Any:
    """Return the scorer a decision threshold is tuned for.

    The threshold applies to the scorer's ``pos_label``, the positive class.
    ``objective``: ``f1``, ``precision``, ``recall``, ``accuracy``, or
    ``precision_at_recall`` with ``min_recall`` (0-1).
    """
    objective = threshold.get("objective", "f1")
    positive = problem.get("positive_class")
    if objective == "precision_at_recall":
        min_recall = threshold.get("min_recall")
        if not isinstance(min_recall, int | float) or not 0 < min_recall <= 1:
            raise ConfigurationError(
                "model_selection.threshold.min_recall must be a number in (0, 1] "
                f"for the objective 'precision_at_recall', found {min_recall!r}"
            )
        return metrics.make_scorer(
            precision_at_min_recall, pos_label=positive, min_recall=float(min_recall)
        )
    if objective in _LABEL_METRICS or objective == "accuracy":
        return metric_scorer(objective, problem)
    raise ConfigurationError(
        "model_selection.threshold.objective must be one of "
        f"{[*_LABEL_METRICS, 'accuracy', 'precision_at_recall']}, found {objective!r}"
    )


def fold_splitter(
    problem: Mapping[str, Any], folds: Any, seed: Any
) -> BaseCrossValidator:
    """Return shuffled K folds, stratified on the target for classification."""
    if not isinstance(folds, int) or isinstance(folds, bool) or folds < 2:
        raise ConfigurationError(
            f"model_selection cv folds must be an integer of at least 2, found {folds!r}"
        )
    if seed is None:
        raise ConfigurationError(
            "model_selection.seed is required: folds and searches must be "
            "reproducible from parameters"
        )
    splitter = StratifiedKFold if task_of(problem) == "classification" else KFold
    return splitter(n_splits=folds, shuffle=True, random_state=seed)
