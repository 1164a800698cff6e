"""Unit tests for the evaluation nodes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer
from sklearn.svm import LinearSVC

from ml_workflow.core.config import Diagnosis, Evaluation, Problem, load_variant
from ml_workflow.core.task import task_for
from ml_workflow.errors import ConfigurationError
from ml_workflow.pipelines.evaluation.nodes import diagnose, evaluate_model, predict

THRESHOLDS = Diagnosis(
    max_train_test_gap=0.1, min_gain_over_baseline=0.1, min_train_score=0.5
)
REGRESSION = Problem.model_validate(
    {"task": "regression", "target": "y", "features": {"numeric": ["x"]}}
)
CLASSIFICATION = Problem.model_validate(
    {
        "task": "classification",
        "target": "label",
        "positive_class": "yes",
        "features": {"numeric": ["x"]},
    }
)
EVALUATION_R2 = Evaluation(
    primary_metric="r2", baseline_strategy="mean", diagnosis=THRESHOLDS
)
EVALUATION_F1 = Evaluation(
    primary_metric="f1", baseline_strategy="prior", diagnosis=THRESHOLDS
)
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
    task = task_for(CLASSIFICATION)
    probabilistic = _fit(LogisticRegression(), train, "label")
    scores = task.positive_scores(probabilistic, test[["x"]])
    assert scores[1] > 0.5 > scores[0]
    margin = _fit(LinearSVC(), train, "label")
    decision = task.positive_scores(margin, test[["x"]])
    assert decision[1] > 0 > decision[0]
    no_is_positive = CLASSIFICATION.model_copy(update={"positive_class": "no"})
    flipped = task_for(no_is_positive).positive_scores(margin, test[["x"]])
    assert np.allclose(flipped, -decision)


def test_classification_predictions_carry_the_positive_score() -> None:
    train, test = _classification_data()
    model = _fit(LogisticRegression(), train, "label")
    predictions = predict(model, test, CLASSIFICATION)
    assert list(predictions.columns) == ["actual", "predicted", "score"]
    assert predictions.index.tolist() == [7, 8, 9]
    np.testing.assert_allclose(
        predictions["score"],
        task_for(CLASSIFICATION).positive_scores(model, test[["x"]]),
    )


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
    task = task_for(REGRESSION)
    assert diagnose(task, "r2", train, test, baseline, THRESHOLDS)["verdict"] == verdict


def test_diagnosis_handles_lower_is_better_metrics() -> None:
    result = diagnose(
        task_for(REGRESSION),
        "rmse",
        1.0,
        5.0,
        6.0,
        Diagnosis(
            max_train_test_gap=1.0, min_gain_over_baseline=0.5, min_train_score=None
        ),
    )
    assert result["train_test_gap"] == pytest.approx(4.0)
    assert result["gain_over_baseline"] == pytest.approx(1.0)
    assert result["verdict"] == "overfitting"
    assert result["thresholds"] == {
        "max_train_test_gap": 1.0,
        "min_gain_over_baseline": 0.5,
    }


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
    """Refused when the parameters are loaded, before any model is fitted."""
    variant = {
        "problem": REGRESSION.model_dump(),
        "candidates": [MODEL_PARAMS | {"name": "linear"}],
        "evaluation": {"primary_metric": "f1"},
    }
    with pytest.raises(
        ConfigurationError,
        match="toy.evaluation.primary_metric: found 'f1', which is not a regression "
        "metric",
    ):
        load_variant("toy", variant)
    with pytest.raises(
        ConfigurationError, match=r"toy.evaluation.baseline_strategy: found 'prior'"
    ):
        load_variant("toy", {**variant, "evaluation": {"baseline_strategy": "prior"}})


@pytest.mark.parametrize(
    ("problem", "estimator", "metric", "baseline"),
    [
        (REGRESSION, "sklearn.dummy.DummyRegressor", "r2", "mean"),
        (CLASSIFICATION, "sklearn.dummy.DummyClassifier", "f1", "prior"),
    ],
)
def test_primary_metric_and_baseline_default_from_the_task(
    problem: Problem, estimator: str, metric: str, baseline: str
) -> None:
    variant = {
        "problem": problem.model_dump(),
        "candidates": [{"name": "dummy", "estimator": estimator}],
    }
    evaluation = load_variant("toy", variant).evaluation
    assert (evaluation.primary_metric, evaluation.baseline_strategy) == (
        metric,
        baseline,
    )


def test_rare_positives_raise_the_bar_to_flagging_every_row() -> None:
    task = task_for(CLASSIFICATION)
    positive = CLASSIFICATION.positive_class
    # 5 positives in 100: flagging every row scores F1 2p/(1+p) = 0.095
    target = pd.Series([positive] * 5 + ["other"] * 95)
    chance = task.chance_level("f1", target)
    assert chance == pytest.approx(2 * 0.05 / 1.05)
    assert task.chance_level("pr_auc", target) == pytest.approx(0.05)
    assert task.chance_level("accuracy", target) is None
    thresholds = Diagnosis(min_train_score=0.1)
    # F1 0.15 beats the prior baseline (0) by 0.15, but flagging everything by 0.055
    beside_prior = diagnose(task, "f1", 0.16, 0.15, 0.0, thresholds)
    beside_chance = diagnose(task, "f1", 0.16, 0.15, 0.0, thresholds, chance)
    assert beside_prior["verdict"] == "good fit"
    assert beside_chance["verdict"] == "underfitting"
    assert beside_chance["gain_over_baseline"] == pytest.approx(0.15 - chance)
    assert beside_chance["chance_level"] == pytest.approx(chance)


def test_regression_has_no_chance_level_beyond_its_baseline() -> None:
    assert task_for(REGRESSION).chance_level("r2", pd.Series([1.0, 2.0])) is None
