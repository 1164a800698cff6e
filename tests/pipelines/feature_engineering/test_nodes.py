"""Unit tests for feature_engineering nodes."""

from __future__ import annotations

import pandas as pd
import pytest

from ml_workflow.errors import ConfigurationError, DataValidationError
from ml_workflow.pipelines.feature_engineering.nodes import (
    build_features,
    split_train_test,
)

PROBLEM = {
    "task": "classification",
    "target": "label",
    "positive_class": "yes",
    "features": {"numeric": ["a", "b"]},
}


def _frame(rows: int = 20) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "a": range(rows),
            "b": [2.0] * rows,
            "label": ["yes", "no", "no", "no"] * (rows // 4),
        },
        index=range(100, 100 + rows),
    )


def test_build_features_adds_declared_features_and_keeps_rows() -> None:
    spec = [{"name": "a_per_b", "kind": "ratio", "numerator": "a", "denominator": "b"}]
    features = build_features(_frame(), PROBLEM, spec)
    assert features["a_per_b"].tolist() == [a / 2.0 for a in range(20)]
    assert features.index.equals(_frame().index)


def test_build_features_refuses_target_use() -> None:
    spec = [{"name": "leak", "kind": "text_length", "column": "label"}]
    with pytest.raises(ConfigurationError, match="reads the target"):
        build_features(_frame(), PROBLEM, spec)


def test_split_partitions_rows_reproducibly_and_stratifies() -> None:
    frame = _frame(80)
    split = {"test_size": 0.25, "stratify": True, "seed": 3}
    train, test = split_train_test(frame, PROBLEM, split)
    assert len(test) == 20 and len(train) == 60
    assert set(train.index).isdisjoint(test.index)
    assert set(train.index) | set(test.index) == set(frame.index)
    # stratified: the 25% "yes" share is kept exactly on both sides, whatever the seed
    for seed in range(10):
        seeded_train, seeded_test = split_train_test(
            frame, PROBLEM, {**split, "seed": seed}
        )
        assert (seeded_test["label"] == "yes").sum() == 5
        assert (seeded_train["label"] == "yes").sum() == 15
    again_train, again_test = split_train_test(frame, PROBLEM, split)
    assert again_test.index.equals(test.index) and again_train.index.equals(train.index)
    _, other_test = split_train_test(frame, PROBLEM, {**split, "seed": 4})
    assert not other_test.index.equals(test.index)


def test_stratifying_a_regression_is_refused() -> None:
    problem = {
        **PROBLEM,
        "task": "regression",
        "target": "a",
        "features": {"numeric": ["b"]},
    }
    with pytest.raises(ConfigurationError, match="classification"):
        split_train_test(
            _frame(), problem, {"test_size": 0.2, "stratify": True, "seed": 0}
        )


def test_split_needs_a_seed() -> None:
    with pytest.raises(ConfigurationError, match="seed"):
        split_train_test(_frame(), PROBLEM, {"test_size": 0.2})


def test_too_few_rows_to_split_are_refused() -> None:
    with pytest.raises(DataValidationError, match="too few"):
        split_train_test(_frame(4).head(2), PROBLEM, {"test_size": 0.2, "seed": 0})


def test_stratifying_a_class_with_one_row_is_refused() -> None:
    frame = _frame(8)
    frame.loc[frame.index[1:], "label"] = "no"
    with pytest.raises(DataValidationError, match="1 row"):
        split_train_test(
            frame, PROBLEM, {"test_size": 0.25, "stratify": True, "seed": 0}
        )
