"""Nodes that predict on the test split and score the model against a baseline."""

from __future__ import annotations

from typing import Any

import pandas as pd
from sklearn.base import BaseEstimator

from ml_workflow.core.config import Diagnosis, Evaluation, Problem
from ml_workflow.core.predict import predict
from ml_workflow.core.task import Task, task_for

__all__ = ["diagnose", "evaluate_model", "predict"]


def diagnose(
    task: Task,
    metric: str,
    train: float,
    test: float,
    baseline: float,
    thresholds: Diagnosis,
    chance: float | None = None,
) -> dict[str, Any]:
    """Name the fit from the primary metric on train, test and the dummy baseline.

    overfitting: train beats test by more than ``max_train_test_gap``;
    underfitting: test does not beat the baseline (or the ``chance`` level a
    rule that knows only the base rate reaches, when that is higher) by
    ``min_gain_over_baseline``, or the model scores below ``min_train_score``
    on its own training data; good fit otherwise. Differences are taken so
    that higher is better.
    """
    gap = task.orient(metric, train) - task.orient(metric, test)
    level = task.orient(metric, baseline)
    if chance is not None:
        level = max(level, task.orient(metric, chance))
    gain = task.orient(metric, test) - level
    if gap > thresholds.max_train_test_gap:
        verdict = "overfitting"
    elif gain < thresholds.min_gain_over_baseline or (
        thresholds.min_train_score is not None
        and task.orient(metric, train) < task.orient(metric, thresholds.min_train_score)
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
        "chance_level": chance,
        "train_test_gap": gap,
        "gain_over_baseline": gain,
        "thresholds": thresholds.model_dump(exclude_none=True),
    }


def _scored(task: Task, predictions: pd.DataFrame, actual: Any) -> dict[str, float]:
    return task.metrics(actual, predictions)


def evaluate_model(
    model: BaseEstimator,
    train: pd.DataFrame,
    test: pd.DataFrame,
    test_predictions: pd.DataFrame,
    problem: Problem,
    model_params: dict[str, Any],
    evaluation: Evaluation,
) -> dict[str, Any]:
    """Score the model on train and test, beside a dummy baseline, and diagnose it.

    The baseline is a scikit-learn dummy model fitted on the training target; a
    model that does not clearly beat it has learned nothing useful.
    ``model_params`` describes the model (``estimator``, ``hyperparameters`` and
    any further keys, e.g. the tuned decision threshold); it is reported as is.
    """
    task = task_for(problem)
    target, primary = problem.target, evaluation.primary_metric
    train_metrics = _scored(task, predict(model, train, problem), train[target])
    test_metrics = _scored(task, test_predictions, test_predictions["actual"])
    baseline = task.baseline(evaluation.baseline_strategy).fit(
        train[problem.feature_columns], train[target]
    )
    baseline_metrics = _scored(task, predict(baseline, test, problem), test[target])
    diagnosis = diagnose(
        task,
        primary,
        train_metrics[primary],
        test_metrics[primary],
        baseline_metrics[primary],
        evaluation.diagnosis,
        task.chance_level(primary, test[target]),
    )
    return {
        "task": task.NAME,
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
        **task.evaluation_extras(train[target], test_predictions),
    }
