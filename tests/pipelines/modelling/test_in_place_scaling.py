"""The numeric scalers work in place on the imputer's output, never on the
caller's data: fitting, transforming and predicting leave the input frame as it
was, and give the same numbers as copying scalers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.impute import SimpleImputer
from sklearn.linear_model import Ridge
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import MinMaxScaler, StandardScaler

from ml_workflow.core.config import Candidate, Preprocessing, Problem
from ml_workflow.core.config.derived import Ratio
from ml_workflow.core.model_builder import (
    build_preprocessor,
    candidate_pipeline,
    feature_transform,
)

PROBLEM = Problem.model_validate(
    {
        "task": "regression",
        "target": "y",
        "features": {"numeric": ["a", "b", "c"], "categorical": [], "text": []},
    }
)
RIDGE = Candidate(name="ridge", estimator="sklearn.linear_model.Ridge")
DERIVED = [Ratio(name="a_per_b", kind="ratio", numerator="a", denominator="b")]


def _numeric_frame(with_missing: bool) -> pd.DataFrame:
    """One float64 block: ``np.asarray(frame)`` is then a VIEW of the frame's
    memory, the case where scaling in place would corrupt the caller's data."""
    rng = np.random.default_rng(1)
    values = rng.normal(5.0, 2.0, size=(30, 3))
    if with_missing:
        values[[2, 7], 1] = np.nan
    frame = pd.DataFrame(values, columns=["a", "b", "c"])
    assert np.shares_memory(np.asarray(frame), frame["a"].to_numpy())
    return frame


@pytest.mark.parametrize("scaler", ["standard", "minmax"])
@pytest.mark.parametrize("with_missing", [False, True])
def test_preprocessing_leaves_the_input_frame_unchanged(
    scaler: str, with_missing: bool
) -> None:
    frame = _numeric_frame(with_missing)
    before = frame.copy(deep=True)
    preprocessor = build_preprocessor(
        PROBLEM, [], Preprocessing(numeric_scaler=scaler), Ridge()
    )[0]
    first = preprocessor.fit_transform(frame)
    second = preprocessor.transform(frame)
    pd.testing.assert_frame_equal(frame, before)
    np.testing.assert_array_equal(first, second)


@pytest.mark.parametrize(
    ("scaler", "copying"),
    [("standard", StandardScaler()), ("minmax", MinMaxScaler(clip=True))],
)
def test_in_place_scaling_gives_the_same_numbers_as_copying(
    scaler: str, copying: object
) -> None:
    frame = _numeric_frame(with_missing=True)
    reference = Pipeline(
        [("impute", SimpleImputer(strategy="median")), ("scale", copying)]
    )
    expected = reference.fit_transform(frame)
    preprocessor = build_preprocessor(
        PROBLEM, [], Preprocessing(numeric_scaler=scaler), Ridge()
    )[0]
    np.testing.assert_allclose(preprocessor.fit_transform(frame), expected)
    np.testing.assert_allclose(
        preprocessor.transform(frame), reference.transform(frame)
    )


def test_the_imputer_copies_and_the_scaler_does_not() -> None:
    numeric = build_preprocessor(PROBLEM, [], Preprocessing(), Ridge())[0]
    numeric = numeric.transformers[0][1]
    assert numeric.named_steps["impute"].copy is True
    assert numeric.named_steps["scale"].copy is False


def test_fitting_and_predicting_the_model_leave_the_frame_unchanged() -> None:
    frame = _numeric_frame(with_missing=True)
    target = pd.Series(np.arange(30, dtype=float), name="y")
    before = frame.copy(deep=True)
    model = candidate_pipeline(
        PROBLEM, feature_transform(DERIVED), Preprocessing(), RIDGE
    ).fit(frame, target)
    first = model.predict(frame)
    second = model.predict(frame)
    pd.testing.assert_frame_equal(frame, before)
    np.testing.assert_array_equal(first, second)
