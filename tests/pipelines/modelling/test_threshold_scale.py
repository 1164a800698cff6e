"""A tuned threshold is a threshold on the positive class's score, for every
objective and whichever way the labels sort: the reported threshold, the error
plot's marker and the learning curve's fixed-threshold model all read it so."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import TunedThresholdClassifierCV
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
    problem = Problem.model_validate(
        {
            "task": "classification",
            "target": "y",
            "positive_class": positive,
            "features": {"numeric": ["x"]},
        }
    )
    task = task_for(problem)
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
