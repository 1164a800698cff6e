"""The count-based threshold metrics give scikit-learn's numbers.

Threshold tuning uses ``ml_workflow.core.task.label_counts`` instead of
``sklearn.metrics`` for speed; each must agree with scikit-learn (with
``zero_division=0``) on every pair of label vectors, including the ones with no
positive, no predicted positive or no row right.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn import metrics
from sklearn.model_selection import StratifiedKFold, TunedThresholdClassifierCV

from ml_workflow.core.config import Problem
from ml_workflow.core.task import label_counts, task_for
from tests.estimators import ShyClassifier

SKLEARN = {
    "precision": metrics.precision_score,
    "recall": metrics.recall_score,
    "f1": metrics.f1_score,
}


def _label_pairs() -> list[tuple[np.ndarray, np.ndarray]]:
    rng = np.random.default_rng(4)
    pairs = [
        (
            rng.choice(["spam", "ham"], size=n, p=[share, 1 - share]),
            rng.choice(["spam", "ham"], size=n, p=[guess, 1 - guess]),
        )
        for n, share, guess in [(40, 0.5, 0.5), (200, 0.05, 0.1), (7, 0.3, 0.9)]
        for _ in range(5)
    ]
    no = np.array(["ham"] * 6)
    some = np.array(["spam", "ham", "ham", "spam", "ham", "ham"])
    # no positive at all, none predicted, all wrong, all right
    pairs += [
        (no, no),
        (no, some),
        (some, no),
        (some, np.where(some == "spam", "ham", "spam")),
        (some, some),
    ]
    return pairs


@pytest.mark.parametrize("name", ["precision", "recall", "f1"])
def test_positive_class_metrics_equal_scikit_learn(name: str) -> None:
    ours = label_counts.POSITIVE_CLASS_METRICS[name]
    for actual, predicted in _label_pairs():
        expected = SKLEARN[name](
            actual, predicted, pos_label="spam", labels=["ham", "spam"], zero_division=0
        )
        assert ours(actual, predicted, pos_label="spam") == pytest.approx(expected)


def test_accuracy_and_precision_at_recall_equal_scikit_learn() -> None:
    for actual, predicted in _label_pairs():
        assert label_counts.accuracy(actual, predicted) == pytest.approx(
            metrics.accuracy_score(actual, predicted)
        )
        recall = metrics.recall_score(
            actual, predicted, pos_label="spam", labels=["ham", "spam"], zero_division=0
        )
        precision = metrics.precision_score(
            actual, predicted, pos_label="spam", labels=["ham", "spam"], zero_division=0
        )
        for floor in (0.0, 0.5, 1.0):
            expected = precision if recall >= floor else 0.0
            assert label_counts.precision_at_min_recall(
                actual, predicted, "spam", floor
            ) == pytest.approx(expected)


def test_a_pandas_series_is_read_by_value_not_by_index() -> None:
    actual = pd.Series(["spam", "ham", "spam"], index=[10, 11, 12])
    predicted = pd.Series(["spam", "spam", "ham"], index=[12, 11, 10])
    assert label_counts.f1(actual, predicted, "spam") == pytest.approx(0.5)


@pytest.mark.parametrize("objective", ["f1", "precision", "recall", "accuracy"])
def test_the_tuned_threshold_is_the_one_scikit_learn_scorers_choose(
    objective: str,
) -> None:
    """The task's threshold scorer picks the threshold scikit-learn's own does."""
    problem = Problem.model_validate(
        {
            "task": "classification",
            "target": "label",
            "positive_class": "yes",
            "features": {"numeric": ["x"]},
        }
    )
    rng = np.random.default_rng(0)
    x = rng.normal(size=120)
    labels = np.where(x + rng.normal(scale=0.8, size=120) > 0.3, "yes", "no")
    features = pd.DataFrame({"x": x})
    reference = (
        metrics.make_scorer(metrics.accuracy_score)
        if objective == "accuracy"
        else metrics.make_scorer(SKLEARN[objective], pos_label="yes", zero_division=0)
    )
    chosen = []
    for scorer in (task_for(problem).threshold_scorer(objective, None), reference):
        tuned = TunedThresholdClassifierCV(
            ShyClassifier(),
            scoring=scorer,
            cv=StratifiedKFold(3, shuffle=True, random_state=0),
        ).fit(features, labels)
        chosen.append((tuned.best_threshold_, tuned.best_score_))
    assert chosen[0] == pytest.approx(chosen[1])
