"""evaluation through a Kedro runner on samples of the real data."""

from __future__ import annotations

import pytest

from tests.conftest import run_pipeline

EXPECTED = {
    "regression": {"mse", "rmse", "mae", "r2"},
    "classification": {"accuracy", "precision", "recall", "f1", "roc_auc"},
}


@pytest.mark.parametrize("variant", ["housing", "spam"])
def test_evaluation_writes_predictions_and_metrics(
    variant, registry, variant_outputs, parameters
) -> None:
    stage = registry["evaluation"].only_nodes_with_namespaces([variant])
    upstream = variant_outputs[variant]
    inputs = {
        f"{variant}.{name}": upstream[f"{variant}.{name}"]
        for name in ("model", "model_summary", "train", "test")
    }
    outputs = run_pipeline(stage, inputs, parameters)
    metrics = outputs[f"{variant}.metrics"]
    predictions = outputs[f"{variant}.test_predictions"]
    task = parameters[variant]["problem"]["task"]
    for split in ("train", "test", "baseline"):
        assert EXPECTED[task] <= set(metrics[split])
    assert metrics["diagnosis"] in {"overfitting", "underfitting", "good fit"}
    assert predictions.index.equals(upstream[f"{variant}.test"].index)
    primary = parameters[variant]["evaluation"]["primary_metric"]
    # even on a few hundred rows the model must beat the dummy baseline
    assert metrics["test"][primary] > metrics["baseline"][primary]
