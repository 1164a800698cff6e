"""A tuned threshold is a threshold on the positive class's score, for every
objective and whichever way the labels sort: the reported threshold, the error
plot's marker, the learning curve's fixed-threshold model and the task's
predictions (one pass of the model) all read it so."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import TunedThresholdClassifierCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer
from sklearn.svm import LinearSVC

from ml_workflow.core.config import Problem
from ml_workflow.core.task import task_for
from ml_workflow.pipelines.evaluation.diagnostics import curve_estimator
from ml_workflow.pipelines.evaluation.plot_nodes import decision_threshold

OBJECTIVES = [
    ("accuracy", None),
    ("f1", None),
    ("precision", None),
    ("precision_at_recall", 0.8),
]


def _problem(positive: str) -> Problem:
    return Problem.model_validate(
        {
            "task": "classification",
            "target": "y",
            "positive_class": positive,
            "features": {"numeric": ["x"]},
        }
    )


def _data(positive: str, negative: str) -> tuple[pd.DataFrame, pd.Series]:
    rng = np.random.default_rng(0)
    x = rng.normal(size=400)
    # positives are the minority, so the best accuracy cut is far from 0.5
    labels = np.where(x + rng.normal(scale=1.0, size=400) > 0.8, positive, negative)
    return pd.DataFrame({"x": x}), pd.Series(labels)


@pytest.mark.parametrize(("objective", "min_recall"), OBJECTIVES)
@pytest.mark.parametrize(
    ("positive", "negative"),
    [("churn", "stay"), ("yes", "no")],  # the positive sorts first, then last
)
@pytest.mark.parametrize("estimator", [LogisticRegression(), LinearSVC()])
def test_the_threshold_applies_to_the_positive_class_score(
    objective: str, min_recall: float | None, positive: str, negative: str, estimator
) -> None:
    features, target = _data(positive, negative)
    task = task_for(_problem(positive))
    model = TunedThresholdClassifierCV(
        estimator, scoring=task.threshold_scorer(objective, min_recall), cv=3
    ).fit(features, target)
    predicted = model.predict(features)
    assert len(set(predicted)) == 2  # noqa: PLR2004 - the cut separates something
    at_threshold = np.where(
        task.positive_scores(model, features) >= decision_threshold(model),
        positive,
        negative,
    )
    np.testing.assert_array_equal(at_threshold, predicted)
    fixed = curve_estimator(model, positive).fit(features, target)
    np.testing.assert_array_equal(fixed.predict(features), predicted)


@pytest.mark.parametrize(("positive", "negative"), [("churn", "stay"), ("yes", "no")])
@pytest.mark.parametrize("estimator", [LogisticRegression(), LinearSVC()])
@pytest.mark.parametrize("tuned", [True, False])
def test_predictions_equal_predict_and_a_tuned_model_runs_once(
    positive: str, negative: str, estimator, tuned: bool
) -> None:
    """Scores and labels of a tuned model come from one pass of its pipeline
    (text is vectorized once); an untuned one still predicts by ``predict``."""
    features, target = _data(positive, negative)
    task = task_for(_problem(positive))
    passes: list[int] = []

    def counted(rows: pd.DataFrame) -> pd.DataFrame:
        passes.append(len(rows))
        return rows

    model = make_pipeline(FunctionTransformer(counted), estimator)
    if tuned:
        model = TunedThresholdClassifierCV(
            model, scoring=task.threshold_scorer("f1", None), cv=3
        )
    model.fit(features, target)
    expected = model.predict(features)
    passes.clear()
    frame = task.predictions(model, features)
    assert passes == [len(features)] * (1 if tuned else 2)
    assert frame["predicted"].tolist() == list(expected)
    assert frame.index.equals(features.index)
    np.testing.assert_array_equal(frame["score"], task.positive_scores(model, features))
