"""The shipped housing blend's neighbours member reads the location, and only it.

The member selects the preprocessed columns by position (``[0, 1]`` in
``conf/base/parameters_housing.yml``): a reordered feature list would silently
hand it other columns. These tests build the blend from the shipped
parameters, fit it on a sample of the real data, and check what it reads.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from ml_workflow.core.model_builder import candidate_pipeline, feature_transform

pytestmark = pytest.mark.requires_variants("housing")

BLEND = "forest_boosting_and_neighbours"


@pytest.fixture(scope="module")
def fitted_blend(
    housing_params: dict[str, Any], housing_raw_sample: pd.DataFrame
) -> tuple[Any, pd.DataFrame]:
    candidates = {c.name: c for c in housing_params["candidates"]}
    if BLEND not in candidates:
        pytest.skip(f"housing has no candidate {BLEND!r}")
    problem = housing_params["problem"]
    model = candidate_pipeline(
        problem,
        feature_transform(housing_params["derived_features"]),
        housing_params["preprocessing"],
        candidates[BLEND],
        seed=0,
    )
    rows = housing_raw_sample.drop(columns=problem.target)
    model.fit(rows, housing_raw_sample[problem.target])
    return model, rows


def _neighbours_prediction(model: Any, rows: pd.DataFrame) -> np.ndarray:
    features = model[:-1].transform(rows)
    return model[-1].named_estimators_["neighbours"].predict(features)


def test_the_neighbours_read_the_standardized_longitude_and_latitude(
    fitted_blend: tuple[Any, pd.DataFrame],
) -> None:
    model, _ = fitted_blend
    names = model.named_steps["preprocess"].get_feature_names_out()
    assert list(names[:2]) == ["numeric__longitude", "numeric__latitude"]


def test_the_neighbours_change_with_the_location_and_nothing_else(
    fitted_blend: tuple[Any, pd.DataFrame],
) -> None:
    model, rows = fitted_blend
    before = _neighbours_prediction(model, rows)
    others = rows.copy()
    for column in ("median_income", "housing_median_age", "total_rooms"):
        others[column] = others[column].sample(frac=1, random_state=1).to_numpy()
    np.testing.assert_array_equal(_neighbours_prediction(model, others), before)
    moved = rows.copy()
    moved["latitude"] = moved["latitude"] + 1.0
    assert not np.allclose(_neighbours_prediction(model, moved), before)
