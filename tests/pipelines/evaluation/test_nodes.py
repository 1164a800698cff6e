"""Unit tests for the evaluation nodes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer
from sklearn.svm import LinearSVC

from ml_workflow.errors import ConfigurationError
from ml_workflow.pipelines.evaluation.nodes import (
    diagnose,
    evaluate_model,
    positive_scores,
    predict,
)

THRESHOLDS = {
    "max_train_test_gap": 0.1,
    "min_gain_over_baseline": 0.1,
    "min_train_score": 0.5,
}
REGRESSION = {"task": "regression", "target": "y", "features": {"numeric": ["x"]}}
CLASSIFICATION = {
    "task": "classification",
    "target": "label",
    "positive_class": "yes",
    "features": {"numeric": ["x"]},
}
EVALUATION_R2 = {
    "primary_metric": "r2",
    "baseline_strategy": "mean",
    "diagnosis": THRESHOLDS,
}
EVALUATION_F1 = {
    "primary_metric": "f1",
    "baseline_strategy": "prior",
    "diagnosis": THRESHOLDS,
}
MODEL_PARAMS = {
    "estimator": "sklearn.linear_model.LinearRegression",
    "hyperparameters": {},
}


def _regression_data() -> tuple[pd.DataFrame, pd.DataFrame]:
    train = pd.DataFrame({"x": [0.0, 1.0, 2.0, 3.0], "y": [1.0, 3.0, 5.0, 7.0]})
    test = pd.DataFrame({"x": [4.0, 5.0], "y": [9.0, 12.0]}, index=[10, 11])
    return train, test


def _classification_data() -> tuple[pd.DataFrame, pd.DataFrame]:
    train = pd.DataFrame(
        {
            "x": [0.0, 1.0, 2.0, 8.0, 9.0, 10.0],
            "label": ["no", "no", "no", "yes", "yes", "yes"],
        }
    )
    test = pd.DataFrame(
        {"x": [0.5, 9.5, 6.0], "label": ["no", "yes", "no"]}, index=[7, 8, 9]
    )
    return train, test


def _fit(model, train: pd.DataFrame, target: str):
    return make_pipeline(FunctionTransformer(), model).fit(train[["x"]], train[target])


def test_predict_keeps_index_actual_and_prediction() -> None:
    train, test = _regression_data()
    model = _fit(LinearRegression(), train, "y")
    predictions = predict(model, test, REGRESSION)
    assert predictions.index.tolist() == [10, 11]
    assert predictions["actual"].tolist() == [9.0, 12.0]
    assert predictions["predicted"].tolist() == pytest.approx([9.0, 11.0])
    assert "score" not in predictions


def test_predict_without_target_still_predicts() -> None:
    train, test = _regression_data()
    model = _fit(LinearRegression(), train, "y")
    predictions = predict(model, test.drop(columns="y"), REGRESSION)
    assert list(predictions.columns) == ["predicted"]


def test_positive_scores_use_probability_or_decision_function() -> None:
    train, test = _classification_data()
    probabilistic = _fit(LogisticRegression(), train, "label")
    scores = positive_scores(probabilistic, test[["x"]], "yes")
    assert scores[1] > 0.5 > scores[0]
    margin = _fit(LinearSVC(), train, "label")
    decision = positive_scores(margin, test[["x"]], "yes")
    assert decision[1] > 0 > decision[0]
    flipped = positive_scores(margin, test[["x"]], "no")
    assert np.allclose(flipped, -decision)


@pytest.mark.parametrize(
    ("train", "test", "baseline", "verdict"),
    [
        (0.99, 0.70, 0.0, "overfitting"),
        (0.30, 0.28, 0.25, "underfitting"),  # barely beats the dummy
        (0.45, 0.44, 0.0, "underfitting"),  # cannot fit its own training data
        (0.90, 0.85, 0.0, "good fit"),
    ],
)
def test_diagnosis_from_gap_and_baseline(
    train: float, test: float, baseline: float, verdict: str
) -> None:
    assert diagnose("r2", train, test, baseline, THRESHOLDS)["verdict"] == verdict


def test_diagnosis_handles_lower_is_better_metrics() -> None:
    result = diagnose(
        "rmse",
        1.0,
        5.0,
        6.0,
        {"max_train_test_gap": 1.0, "min_gain_over_baseline": 0.5},
    )
    assert result["train_test_gap"] == pytest.approx(4.0)
    assert result["verdict"] == "overfitting"


def test_evaluate_regression_reports_train_test_baseline_and_diagnosis() -> None:
    train, test = _regression_data()
    model = _fit(LinearRegression(), train, "y")
    predictions = predict(model, test, REGRESSION)
    report = evaluate_model(
        model, train, test, predictions, REGRESSION, MODEL_PARAMS, EVALUATION_R2
    )
    assert set(report["test"]) == {"mse", "rmse", "mae", "r2"}
    assert report["train"]["r2"] == pytest.approx(1.0)
    assert report["test"]["mae"] == pytest.approx(0.5)  # errors 0 and 1
    # the dummy predicts the training mean, 4.0, for every test row
    assert report["baseline"]["mae"] == pytest.approx((5.0 + 8.0) / 2)
    assert report["diagnosis"] in {"overfitting", "underfitting", "good fit"}
    assert report["diagnosis_detail"]["metric"] == "r2"
    assert report["model"]["estimator"] == MODEL_PARAMS["estimator"]
    assert report["rows"] == {"train": 4, "test": 2}


def test_evaluate_classification_scores_the_positive_class() -> None:
    train, test = _classification_data()
    model = _fit(LogisticRegression(), train, "label")
    predictions = predict(model, test, CLASSIFICATION)
    report = evaluate_model(
        model, train, test, predictions, CLASSIFICATION, MODEL_PARAMS, EVALUATION_F1
    )
    assert set(report["test"]) == {
        "accuracy",
        "precision",
        "recall",
        "f1",
        "roc_auc",
        "pr_auc",
    }
    expected_correct = (predictions["predicted"] == predictions["actual"]).mean()
    assert report["test"]["accuracy"] == pytest.approx(expected_correct)
    assert report["baseline"]["f1"] == 0.0  # the prior dummy never predicts "yes"
    matrix = report["confusion_matrix"]
    assert matrix["labels"] == ["no", "yes"]
    assert sum(map(sum, matrix["matrix"])) == len(test)


def test_primary_metric_must_suit_the_task() -> None:
    train, test = _regression_data()
    model = _fit(LinearRegression(), train, "y")
    predictions = predict(model, test, REGRESSION)
    with pytest.raises(ConfigurationError, match="'f1' is not a regression metric"):
        evaluate_model(
            model,
            train,
            test,
            predictions,
            REGRESSION,
            MODEL_PARAMS,
            {**EVALUATION_R2, "primary_metric": "f1"},
        )
