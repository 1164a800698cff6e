"""Property-based tests (hypothesis): cleaning and feature nodes on generated frames.

Invariants: no rows invented, the raw index survives, row accounting adds up
(rows_in = rows_out + sum(removed)), and derived features never read the target.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter

from ml_workflow.core.config import Cleaning, DerivedFeature, Problem, Split
from ml_workflow.errors import DataValidationError
from ml_workflow.pipelines.data_processing.nodes import clean_raw_data
from ml_workflow.pipelines.feature_engineering.nodes import (
    build_feature_transform,
    split_train_test,
)

PROBLEM = Problem.model_validate(
    {
        "task": "regression",
        "target": "y",
        "features": {"numeric": ["a", "b"], "categorical": ["c"], "text": ["t"]},
    }
)
DERIVED_SPECS: list[dict[str, Any]] = [
    {"name": "a_per_b", "kind": "ratio", "numerator": "a", "denominator": "b"},
    {"name": "t_length", "kind": "text_length", "column": "t"},
    {
        "name": "t_digits",
        "kind": "character_share",
        "column": "t",
        "characters": "digits",
    },
    {"name": "t_url", "kind": "pattern_presence", "column": "t", "pattern": "http"},
]
DERIVED = TypeAdapter(list[DerivedFeature]).validate_python(DERIVED_SPECS)
CLEANING = Cleaning(drop_missing_target=True, drop_duplicates=True)

numbers = st.one_of(
    st.none(),
    st.floats(allow_nan=True, allow_infinity=True, width=32),
    st.integers(-5, 5).map(float),  # small values make duplicates likely
)
labels = st.one_of(st.none(), st.sampled_from(["x", " x", "y ", "z"]))
texts = st.one_of(
    st.none(), st.text(max_size=12), st.sampled_from(["", "call 12345", "http://a"])
)


@st.composite
def raw_frames(draw) -> pd.DataFrame:
    """Raw-like frames with a unique, unordered integer index and an extra column."""
    n = draw(st.integers(0, 30))
    index = draw(st.lists(st.integers(0, 10_000), min_size=n, max_size=n, unique=True))
    column = lambda values: draw(st.lists(values, min_size=n, max_size=n))  # noqa: E731
    return pd.DataFrame(
        {
            "a": column(numbers),
            "b": column(numbers),
            "c": column(labels),
            "t": column(texts),
            "y": column(numbers),
            "extra": column(st.integers()),
        },
        index=index,
    )


FAST = settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@FAST
@given(raw=raw_frames())
@example(  # found by hypothesis in CI: a target that is missing or infinite
    raw=pd.DataFrame(
        {"a": [None] * 3, "b": [None] * 3, "c": [None] * 3, "t": [None] * 3}
        | {"y": [np.nan, np.nan, np.inf], "extra": [0] * 3}
    )
)
def test_cleaning_invents_no_rows_and_accounts_for_every_row(raw: pd.DataFrame) -> None:
    try:
        cleaned, report = clean_raw_data(raw, PROBLEM, CLEANING)
    except DataValidationError as error:
        # the only refusals possible here: no rows, or no row with a target
        # (cleaning reads an infinite target as missing)
        assert "no rows" in str(error) or "missing in every row" in str(error)
        assert raw.empty or not np.isfinite(_numbers(raw["y"])).any()
        return
    assert set(cleaned.index) <= set(raw.index)  # no row invented
    assert cleaned.index.is_unique
    assert report["rows_in"] == len(raw)
    assert report["rows_out"] == len(cleaned)
    assert report["rows_in"] == report["rows_out"] + sum(report["removed"].values())
    assert cleaned["y"].notna().all()
    assert not cleaned.duplicated().any()
    assert list(cleaned.columns) == ["a", "b", "c", "t", "y"]
    # kept rows keep their values (infinity becomes missing, labels are stripped)
    expected_a = _numbers(raw.loc[cleaned.index, "a"])
    pd.testing.assert_series_equal(
        cleaned["a"], expected_a.where(np.isfinite(expected_a)), check_names=False
    )


@FAST
@given(raw=raw_frames(), other_target=st.lists(numbers, min_size=30, max_size=30))
def test_derived_features_never_read_the_target(
    raw: pd.DataFrame, other_target
) -> None:
    # the stage's feature transform, fitted and applied as the model does (the
    # target column is left in the frame to show it is not read)
    transform = build_feature_transform(raw, DERIVED)
    features = transform.fit_transform(raw)
    changed = raw.assign(y=other_target[: len(raw)])
    features_changed = build_feature_transform(changed, DERIVED).fit_transform(changed)
    derived = [spec["name"] for spec in DERIVED_SPECS]
    assert transform.new_columns == derived
    pd.testing.assert_frame_equal(features[derived], features_changed[derived])
    # the index and every row survive; the input columns are untouched
    assert features.index.equals(raw.index)
    pd.testing.assert_frame_equal(features[list(raw.columns)], raw)
    assert not np.isinf(features[derived].to_numpy(dtype=float)).any()


@FAST
@given(raw=raw_frames(), seed=st.integers(0, 2**16))
def test_split_partitions_rows_without_inventing_any(
    raw: pd.DataFrame, seed: int
) -> None:
    split = Split(test_size=0.25, stratify=False, seed=seed)
    try:
        train, test = split_train_test(raw, PROBLEM, split)
    except DataValidationError as error:
        assert "too few to split" in str(error)
        return
    assert set(train.index).isdisjoint(test.index)
    assert sorted([*train.index, *test.index]) == sorted(raw.index)
    pd.testing.assert_frame_equal(pd.concat([train, test]).loc[raw.index], raw)


def _numbers(values: pd.Series) -> pd.Series:
    return pd.to_numeric(values, errors="coerce").astype("float64")


@pytest.mark.parametrize("drop_duplicates", [True, False])
def test_accounting_example_by_hand(drop_duplicates: bool) -> None:
    raw = pd.DataFrame(
        {
            "a": [1.0, 1.0, 2.0],
            "b": [1.0, 1.0, 3.0],
            "c": ["x", "x", "y"],
            "t": ["u", "u", "v"],
            "y": [1.0, 1.0, None],
        },
        index=[7, 3, 9],
    )
    _, report = clean_raw_data(
        raw,
        PROBLEM,
        Cleaning(drop_missing_target=True, drop_duplicates=drop_duplicates),
    )
    expected = {"missing_target": 1, **({"duplicates": 1} if drop_duplicates else {})}
    assert report["removed"] == expected
    assert report["rows_out"] == 3 - sum(expected.values())
