"""Evaluation plot nodes choose the figure from the task and the model's threshold."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import FixedThresholdClassifier
from sklearn.svm import LinearSVC

from ml_workflow.core.config import Evaluation, Problem
from ml_workflow.pipelines.evaluation import plot_nodes

REGRESSION = Problem.model_validate(
    {"task": "regression", "target": "price", "features": {"numeric": ["x"]}}
)
CLASSIFICATION = Problem.model_validate(
    {
        "task": "classification",
        "target": "label",
        "positive_class": "spam",
        "features": {"numeric": ["x"]},
    }
)


@pytest.fixture
def classifier_data() -> tuple[pd.DataFrame, pd.Series]:
    features = pd.DataFrame({"x": [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]})
    return features, pd.Series(["ham", "ham", "ham", "spam", "spam", "spam"])


def test_threshold_is_half_a_probability_or_zero_a_decision_value(
    classifier_data,
) -> None:
    features, labels = classifier_data
    assert (
        plot_nodes.decision_threshold(LogisticRegression().fit(features, labels)) == 0.5
    )
    assert plot_nodes.decision_threshold(LinearSVC().fit(features, labels)) == 0.0


def test_threshold_of_a_thresholded_model_is_its_own(classifier_data) -> None:
    features, labels = classifier_data
    model = FixedThresholdClassifier(LogisticRegression(), threshold=0.3).fit(
        features, labels
    )
    assert plot_nodes.decision_threshold(model) == 0.3


def test_regression_predictions_are_predicted_vs_actual() -> None:
    predictions = pd.DataFrame({"actual": [1.0, 2.0], "predicted": [1.5, 1.5]})
    figure = plot_nodes.plot_predictions(predictions, REGRESSION)
    assert [trace.mode for trace in figure.data] == ["markers", "lines"]
    assert figure.layout.xaxis.title.text == "actual price"


def test_classification_predictions_are_a_confusion_matrix() -> None:
    predictions = pd.DataFrame(
        {"actual": ["spam", "ham", "ham"], "predicted": ["spam", "spam", "ham"]}
    )
    figure = plot_nodes.plot_predictions(predictions, CLASSIFICATION)
    counts = figure.data[0]
    assert counts.type == "heatmap"
    np.testing.assert_array_equal(np.asarray(counts.z), [[1, 1], [0, 1]])


def test_classification_errors_are_roc_and_pr_at_the_model_threshold(
    classifier_data,
) -> None:
    features, labels = classifier_data
    model = FixedThresholdClassifier(LogisticRegression(), threshold=0.3).fit(
        features, labels
    )
    predictions = pd.DataFrame(
        {
            "actual": labels,
            "predicted": model.predict(features),
            "score": model.predict_proba(features)[:, 1],
        }
    )
    figure = plot_nodes.plot_errors(predictions, model, CLASSIFICATION)
    assert "threshold 0.3" in [trace.name for trace in figure.data]
    assert figure.layout.xaxis2.title.text == "recall"


def test_regression_errors_are_residuals() -> None:
    predictions = pd.DataFrame({"actual": [1.0, 2.0], "predicted": [1.5, 1.5]})
    figure = plot_nodes.plot_errors(predictions, None, REGRESSION)
    assert list(figure.data[0].y) == [-0.5, 0.5]
    assert figure.data[-1].type == "histogram"


def test_importance_plot_takes_top_n_from_parameters() -> None:
    importance = {
        "metric": "r2",
        "scored_rows": 10,
        "permutation": [
            {"feature": f"f{i}", "mean": float(i), "std": 0.0} for i in range(5)
        ],
    }
    figure = plot_nodes.plot_feature_importance(
        importance, Evaluation.model_validate({"permutation_importance": {"top_n": 2}})
    )
    assert list(figure.data[0].y) == ["f3", "f4"]
