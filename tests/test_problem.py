"""The problem definition helpers refuse inconsistent parameters."""

from __future__ import annotations

import pytest

from ml_workflow.errors import ConfigurationError
from ml_workflow.problem import feature_columns, features_by_kind, task_of

PROBLEM = {
    "task": "regression",
    "target": "y",
    "features": {"numeric": ["a", "b"], "categorical": ["c"]},
}


def test_features_by_kind_fills_every_kind() -> None:
    assert features_by_kind(PROBLEM) == {
        "numeric": ["a", "b"],
        "categorical": ["c"],
        "text": [],
    }
    assert feature_columns(PROBLEM) == ["a", "b", "c"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"task": "clustering"}, "problem.task"),
        ({"target": None}, "problem.target"),
        ({"features": {"numeric": ["y"]}}, "also declared as a feature"),
        ({"features": {"numeric": ["a"], "categorical": ["a"]}}, "more than once"),
        ({"features": {"images": ["a"]}}, "unknown kinds"),
        ({"features": {}}, "no feature columns"),
    ],
)
def test_inconsistent_problems_are_refused(change: dict, message: str) -> None:
    problem = {**PROBLEM, **change}
    with pytest.raises(ConfigurationError, match=message):
        task_of(problem)
        feature_columns(problem)
