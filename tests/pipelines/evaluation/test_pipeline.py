"""evaluation through a Kedro runner on samples of the real data."""

from __future__ import annotations

import pytest

from tests.conftest import CONFIGURED_VARIANTS
from tests.kedro_runner import run_pipeline

EXPECTED = {
    "regression": {"mse", "rmse", "mae", "r2"},
    "classification": {"accuracy", "precision", "recall", "f1", "roc_auc"},
}


@pytest.mark.parametrize("variant", CONFIGURED_VARIANTS)
def test_evaluation_writes_predictions_and_metrics(
    variant, registry, variant_outputs, fast_parameters
) -> None:
    stage = registry["evaluation"].only_nodes_with_namespaces([variant])
    upstream = variant_outputs[variant]
    # model, splits and, for the report, the cleaned data, its cleaning report
    # and the data-profile figures
    inputs = {
        name: upstream[name]
        for name in stage.inputs()
        if not name.startswith("params:")
    }
    assert {f"{variant}.{name}" for name in ("model", "train", "test")} <= set(inputs)
    outputs = run_pipeline(stage, inputs, fast_parameters)
    metrics = outputs[f"{variant}.metrics"]
    predictions = outputs[f"{variant}.test_predictions"]
    task = fast_parameters[variant]["problem"].task
    for split in ("train", "test", "baseline"):
        assert EXPECTED[task] <= set(metrics[split])
    assert metrics["diagnosis"] in {"overfitting", "underfitting", "good fit"}
    assert predictions.index.equals(upstream[f"{variant}.test"].index)
    primary = fast_parameters[variant]["evaluation"].primary_metric
    # even on a few hundred rows the model must beat the dummy baseline
    assert metrics["test"][primary] > metrics["baseline"][primary]
