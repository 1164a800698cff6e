"""Nodes that predict on the test split and score the model against a baseline."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator
from sklearn.dummy import DummyClassifier, DummyRegressor
from sklearn.metrics import confusion_matrix

from ml_workflow.errors import ConfigurationError
from ml_workflow.problem import feature_columns, target_of, task_of

from .metrics import (
    CLASSIFICATION_METRICS,
    REGRESSION_METRICS,
    classification_metrics,
    orient,
    regression_metrics,
)


def positive_scores(
    model: BaseEstimator, features: pd.DataFrame, positive_class: str
) -> np.ndarray:
    """Return the model's score for the positive class, one per row.

    The probability where the model gives one, else its decision function.
    """
    classes = list(model.classes_)
    if hasattr(model, "predict_proba"):
        return model.predict_proba(features)[:, classes.index(positive_class)]
    decision = model.decision_function(features)
    return decision if classes.index(positive_class) == 1 else -decision


def predict(
    model: BaseEstimator, data: pd.DataFrame, problem: Mapping[str, Any]
) -> pd.DataFrame:
    """Predict every row; keep the actual target beside the prediction when known.

    Columns: ``actual`` (if the target is present), ``predicted`` and, for
    classification, ``score`` (the positive class's probability or decision value).
    The index is the raw row number, so each prediction traces back to its record.
    """
    features = data[feature_columns(problem)]
    predictions = pd.DataFrame(index=data.index)
    target = target_of(problem)
    if target in data.columns:
        predictions["actual"] = data[target]
    predictions["predicted"] = model.predict(features)
    if task_of(problem) == "classification":
        predictions["score"] = positive_scores(
            model, features, str(problem["positive_class"])
        )
    return predictions


def _score(
    task: str, actual: Any, predicted: Any, score: Any, positive: str | None
) -> dict[str, float]:
    if task == "regression":
        return regression_metrics(actual, predicted)
    return classification_metrics(actual, predicted, score, positive)


def _baseline(task: str, strategy: str) -> BaseEstimator:
    if task == "regression":
        return DummyRegressor(strategy=strategy or "mean")
    return DummyClassifier(strategy=strategy or "prior")


def diagnose(
    metric: str,
    train: float,
    test: float,
    baseline: float,
    thresholds: Mapping[str, float],
) -> dict[str, Any]:
    """Name the fit from the primary metric on train, test and the dummy baseline.

    overfitting: train beats test by more than ``max_train_test_gap``;
    underfitting: test does not beat the baseline by ``min_gain_over_baseline``,
    or the model scores below ``min_train_score`` on its own training data;
    good fit otherwise. Differences are taken so that higher is better.
    """
    gap = orient(metric, train) - orient(metric, test)
    gain = orient(metric, test) - orient(metric, baseline)
    if gap > thresholds["max_train_test_gap"]:
        verdict = "overfitting"
    elif gain < thresholds["min_gain_over_baseline"] or (
        "min_train_score" in thresholds
        and orient(metric, train) < orient(metric, thresholds["min_train_score"])
    ):
        verdict = "underfitting"
    else:
        verdict = "good fit"
    return {
        "verdict": verdict,
        "metric": metric,
        "train": train,
        "test": test,
        "baseline": baseline,
        "train_test_gap": gap,
        "gain_over_baseline": gain,
        "thresholds": dict(thresholds),
    }


def evaluate_model(
    model: BaseEstimator,
    train: pd.DataFrame,
    test: pd.DataFrame,
    test_predictions: pd.DataFrame,
    problem: Mapping[str, Any],
    model_params: Mapping[str, Any],
    evaluation: Mapping[str, Any],
) -> dict[str, Any]:
    """Score the model on train and test, beside a dummy baseline, and diagnose it.

    The baseline is a scikit-learn dummy model fitted on the training target; a
    model that does not clearly beat it has learned nothing useful.
    ``model_params`` describes the model (``estimator``, ``hyperparameters`` and
    any further keys, e.g. the tuned decision threshold); it is reported as is.
    """
    task = task_of(problem)
    target = target_of(problem)
    positive = str(problem["positive_class"]) if task == "classification" else None
    primary = evaluation["primary_metric"]
    known = REGRESSION_METRICS if task == "regression" else CLASSIFICATION_METRICS
    if primary not in known:
        raise ConfigurationError(
            f"evaluation.primary_metric {primary!r} is not a {task} metric; expected one of {list(known)}"
        )

    train_predictions = predict(model, train, problem)
    train_metrics = _score(
        task,
        train[target],
        train_predictions["predicted"],
        train_predictions.get("score"),
        positive,
    )
    test_metrics = _score(
        task,
        test_predictions["actual"],
        test_predictions["predicted"],
        test_predictions.get("score"),
        positive,
    )

    baseline = _baseline(task, evaluation.get("baseline_strategy")).fit(
        train[feature_columns(problem)], train[target]
    )
    baseline_predictions = predict(baseline, test, problem)
    baseline_metrics = _score(
        task,
        baseline_predictions["actual"],
        baseline_predictions["predicted"],
        baseline_predictions.get("score"),
        positive,
    )

    diagnosis = diagnose(
        primary,
        train_metrics[primary],
        test_metrics[primary],
        baseline_metrics[primary],
        evaluation["diagnosis"],
    )
    report: dict[str, Any] = {
        "task": task,
        "primary_metric": primary,
        "model": {
            **model_params,
            "estimator": model_params["estimator"],
            "hyperparameters": dict(model_params.get("hyperparameters") or {}),
        },
        "rows": {"train": len(train), "test": len(test_predictions)},
        "train": train_metrics,
        "test": test_metrics,
        "baseline": baseline_metrics,
        "diagnosis": diagnosis["verdict"],
        "diagnosis_detail": diagnosis,
    }
    if task == "classification":
        labels = sorted(
            {
                *map(str, train[target].unique()),
                *map(str, test_predictions["actual"].unique()),
            }
        )
        report["confusion_matrix"] = {
            "labels": labels,
            "matrix": confusion_matrix(
                test_predictions["actual"], test_predictions["predicted"], labels=labels
            ).tolist(),
        }
    return report
