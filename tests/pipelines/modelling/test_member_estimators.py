"""Estimators given as hyperparameters: a meta-estimator's members from YAML."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from sklearn.ensemble import RandomForestRegressor, VotingRegressor
from sklearn.linear_model import Ridge

from ml_workflow.core.config import (
    Candidate,
    Compute,
    Evaluation,
    ModelSelection,
    Preprocessing,
    Problem,
    load_variant,
)
from ml_workflow.core.config.estimators import built, is_estimator_spec
from ml_workflow.core.model_builder import (
    candidate_pipeline,
    estimator_arguments,
    feature_transform,
    make_estimator,
)
from ml_workflow.errors import ConfigurationError
from ml_workflow.pipelines.modelling.nodes import tune_model

PROBLEM_SPEC = {"task": "regression", "target": "y", "features": {"numeric": ["x"]}}
FOREST = {
    "estimator": "sklearn.ensemble.RandomForestRegressor",
    "hyperparameters": {"n_estimators": 5},
}
BLEND: dict[str, Any] = {
    "name": "blend",
    "estimator": "sklearn.ensemble.VotingRegressor",
    "hyperparameters": {
        "estimators": [
            ["forest", FOREST],
            ["ridge", {"estimator": "sklearn.linear_model.Ridge"}],
        ]
    },
}


def _frame(rows: int = 40) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    x = rng.uniform(0, 10, rows)
    return pd.DataFrame({"x": x, "y": 2 * x + rng.normal(0, 0.1, rows)})


def _refused(candidate: dict[str, Any]) -> str:
    with pytest.raises(ConfigurationError) as error:
        load_variant("toy", {"problem": PROBLEM_SPEC, "candidates": [candidate]})
    return str(error.value)


def test_named_members_are_built_as_scikit_learn_expects() -> None:
    blend = make_estimator(Candidate.model_validate(BLEND), seed=3)
    assert isinstance(blend, VotingRegressor)
    (forest_name, forest), (ridge_name, ridge) = blend.estimators
    assert (forest_name, ridge_name) == ("forest", "ridge")
    assert isinstance(forest, RandomForestRegressor) and isinstance(ridge, Ridge)
    assert forest.n_estimators == 5
    # every member that takes a seed gets the variant's; the blend takes none
    assert forest.random_state == 3 and ridge.random_state == 3
    assert "random_state" not in blend.get_params(deep=False)


def test_the_summary_keeps_members_as_plain_data_with_their_seeds() -> None:
    arguments = estimator_arguments(Candidate.model_validate(BLEND), seed=3)
    forest = arguments["estimators"][0][1]
    assert forest == {
        "estimator": "sklearn.ensemble.RandomForestRegressor",
        "hyperparameters": {"n_estimators": 5, "random_state": 3},
    }
    assert BLEND["hyperparameters"]["estimators"][0][1] is FOREST  # not changed
    assert "random_state" not in FOREST["hyperparameters"]


def test_a_member_that_sets_its_seed_keeps_it() -> None:
    own = {**FOREST, "hyperparameters": {"n_estimators": 5, "random_state": 11}}
    candidate = Candidate.model_validate(
        {**BLEND, "hyperparameters": {"estimators": [["forest", own]]}}
    )
    assert make_estimator(candidate, seed=3).estimators[0][1].random_state == 11


def test_a_mapping_with_other_keys_is_data_not_an_estimator() -> None:
    assert is_estimator_spec({"estimator": "sklearn.linear_model.Ridge"})
    assert not is_estimator_spec({"estimator": "a", "weight": 2})
    assert not is_estimator_spec({"estimator": 3})
    assert built({"a": [1, {"b": "c"}]}) == {"a": [1, {"b": "c"}]}


def test_a_bad_member_is_refused_when_the_parameters_load() -> None:
    unknown = {
        "estimator": "sklearn.linear_model.Ridge",
        "hyperparameters": {"colour": 1},
    }
    message = _refused({**BLEND, "hyperparameters": {"estimators": [["r", unknown]]}})
    assert "toy.candidates[0] ('blend').hyperparameters" in message
    assert (
        "the member estimator sklearn.linear_model.Ridge does not take the "
        "hyperparameters {'colour': 1}" in message
    )
    missing = {"estimator": "sklearn.linear_model.NoSuchModel"}
    message = _refused({**BLEND, "hyperparameters": {"estimators": [["r", missing]]}})
    assert "'sklearn.linear_model.NoSuchModel' cannot be imported" in message


def test_the_search_reaches_a_members_parameter_by_name() -> None:
    candidate = Candidate.model_validate(
        {**BLEND, "search_space": {"estimator__ridge__alpha": [0.001, 1000.0]}}
    )
    load_variant(  # the key is checked against the model's pipeline
        "toy",
        {"problem": PROBLEM_SPEC, "candidates": [candidate.model_dump()]},
    )
    model, results, summary = tune_model(
        _frame(),
        feature_transform([]),
        {"chosen": "blend"},
        Problem.model_validate(PROBLEM_SPEC),
        Preprocessing(),
        [candidate],
        ModelSelection.model_validate(
            {"cv_folds": 2, "seed": 0, "search": {"strategy": "grid", "cv_folds": 2}}
        ),
        Evaluation(primary_metric="r2"),
        Compute(n_jobs=1),
    )
    assert len(results) == 2
    # little shrinkage fits a straight line best
    assert model.named_steps["estimator"].named_estimators_["ridge"].alpha == 0.001
    assert summary["hyperparameters"]["ridge__alpha"] == 0.001


def test_a_fitted_blend_predicts_between_its_members() -> None:
    train = _frame()
    pipeline = candidate_pipeline(
        Problem.model_validate(PROBLEM_SPEC),
        feature_transform([]),
        Preprocessing(),
        Candidate.model_validate(BLEND),
        seed=0,
    ).fit(train[["x"]], train["y"])
    blend = pipeline.named_steps["estimator"]
    scaled = pipeline[:-1].transform(train[["x"]])
    members = np.column_stack([m.predict(scaled) for m in blend.estimators_])
    assert pipeline.predict(train[["x"]]) == pytest.approx(members.mean(axis=1))
