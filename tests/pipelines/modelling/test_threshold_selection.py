"""Binary candidates are compared at their own tuned threshold, as the chosen
model will be used."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.dummy import DummyClassifier
from sklearn.model_selection import StratifiedKFold

from ml_workflow.core.config import Candidate, Problem, Simplicity, Threshold
from ml_workflow.core.task import task_for
from ml_workflow.pipelines.modelling.selection import (
    choose_candidate,
    cross_validate_candidates,
)
from ml_workflow.pipelines.modelling.thresholds import tuned_fold_scores
from tests.estimators import ShyClassifier

PROBLEM = Problem.model_validate(
    {
        "task": "classification",
        "target": "label",
        "positive_class": "yes",
        "features": {"numeric": ["x"]},
    }
)
PRIOR = Candidate(name="prior", estimator="sklearn.dummy.DummyClassifier")
SHY = Candidate(name="shy", estimator="tests.estimators.ShyClassifier")


def _frame() -> tuple[pd.DataFrame, pd.Series]:
    # positives have x > 0, negatives x < 0: "shy" ranks them perfectly
    x = np.r_[np.linspace(-3, -0.5, 30), np.linspace(0.5, 3, 30)]
    return pd.DataFrame({"x": x}), pd.Series(["no"] * 30 + ["yes"] * 30)


def _pipeline_of(candidate: Candidate) -> object:
    return ShyClassifier() if candidate.name == "shy" else DummyClassifier()


def _board(threshold: Threshold | None) -> pd.DataFrame:
    features, target = _frame()
    return cross_validate_candidates(
        features,
        target,
        [PRIOR, SHY],
        _pipeline_of,
        task_for(PROBLEM),
        "f1",
        StratifiedKFold(3, shuffle=True, random_state=0),
        1,
        threshold,
    )


def test_a_candidate_is_scored_at_its_tuned_threshold() -> None:
    board = _board(Threshold()).set_index("candidate")
    shy = board.loc["shy"]
    # at 0.5 it finds no positive; at its tuned threshold it separates them
    assert shy["mean_at_default_threshold"] == 0.0
    assert shy["mean"] == pytest.approx(1.0)
    assert 0.0 < shy["threshold"] < 0.4
    chosen = choose_candidate(
        _board(Threshold()), Simplicity(prefer_simpler=True), task_for(PROBLEM)
    )[1]
    assert chosen["chosen"] == "shy"


def test_without_a_threshold_candidates_are_scored_at_their_default_cut() -> None:
    board = _board(None).set_index("candidate")
    assert board.loc["shy", "mean"] == 0.0
    assert "threshold" not in board


def test_a_threshold_free_metric_is_not_retuned() -> None:
    features, target = _frame()
    board = cross_validate_candidates(
        features,
        target,
        [SHY],
        _pipeline_of,
        task_for(PROBLEM),
        "roc_auc",
        StratifiedKFold(3, shuffle=True, random_state=0),
        1,
        Threshold(),
    )
    assert board.loc[0, "mean"] == pytest.approx(1.0)
    assert "threshold" not in board


def test_the_threshold_maximises_the_objective_averaged_over_folds() -> None:
    folds = [
        (np.array(["n", "n", "p", "p"]), np.array([0.1, 0.2, 0.6, 0.9])),
        (np.array(["n", "n", "p", "p"]), np.array([0.1, 0.5, 0.55, 0.8])),
    ]
    task = task_for(PROBLEM)
    threshold, scores = tuned_fold_scores(
        folds, task.label_metric("accuracy"), task.label_metric("accuracy"), "p", "n"
    )
    # accuracy is 1 on fold 1 for any cut in (0.2, 0.6], and on fold 2 in
    # (0.5, 0.55]: only (0.5, 0.55] makes both folds perfect
    assert 0.5 < threshold <= 0.55
    assert scores.tolist() == [1.0, 1.0]


def test_precision_at_recall_objective_keeps_the_recall() -> None:
    folds = [(np.array(["n", "p", "n", "p"]), np.array([0.1, 0.2, 0.7, 0.9]))]
    task = task_for(PROBLEM.model_copy(update={"positive_class": "p"}))
    threshold, scores = tuned_fold_scores(
        folds,
        task.threshold_objective("precision_at_recall", 1.0),
        task.label_metric("recall"),
        "p",
        "n",
    )
    assert threshold <= 0.2
    assert scores.tolist() == [1.0]
