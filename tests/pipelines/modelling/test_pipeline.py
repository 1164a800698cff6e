"""modelling through a Kedro runner on samples of the real data."""

from __future__ import annotations

import pytest
from sklearn.pipeline import Pipeline

from tests.conftest import CONFIGURED_VARIANTS, run_pipeline


@pytest.mark.parametrize("variant", CONFIGURED_VARIANTS)
def test_modelling_fits_a_pipeline_from_raw_columns(
    variant, registry, variant_outputs, parameters
) -> None:
    stage = registry["modelling"].only_nodes_with_namespaces([variant])
    train = variant_outputs[variant][f"{variant}.train"]
    outputs = run_pipeline(stage, {f"{variant}.train": train}, parameters)
    model = outputs[f"{variant}.model"]
    # a classifier's Pipeline is wrapped with its tuned decision threshold
    assert isinstance(getattr(model, "estimator_", model), Pipeline)
    problem = parameters[variant]["problem"]
    raw_columns = [c for cols in problem["features"].values() for c in cols]
    predictions = model.predict(train[raw_columns].head(5))
    assert len(predictions) == 5
