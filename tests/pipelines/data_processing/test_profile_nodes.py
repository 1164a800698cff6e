"""Data-profile nodes draw what the declared kinds and task call for."""

from __future__ import annotations

import pandas as pd

from ml_workflow.core.config import Problem
from ml_workflow.pipelines.data_processing import profile_nodes

PROBLEM = Problem.model_validate(
    {
        "task": "classification",
        "target": "label",
        "positive_class": "spam",
        "features": {"numeric": ["n"], "text": ["message"]},
    }
)
CLEANED = pd.DataFrame(
    {
        "n": [1.0, None, 3.0],
        "message": ["a", "bbb", "cc"],
        "label": ["ham", "spam", "ham"],
    }
)


def test_column_profile_labels_the_target() -> None:
    figure = profile_nodes.plot_column_profile(CLEANED, PROBLEM)
    kinds = {trace.name: list(trace.y) for trace in figure.data}
    assert kinds == {"numeric": ["n"], "text": ["message"], "target": ["label"]}


def test_feature_distributions_follow_declared_kinds() -> None:
    figure = profile_nodes.plot_feature_distributions(CLEANED, PROBLEM)
    assert [a.text for a in figure.layout.annotations] == [
        "n",
        "message length (characters)",
    ]


def test_correlations_include_text_length_and_positive_class() -> None:
    figure = profile_nodes.plot_correlations(CLEANED, PROBLEM)
    assert list(figure.data[0].x) == ["n", "message length", "label=spam"]


def test_target_plot_is_the_class_balance() -> None:
    figure = profile_nodes.plot_target(CLEANED, PROBLEM)
    assert dict(zip(figure.data[0].x, figure.data[0].y, strict=True)) == {
        "ham": 2,
        "spam": 1,
    }
