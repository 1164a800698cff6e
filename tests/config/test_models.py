"""The typed configuration: defaults filled once, every mistake named by its key path."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from ml_workflow.core.config import (
    Compute,
    Serving,
    Split,
    load_setting,
    load_variant,
    resolve_parameters,
)
from ml_workflow.core.config.derived import Distance, Ratio
from ml_workflow.errors import ConfigurationError

REGRESSION: dict[str, Any] = {
    "problem": {
        "task": "regression",
        "target": "price",
        "features": {"numeric": ["size", "lat", "lon"], "categorical": ["city"]},
    },
    "candidates": [
        {"name": "ridge", "estimator": "sklearn.linear_model.Ridge"},
        {
            "name": "forest",
            "estimator": "sklearn.ensemble.RandomForestRegressor",
            "hyperparameters": {"n_estimators": 10},
            "search_space": {"max_depth": [2, 4]},
        },
    ],
}
CLASSIFICATION: dict[str, Any] = {
    "problem": {
        "task": "classification",
        "target": "label",
        "positive_class": "yes",
        "features": {"numeric": ["size"], "text": ["note"]},
    },
    "schema": {"columns": {"label": {"checks": {"allowed": ["yes", "no"]}}}},
    "candidates": [
        {"name": "logistic", "estimator": "sklearn.linear_model.LogisticRegression"}
    ],
}


def variant(base: dict[str, Any], **sections: Any) -> dict[str, Any]:
    raw = copy.deepcopy(base)
    raw.update(copy.deepcopy(sections))
    return raw


def problems_of(raw: dict[str, Any], name: str = "toy") -> list[str]:
    """The message lines of the error ``load_variant`` raises."""
    with pytest.raises(ConfigurationError) as caught:
        load_variant(name, raw)
    message = str(caught.value)
    assert message.startswith(f"Invalid parameters for variant {name!r}")
    return [line.removeprefix("  - ") for line in message.splitlines()[1:]]


# --- defaults live in the models -------------------------------------------


def test_a_minimal_regression_variant_gets_every_default_from_the_models() -> None:
    config = load_variant("toy", REGRESSION)
    assert config.split == Split(test_size=0.2, stratify=False, seed=42)
    assert config.model_selection.seed == 42
    assert config.model_selection.search.cv_folds == config.model_selection.cv_folds
    assert config.model_selection.threshold is None
    assert config.evaluation.primary_metric == "r2"
    assert config.evaluation.baseline_strategy == "mean"
    assert config.evaluation.permutation_importance.seed == 42
    assert config.evaluation.learning_curve.seed == 42
    assert config.data_schema.dataset == "toy.raw"


def test_classification_defaults_stratify_tune_the_threshold_and_use_f1() -> None:
    config = load_variant("toy", CLASSIFICATION)
    assert config.split.stratify is True
    assert config.model_selection.threshold is not None
    assert config.model_selection.threshold.objective == "f1"
    assert config.evaluation.primary_metric == "f1"
    assert config.evaluation.baseline_strategy == "prior"


def test_threshold_null_switches_tuning_off_for_classification() -> None:
    config = load_variant(
        "toy", variant(CLASSIFICATION, model_selection={"threshold": None})
    )
    assert config.model_selection.threshold is None


def test_the_variant_seed_feeds_every_seed_unless_a_section_sets_its_own() -> None:
    config = load_variant("toy", variant(REGRESSION, seed=7, split={"seed": 3}))
    assert config.split.seed == 3
    assert config.model_selection.seed == 7
    assert config.evaluation.learning_curve.seed == 7


def test_sections_are_keyed_as_in_the_parameters_file() -> None:
    sections = load_variant("toy", REGRESSION).sections()
    assert "schema" in sections and "data_schema" not in sections
    assert set(sections) >= {"problem", "split", "candidates", "evaluation"}


def test_models_are_frozen_so_a_node_cannot_change_what_another_reads() -> None:
    config = load_variant("toy", REGRESSION)
    with pytest.raises(ValueError, match="frozen"):
        config.split.test_size = 0.5  # type: ignore[misc]


def test_derived_features_are_typed_by_kind() -> None:
    config = load_variant(
        "toy",
        variant(
            REGRESSION,
            derived_features=[
                {
                    "name": "r",
                    "kind": "ratio",
                    "numerator": "size",
                    "denominator": "lat",
                },
                {
                    "name": "d",
                    "kind": "distance",
                    "latitude": "lat",
                    "longitude": "lon",
                    "to": [1, 2],
                },
            ],
        ),
    )
    ratio, distance = config.derived_features
    assert isinstance(ratio, Ratio) and ratio.input_columns == ["size", "lat"]
    assert isinstance(distance, Distance) and distance.to == (1.0, 2.0)


# --- every class of mistake, with its key path -----------------------------


@pytest.mark.parametrize(
    ("sections", "expected"),
    [
        ({"split": {"test_sise": 0.5}}, "toy.split.test_sise: unknown key"),
        (
            {"evaluation": {"learning_curve": {"cv": "one"}}},
            "toy.evaluation.learning_curve.cv: Input should be a valid integer "
            "(found 'one')",
        ),
        (
            {"model_selection": {"cv_folds": True}},
            "toy.model_selection.cv_folds: Input should be a valid integer "
            "(found True)",
        ),
        (
            {"split": {"test_size": 1.5}},
            "toy.split.test_size: expected a share strictly between 0 and 1",
        ),
        (
            {"model_selection": {"cv_folds": 1}},
            "toy.model_selection.cv_folds: Input should be greater than or equal "
            "to 2 (found 1)",
        ),
        (
            {"split": {"stratify": True}},
            "toy.split.stratify: found true, but stratifying needs classes",
        ),
        (
            {"evaluation": {"primary_metric": "f1"}},
            "toy.evaluation.primary_metric: found 'f1', which is not a regression "
            "metric",
        ),
        (
            {"model_selection": {"threshold": {"objective": "f1"}}},
            "toy.model_selection.threshold: a decision threshold applies to "
            "binary classification (with a positive_class) only",
        ),
    ],
    ids=[
        "unknown key",
        "wrong type",
        "bool is not an integer",
        "out of range",
        "too few folds",
        "stratify a regression",
        "metric of another task",
        "threshold of a regression",
    ],
)
def test_a_mistake_names_the_variant_and_the_key_path(
    sections: dict[str, Any], expected: str
) -> None:
    problems = problems_of(variant(REGRESSION, **sections))
    assert any(problem.startswith(expected) for problem in problems), problems


def test_an_unknown_estimator_import_path_is_refused_with_its_candidate() -> None:
    raw = variant(REGRESSION)
    raw["candidates"][0]["estimator"] = "sklearn.linear_model.Ridg"
    (problem,) = problems_of(raw)
    assert problem.startswith("toy.candidates[0] ('ridge').estimator: ")
    assert "'sklearn.linear_model.Ridg' cannot be imported" in problem


def test_hyperparameters_the_estimator_does_not_take_are_refused() -> None:
    raw = variant(REGRESSION)
    raw["candidates"][0]["hyperparameters"] = {"alfa": 1.0}
    (problem,) = problems_of(raw)
    assert problem.startswith("toy.candidates[0] ('ridge').hyperparameters: ")
    assert "unexpected keyword argument 'alfa'" in problem


@pytest.mark.parametrize(
    ("space", "expected"),
    [
        (
            {"max_dept": [2]},
            "toy.candidates[1] ('forest').search_space.max_dept: not a parameter of "
            "sklearn.ensemble.RandomForestRegressor",
        ),
        (
            {"preprocess__numeric__impute__strat": ["mean"]},
            "toy.candidates[1] ('forest').search_space."
            "preprocess__numeric__impute__strat: not a parameter of the model's "
            "pipeline",
        ),
        (
            {"max_depth": []},
            "toy.candidates[1] ('forest').search_space.max_depth: List should have "
            "at least 1 item",
        ),
        (
            {"max_features": {"distribution": "loguniform", "low": 0, "high": 1}},
            "toy.candidates[1] ('forest').search_space.max_features: loguniform "
            "needs low > 0",
        ),
        (
            {"max_features": {"distribution": "normal", "low": 0, "high": 1}},
            "toy.candidates[1] ('forest').search_space.max_features.distribution: ",
        ),
    ],
    ids=["estimator key", "pipeline key", "empty list", "bad bounds", "unknown"],
)
def test_a_bad_search_space_is_refused_with_its_key(
    space: dict[str, Any], expected: str
) -> None:
    raw = variant(REGRESSION)
    raw["candidates"][1]["search_space"] = space
    problems = problems_of(raw)
    assert any(problem.startswith(expected) for problem in problems), problems


def test_a_grid_search_cannot_enumerate_a_distribution() -> None:
    raw = variant(REGRESSION, model_selection={"search": {"strategy": "grid"}})
    raw["candidates"][0]["search_space"] = {
        "alpha": {"distribution": "loguniform", "low": 0.1, "high": 1}
    }
    (problem,) = problems_of(raw)
    assert problem.startswith("toy.candidates[0] ('ridge').search_space.alpha: ")
    assert "'grid' strategy cannot enumerate" in problem


def test_the_positive_class_must_be_an_allowed_label() -> None:
    raw = variant(CLASSIFICATION)
    raw["problem"]["positive_class"] = "yse"
    (problem,) = problems_of(raw)
    assert problem.startswith("toy.problem.positive_class: found 'yse'")
    assert "['yes', 'no']" in problem


def test_a_derived_feature_may_not_read_the_target_or_an_undeclared_column() -> None:
    raw = variant(
        REGRESSION,
        derived_features=[
            {
                "name": "leak",
                "kind": "ratio",
                "numerator": "price",
                "denominator": "size",
            },
            {
                "name": "lost",
                "kind": "ratio",
                "numerator": "rooms",
                "denominator": "size",
            },
        ],
    )
    problems = problems_of(raw)
    assert any(
        p.startswith("toy.derived_features[0] ('leak'): reads the target")
        for p in problems
    )
    assert any(
        p.startswith("toy.derived_features[1] ('lost'): reads column 'rooms'")
        for p in problems
    )


def test_a_schema_check_must_fit_its_column_kind() -> None:
    raw = variant(
        REGRESSION, schema={"columns": {"size": {"checks": {"allowed": [1, 2]}}}}
    )
    (problem,) = problems_of(raw)
    assert problem.startswith(
        "toy.schema.columns.size.checks.allowed: does not apply to a numeric column"
    )


def test_every_problem_of_a_variant_is_reported_at_once() -> None:
    raw = variant(
        REGRESSION, split={"test_sise": 0.5}, cleaning={"drop_duplicate": True}
    )
    problems = problems_of(raw)
    assert {p.split(":")[0] for p in problems} == {
        "toy.split.test_sise",
        "toy.cleaning.drop_duplicate",
    }


def test_resolve_reports_every_broken_variant_and_setting_together() -> None:
    broken = variant(REGRESSION, split={"test_sise": 0.5})
    parameters = {"a": broken, "b": copy.deepcopy(broken), "compute": {"n_job": 2}}
    with pytest.raises(ConfigurationError) as caught:
        resolve_parameters(parameters)
    message = str(caught.value)
    assert "a.split.test_sise" in message and "b.split.test_sise" in message
    assert "compute.n_job: unknown key" in message


def test_resolve_can_leave_variants_a_run_does_not_touch_unchecked() -> None:
    parameters = {"good": REGRESSION, "broken": variant(REGRESSION, split={"x": 1})}
    resolved = resolve_parameters(parameters, only={"good"})
    assert resolved["good"]["split"].seed == 42
    assert resolved["broken"] == parameters["broken"]
    assert isinstance(resolved["compute"], Compute)
    assert isinstance(resolved["serving"], Serving)


def test_shared_settings_have_defaults_and_refuse_nonsense() -> None:
    assert load_setting("compute", None) == Compute()
    assert load_setting("serving", {"max_batch_records": 10}).max_batch_records == 10
    with pytest.raises(ConfigurationError, match=r"compute\.n_jobs: "):
        load_setting("compute", {"n_jobs": 0})
    with pytest.raises(ConfigurationError, match=r"compute\.cluster\.connect_timeout"):
        load_setting("compute", {"cluster": {"connect_timeout": -1}})
