"""modelling through a Kedro runner on samples of the real data."""

from __future__ import annotations

import pytest
from sklearn.pipeline import Pipeline

from tests.conftest import CONFIGURED_VARIANTS
from tests.kedro_runner import run_pipeline


@pytest.mark.parametrize("variant", CONFIGURED_VARIANTS)
def test_modelling_fits_a_pipeline_from_raw_columns(
    variant, registry, variant_outputs, fast_parameters
) -> None:
    stage = registry["modelling"].only_nodes_with_namespaces([variant])
    upstream = variant_outputs[variant]
    inputs = {
        name: upstream[name]
        for name in stage.inputs()
        if not name.startswith("params:")
    }
    assert set(inputs) == {f"{variant}.train", f"{variant}.feature_transform"}
    outputs = run_pipeline(stage, inputs, fast_parameters)
    model = outputs[f"{variant}.model"]
    # a classifier's Pipeline is wrapped with its tuned decision threshold
    pipeline = getattr(model, "estimator_", model)
    assert isinstance(pipeline, Pipeline)
    # the stage's feature transform is the model's first step, fitted inside it
    derive = pipeline.named_steps["derive"]
    assert derive.new_columns == upstream[f"{variant}.feature_transform"].new_columns
    assert derive is not upstream[f"{variant}.feature_transform"]
    problem = fast_parameters[variant]["problem"]
    train = upstream[f"{variant}.train"]
    predictions = model.predict(train[problem.feature_columns].head(5))
    assert len(predictions) == 5
