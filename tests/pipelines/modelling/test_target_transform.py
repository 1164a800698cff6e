"""Regression candidates fitted on a log or power transform of the target
predict, and are scored, on the original scale."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from sklearn.compose import TransformedTargetRegressor
from sklearn.model_selection import KFold

from ml_workflow.core.config import (
    Candidate,
    Compute,
    Evaluation,
    ModelSelection,
    Preprocessing,
    Problem,
    load_variant,
)
from ml_workflow.core.model_builder import candidate_pipeline, feature_transform
from ml_workflow.core.target import LogTarget
from ml_workflow.core.task import task_for
from ml_workflow.errors import ConfigurationError
from ml_workflow.pipelines.modelling.nodes import tune_model
from ml_workflow.pipelines.modelling.selection import cross_validate_candidates

PROBLEM = Problem.model_validate(
    {"task": "regression", "target": "y", "features": {"numeric": ["x"]}}
)
LINEAR = {"name": "linear", "estimator": "sklearn.linear_model.LinearRegression"}
NO_DERIVED = feature_transform([])


def _exponential_frame(rows: int = 90) -> pd.DataFrame:
    # y grows exponentially in x: linear on the log scale, not on the original
    rng = np.random.default_rng(0)
    x = rng.uniform(0.5, 5, rows)
    return pd.DataFrame({"x": x, "y": np.expm1(x + rng.normal(0, 0.05, rows))})


def _pipeline(**changes: Any) -> Any:
    candidate = Candidate.model_validate({**LINEAR, **changes})
    return candidate_pipeline(PROBLEM, NO_DERIVED, Preprocessing(), candidate, 0)


def test_a_log_target_candidate_predicts_on_the_original_scale() -> None:
    frame = _exponential_frame()
    model = _pipeline(target_transform="log").fit(frame[["x"]], frame["y"])
    estimator = model.named_steps["estimator"]
    assert isinstance(estimator, TransformedTargetRegressor)
    assert isinstance(estimator.transformer_, LogTarget)
    # the inner linear model learned log(1 + y) = x; predictions are back on y
    predicted = model.predict(pd.DataFrame({"x": [1.0, 2.0, 4.0]}))
    assert predicted == pytest.approx(np.expm1([1.0, 2.0, 4.0]), rel=0.05)


def test_cross_validation_prefers_the_log_target_on_exponential_data() -> None:
    frame = _exponential_frame()
    plain = Candidate.model_validate(LINEAR)
    logged = Candidate.model_validate(
        {**LINEAR, "name": "log", "target_transform": "log"}
    )
    board = cross_validate_candidates(
        frame[["x"]],
        frame["y"],
        [plain, logged],
        lambda c: candidate_pipeline(PROBLEM, NO_DERIVED, Preprocessing(), c, 0),
        task_for(PROBLEM),
        "r2",
        KFold(3, shuffle=True, random_state=0),
        1,
    ).set_index("candidate")
    # scored on y itself: the log model fits it almost exactly, the plain one not
    assert board.loc["log", "mean"] > 0.99 > board.loc["linear", "mean"]


def test_a_power_target_takes_negative_values() -> None:
    frame = _exponential_frame()
    frame["y"] -= 10.0
    model = _pipeline(target_transform="power").fit(frame[["x"]], frame["y"])
    assert model.predict(frame[["x"]]).min() < 0


def test_a_log_target_refuses_negative_values_by_name() -> None:
    frame = _exponential_frame()
    frame.loc[0, "y"] = -3.0
    with pytest.raises(ValueError, match="target_transform 'log' needs a target >= 0"):
        _pipeline(target_transform="log").fit(frame[["x"]], frame["y"])


def test_the_search_addresses_the_inner_estimator_and_reports_it() -> None:
    frame = _exponential_frame()
    ridge = Candidate.model_validate(
        {
            "name": "ridge",
            "estimator": "sklearn.linear_model.Ridge",
            "target_transform": "log",
            "search_space": {"alpha": [0.001, 1000.0]},
        }
    )
    selection = ModelSelection.model_validate(
        {"seed": 0, "search": {"strategy": "grid", "cv_folds": 3}, "threshold": None}
    )
    model, _, summary = tune_model(
        frame,
        NO_DERIVED,
        {"chosen": "ridge"},
        PROBLEM,
        Preprocessing(),
        [ridge],
        selection,
        Evaluation(primary_metric="r2"),
        Compute(n_jobs=1),
    )
    assert model.named_steps["estimator"].regressor_.alpha == 0.001
    assert summary["hyperparameters"]["alpha"] == 0.001
    assert summary["target_transform"] == "log"


def test_a_target_transform_is_refused_for_classification() -> None:
    variant = {
        "problem": {
            "task": "classification",
            "target": "y",
            "positive_class": "a",
            "features": {"numeric": ["x"]},
        },
        "candidates": [
            {
                "name": "logistic",
                "estimator": "sklearn.linear_model.LogisticRegression",
                "target_transform": "log",
            }
        ],
    }
    with pytest.raises(ConfigurationError, match="target_transform: a target"):
        load_variant("toy", variant)
