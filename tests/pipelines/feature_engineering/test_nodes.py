"""Unit tests for feature_engineering nodes."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest
from pydantic import TypeAdapter

from ml_workflow.core.config import DerivedFeature, Problem, Split, load_variant
from ml_workflow.core.features import DerivedFeatures, Ratio
from ml_workflow.errors import ConfigurationError, DataValidationError
from ml_workflow.pipelines.feature_engineering.nodes import (
    build_feature_transform,
    split_train_test,
)

PROBLEM_SPEC: dict[str, Any] = {
    "task": "classification",
    "target": "label",
    "positive_class": "yes",
    "features": {"numeric": ["a", "b"]},
}
PROBLEM = Problem.model_validate(PROBLEM_SPEC)
CANDIDATES = [{"name": "nb", "estimator": "sklearn.naive_bayes.GaussianNB"}]
RATIO = {"name": "a_per_b", "kind": "ratio", "numerator": "a", "denominator": "b"}


def _frame(rows: int = 20) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "a": range(rows),
            "b": [2.0] * rows,
            "label": ["yes", "no", "no", "no"] * (rows // 4),
        },
        index=range(100, 100 + rows),
    )


def test_feature_transform_adds_declared_features_and_keeps_rows() -> None:
    specs = TypeAdapter(list[DerivedFeature]).validate_python([RATIO])
    transform = build_feature_transform(_frame(), specs)
    # checked on the cleaned data; each model fits its own copy again
    assert isinstance(transform, DerivedFeatures)
    assert transform.feature_names_in_.tolist() == list(_frame().columns)
    (ratio,) = transform.features
    assert isinstance(ratio, Ratio) and transform.new_columns == ["a_per_b"]
    raw = _frame()[PROBLEM.feature_columns]
    features = transform.fit_transform(raw)
    assert features["a_per_b"].tolist() == [a / 2.0 for a in range(20)]
    assert features.index.equals(_frame().index)
    assert list(features.columns) == ["a", "b", "a_per_b"]


def test_the_transform_is_checked_against_the_cleaned_data() -> None:
    specs = TypeAdapter(list[DerivedFeature]).validate_python([RATIO])
    with pytest.raises(
        ValueError, match=r"reads column\(s\) \['b'\], which the data lacks"
    ):
        build_feature_transform(_frame().drop(columns="b"), specs)


def test_no_derived_features_is_a_transform_that_adds_nothing() -> None:
    transform = build_feature_transform(_frame(), [])
    raw = _frame()[PROBLEM.feature_columns]
    pd.testing.assert_frame_equal(transform.fit_transform(raw), raw)


def test_a_derived_feature_reading_the_target_is_refused() -> None:
    leak = {"name": "leak", "kind": "text_length", "column": "label"}
    variant = {"problem": PROBLEM_SPEC, "derived_features": [leak]}
    with pytest.raises(ConfigurationError, match="reads the target 'label'"):
        load_variant("toy", {**variant, "candidates": CANDIDATES})


def test_split_partitions_rows_reproducibly_and_stratifies() -> None:
    frame = _frame(80)
    split = Split(test_size=0.25, stratify=True, seed=3)
    train, test = split_train_test(frame, PROBLEM, split)
    assert len(test) == 20 and len(train) == 60
    assert set(train.index).isdisjoint(test.index)
    assert set(train.index) | set(test.index) == set(frame.index)
    # stratified: the 25% "yes" share is kept exactly on both sides, whatever the seed
    for seed in range(10):
        seeded_train, seeded_test = split_train_test(
            frame, PROBLEM, split.model_copy(update={"seed": seed})
        )
        assert (seeded_test["label"] == "yes").sum() == 5
        assert (seeded_train["label"] == "yes").sum() == 15
    again_train, again_test = split_train_test(frame, PROBLEM, split)
    assert again_test.index.equals(test.index) and again_train.index.equals(train.index)
    _, other_test = split_train_test(
        frame, PROBLEM, split.model_copy(update={"seed": 4})
    )
    assert not other_test.index.equals(test.index)


def test_a_split_of_a_number_of_rows_holds_out_that_many() -> None:
    train, test = split_train_test(
        _frame(80), PROBLEM, Split(test_size=8, stratify=True, seed=0)
    )
    assert (len(train), len(test)) == (72, 8)


def test_stratifying_a_regression_is_refused() -> None:
    problem = {
        **PROBLEM_SPEC,
        "task": "regression",
        "target": "a",
        "positive_class": None,
        "features": {"numeric": ["b"]},
    }
    with pytest.raises(
        ConfigurationError,
        match="toy.split.stratify: found true, but stratifying needs classes: it "
        "only applies to a classification task",
    ):
        load_variant(
            "toy",
            {
                "problem": problem,
                "split": {"stratify": True},
                "candidates": [
                    {"name": "l", "estimator": "sklearn.linear_model.LinearRegression"}
                ],
            },
        )


def test_the_split_is_seeded_by_the_variant_seed_unless_it_has_its_own() -> None:
    variant = {"problem": PROBLEM_SPEC, "candidates": CANDIDATES}
    assert load_variant("toy", variant).split == Split(
        test_size=0.2, stratify=True, seed=42
    )
    assert load_variant("toy", {**variant, "seed": 5}).split.seed == 5
    own = {**variant, "seed": 5, "split": {"seed": 9, "stratify": False}}
    assert load_variant("toy", own).split == Split(seed=9, stratify=False)


@pytest.mark.parametrize("test_size", [0.0, 1.0, 1.5, 0, -3, True, "half"])
def test_a_test_size_that_is_no_share_or_row_count_is_refused(test_size: Any) -> None:
    variant = {
        "problem": PROBLEM_SPEC,
        "split": {"test_size": test_size},
        "candidates": CANDIDATES,
    }
    with pytest.raises(ConfigurationError, match="toy.split.test_size"):
        load_variant("toy", variant)


def test_too_few_rows_to_split_are_refused() -> None:
    with pytest.raises(DataValidationError, match="too few"):
        split_train_test(_frame(4).head(2), PROBLEM, Split(test_size=0.2, seed=0))


def test_stratifying_a_class_with_one_row_is_refused() -> None:
    frame = _frame(8)
    frame.loc[frame.index[1:], "label"] = "no"
    with pytest.raises(DataValidationError, match="1 row"):
        split_train_test(frame, PROBLEM, Split(test_size=0.25, stratify=True, seed=0))
