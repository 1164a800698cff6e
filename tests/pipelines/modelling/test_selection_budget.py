"""The comparison's time budget: candidates after it are listed, skipped, not chosen."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.model_selection import KFold

from ml_workflow.core.config import Candidate, Preprocessing, Problem, Simplicity
from ml_workflow.core.model_builder import candidate_pipeline, feature_transform
from ml_workflow.core.task import task_for
from ml_workflow.pipelines.modelling.selection import (
    choose_candidate,
    cross_validate_candidates,
)

PROBLEM = Problem.model_validate(
    {"task": "regression", "target": "y", "features": {"numeric": ["x"]}}
)
_PRE = Preprocessing()
MEAN = Candidate(name="mean", estimator="sklearn.dummy.DummyRegressor")
LINEAR = Candidate(name="linear", estimator="sklearn.linear_model.LinearRegression")
BROKEN = Candidate(name="broken", estimator="tests.estimators.FailsWithoutMarker")


def _board(candidates: list[Candidate], max_seconds: float | None) -> pd.DataFrame:
    x = np.linspace(0, 1, 30)
    return cross_validate_candidates(
        pd.DataFrame({"x": x}),
        pd.Series(2 * x),
        candidates,
        lambda c: candidate_pipeline(PROBLEM, feature_transform([]), _PRE, c, 0),
        task_for(PROBLEM),
        "r2",
        KFold(3, shuffle=True, random_state=0),
        1,
        None,
        max_seconds,
    ).set_index("candidate")


def test_candidates_after_the_budget_are_skipped_and_not_chosen() -> None:
    board = _board([MEAN, LINEAR], 1e-9)
    assert pd.isna(board.loc["mean", "error"])
    assert "skipped: the selection's time budget" in board.loc["linear", "error"]
    chosen = choose_candidate(board.reset_index(), Simplicity(), task_for(PROBLEM))[1][
        "chosen"
    ]
    assert chosen == "mean"  # the better linear model was never scored


def test_without_a_budget_every_candidate_is_scored() -> None:
    board = _board([MEAN, LINEAR], None)
    assert board["error"].isna().all()


def test_the_budget_waits_for_one_candidate_that_scored() -> None:
    board = _board([BROKEN, MEAN, LINEAR], 1e-9)
    assert board.loc["broken", "error"].startswith("ValueError")
    assert pd.isna(board.loc["mean", "error"])
    assert "skipped" in board.loc["linear", "error"]
