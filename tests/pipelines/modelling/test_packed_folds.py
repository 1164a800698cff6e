"""Every candidate's folds in one pass: the same scores as one cross_validate each."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import get_scorer
from sklearn.model_selection import KFold, cross_validate

from ml_workflow.core.config import Candidate, Preprocessing, Problem
from ml_workflow.core.model_builder import candidate_pipeline, feature_transform
from ml_workflow.pipelines.modelling.folds import (
    Comparison,
    Dropped,
    one_by_one_outcomes,
    packed_outcomes,
)
from ml_workflow.progress import Progress
from tests.estimators import MARKER

PROBLEM = Problem.model_validate(
    {"task": "regression", "target": "y", "features": {"numeric": ["x", "z"]}}
)
R2 = get_scorer("r2")
CANDIDATES = [
    Candidate(name="linear", estimator="sklearn.linear_model.LinearRegression"),
    Candidate(name="broken", estimator="tests.estimators.FailsWithoutMarker"),
    Candidate(
        name="tree",
        estimator="sklearn.tree.DecisionTreeRegressor",
        hyperparameters={"max_depth": 3},
    ),
]


def _predictions(model, features: pd.DataFrame) -> np.ndarray:
    return model.predict(features)


def _pipeline(candidate: Candidate):
    return candidate_pipeline(
        PROBLEM, feature_transform([]), Preprocessing(), candidate, 0
    )


@pytest.fixture(scope="module")
def data() -> tuple[pd.DataFrame, pd.Series]:
    rng = np.random.default_rng(3)
    features = pd.DataFrame({"x": rng.normal(size=40), "z": rng.normal(size=40)})
    features.loc[5, "x"] = MARKER  # the broken candidate fails in the other folds
    target = pd.Series(2 * features["z"] + rng.normal(scale=0.1, size=40))
    return features, target


@pytest.mark.parametrize("n_jobs", [1, 2])
def test_packed_folds_score_as_cross_validate_and_a_failure_stays_its_own(
    data: tuple[pd.DataFrame, pd.Series], n_jobs: int
) -> None:
    features, target = data
    cv = KFold(4, shuffle=True, random_state=0)
    progress = Progress("model selection", len(CANDIDATES) * 4)
    comparison = Comparison(
        features, target, CANDIDATES, _pipeline, R2, cv, n_jobs, _predictions
    )
    linear, broken, tree = packed_outcomes(comparison, progress)
    for outcome, candidate in ((linear, CANDIDATES[0]), (tree, CANDIDATES[2])):
        expected = cross_validate(
            _pipeline(candidate),
            features,
            target,
            scoring=R2,
            cv=cv,
            return_estimator=True,
            return_indices=True,
        )
        np.testing.assert_allclose(outcome["test_score"], expected["test_score"])
        assert len(outcome["fit_time"]) == 4
        assert "estimator" not in outcome  # the fold models stay in the workers
        for got, model, rows, rows_got in zip(
            outcome["validation_scores"],
            expected["estimator"],
            expected["indices"]["test"],
            outcome["indices"]["test"],
            strict=True,
        ):
            np.testing.assert_array_equal(rows_got, rows)
            np.testing.assert_allclose(got, model.predict(features.iloc[rows]))
    with pytest.raises(ValueError, match="no marker row in this fold") as raised:
        cross_validate(
            _pipeline(CANDIDATES[1]),
            features,
            target,
            scoring=R2,
            cv=cv,
            error_score="raise",
        )
    assert broken == Dropped(f"ValueError: {raised.value}")
    assert progress.done == progress.total


def test_a_candidate_whose_pipeline_cannot_be_built_is_dropped_alone(
    data: tuple[pd.DataFrame, pd.Series],
) -> None:
    features, target = data

    def pipeline_of(candidate: Candidate):
        if candidate.name == "linear":
            raise TypeError("cannot build this one")
        return _pipeline(candidate)

    progress = Progress("model selection", len(CANDIDATES) * 3)
    cv = KFold(3, shuffle=True, random_state=0)
    comparison = Comparison(features, target, CANDIDATES, pipeline_of, R2, cv, 1)
    outcomes = list(packed_outcomes(comparison, progress))
    assert outcomes[0] == Dropped("TypeError: cannot build this one")
    assert isinstance(outcomes[2], dict) and len(outcomes[2]["test_score"]) == 3
    assert "validation_scores" not in outcomes[2]  # nothing to tune: not scored
    assert progress.done == progress.total


def test_one_by_one_folds_return_the_same_validation_scores_as_packed_ones(
    data: tuple[pd.DataFrame, pd.Series],
) -> None:
    features, target = data
    cv = KFold(3, shuffle=True, random_state=0)
    candidates = [CANDIDATES[0], CANDIDATES[2]]
    comparison = Comparison(
        features, target, candidates, _pipeline, R2, cv, 1, _predictions
    )
    packed = list(packed_outcomes(comparison, Progress("packed", 6)))
    one_by_one = list(
        one_by_one_outcomes(comparison, Progress("one by one", 6), max_seconds=1e9)
    )
    for left, right in zip(packed, one_by_one, strict=True):
        assert "estimator" not in right  # dropped once its folds are scored
        for got, expected in zip(
            right["validation_scores"], left["validation_scores"], strict=True
        ):
            np.testing.assert_allclose(got, expected)
