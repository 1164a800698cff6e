"""data_processing through a Kedro runner on samples of the real data."""

from __future__ import annotations

import pytest

from tests.conftest import CONFIGURED_VARIANTS
from tests.kedro_runner import run_pipeline


@pytest.mark.parametrize("variant", CONFIGURED_VARIANTS)
def test_data_processing_cleans_each_variant(
    variant, registry, raw_samples, parameters
) -> None:
    stage = registry["data_processing"].only_nodes_with_namespaces([variant])
    outputs = run_pipeline(stage, {f"{variant}.raw": raw_samples[variant]}, parameters)
    cleaned = outputs[f"{variant}.cleaned"]
    report = outputs[f"{variant}.cleaning_report"]
    problem = parameters[variant]["problem"]
    declared = [*problem.feature_columns, problem.target]
    assert sorted(cleaned.columns) == sorted(declared)
    assert set(cleaned.index) <= set(raw_samples[variant].index)
    assert not cleaned.duplicated().any()
    assert cleaned[problem.target].notna().all()
    assert report["rows_in"] == len(raw_samples[variant])
    assert report["rows_out"] == len(cleaned)
    assert report["rows_in"] - report["rows_out"] == sum(report["removed"].values())


def test_stage_pipeline_runs_every_variant_together(
    registry, raw_samples, parameters
) -> None:
    inputs = {f"{variant}.raw": sample for variant, sample in raw_samples.items()}
    outputs = run_pipeline(registry["data_processing"], inputs, parameters)
    assert {f"{variant}.cleaned" for variant in raw_samples} <= set(outputs)
    assert len(raw_samples) == len(CONFIGURED_VARIANTS)
