"""The problem definition refuses inconsistent parameters before anything runs."""

from __future__ import annotations

from typing import Any

import pytest

from ml_workflow.core.config import Problem, load_variant
from ml_workflow.errors import ConfigurationError

PROBLEM: dict[str, Any] = {
    "task": "regression",
    "target": "y",
    "features": {"numeric": ["a", "b"], "categorical": ["c"]},
}
CANDIDATES = [{"name": "linear", "estimator": "sklearn.linear_model.LinearRegression"}]


def test_features_by_kind_fills_every_kind() -> None:
    problem = Problem.model_validate(PROBLEM)
    features = problem.features
    assert (features.numeric, features.categorical, features.text) == (
        ("a", "b"),
        ("c",),
        (),
    )
    assert problem.feature_columns == ["a", "b", "c"]
    assert [features.kind_of(c) for c in ("a", "c", "y")] == [
        "numeric",
        "categorical",
        None,
    ]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"task": "clustering"}, "toy.problem.task: Input should be"),
        ({"target": None}, "toy.problem.target: Input should be a valid string"),
        ({"features": {"numeric": ["y"]}}, "'y' is also declared as a feature"),
        (
            {"features": {"numeric": ["a"], "categorical": ["a"]}},
            r"columns \['a'\] are declared more than once",
        ),
        ({"features": {"images": ["a"]}}, "toy.problem.features.images: unknown key"),
        ({"features": {}}, "no feature column is declared"),
        ({"positive_class": "yes"}, "positive_class applies to classification only"),
        (
            {
                "task": "classification",
                "positive_class": "1",
                "target_order": ["1", "2"],
            },
            "target_order applies to regression on ordered labels",
        ),
        ({"target_order": ["low", "low"]}, "at least two distinct labels"),
    ],
)
def test_inconsistent_problems_are_refused(change: dict, message: str) -> None:
    problem = {**PROBLEM, **change}
    with pytest.raises(ConfigurationError, match=message):
        load_variant("toy", {"problem": problem, "candidates": CANDIDATES})


def test_class_labels_are_read_as_text() -> None:
    problem = Problem.model_validate(
        {**PROBLEM, "task": "classification", "positive_class": 1}
    )
    assert problem.positive_class == "1"
