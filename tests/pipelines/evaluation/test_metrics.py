"""The task's metric sets, computed by hand on tiny vectors."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from ml_workflow.core.config import Problem
from ml_workflow.core.task import BinaryClassificationTask, RegressionTask, task_for

REGRESSION = task_for(
    Problem(task="regression", target="y", features={"numeric": ["x"]})
)
SPAM = task_for(
    Problem(
        task="classification",
        target="label",
        positive_class="spam",
        features={"text": ["message"]},
    )
)


def predictions(predicted: list, score: list | None = None) -> pd.DataFrame:
    """The frame ``task.predictions`` returns: the prediction and, for a
    classifier, the positive class's score."""
    columns = {"predicted": predicted}
    if score is not None:
        columns["score"] = score
    return pd.DataFrame(columns)


def test_the_task_follows_the_problem() -> None:
    assert isinstance(REGRESSION, RegressionTask)
    assert isinstance(SPAM, BinaryClassificationTask)


def test_regression_metrics_match_hand_computation() -> None:
    result = REGRESSION.metrics([1.0, 2.0, 3.0, 4.0], predictions([1.0, 2.0, 3.0, 6.0]))
    assert set(result) == set(RegressionTask.METRICS)
    assert result["mse"] == pytest.approx(1.0)  # (0+0+0+4)/4
    assert result["rmse"] == pytest.approx(1.0)
    assert result["mae"] == pytest.approx(0.5)
    assert result["r2"] == pytest.approx(1 - 4 / 5)  # SS_res 4, SS_tot 5


def test_classification_metrics_are_about_the_positive_class() -> None:
    truth = ["spam", "spam", "ham", "ham", "ham"]
    predicted = ["spam", "ham", "spam", "ham", "ham"]
    scores = [0.9, 0.4, 0.6, 0.2, 0.1]
    result = SPAM.metrics(truth, predictions(predicted, scores))
    assert set(result) == set(BinaryClassificationTask.METRICS)
    assert result["accuracy"] == pytest.approx(3 / 5)
    assert result["precision"] == pytest.approx(1 / 2)
    assert result["recall"] == pytest.approx(1 / 2)
    assert result["f1"] == pytest.approx(1 / 2)
    # pairs (spam, ham) ranked correctly: 0.9 beats all three hams, 0.4 beats two of three
    assert result["roc_auc"] == pytest.approx(5 / 6)


def test_constant_predictions_score_zero_precision_without_crashing() -> None:
    result = SPAM.metrics(["spam", "ham"], predictions(["ham", "ham"], [0.1, 0.1]))
    assert result["precision"] == 0.0 and result["f1"] == 0.0
    assert result["roc_auc"] == pytest.approx(0.5)


def test_auc_is_undefined_with_one_class_in_truth() -> None:
    result = SPAM.metrics(["ham", "ham"], predictions(["ham", "ham"], [0.1, 0.2]))
    assert math.isnan(result["roc_auc"])


def test_orient_makes_higher_better() -> None:
    assert REGRESSION.orient("r2", 0.5) == 0.5
    assert REGRESSION.orient("rmse", 2.0) == -2.0
