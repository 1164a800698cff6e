"""The registry exposes every variant and every stage, built from configuration."""

from __future__ import annotations

import pytest

from ml_workflow.errors import ConfigurationError
from ml_workflow.pipeline_registry import STAGES, build_pipelines, register_pipelines
from ml_workflow.variants import discover_variants, variant_names


def test_variant_names_are_the_sections_with_a_problem() -> None:
    parameters = {
        "housing": {"problem": {"task": "regression"}},
        "spam": {"problem": {"task": "classification"}},
        "shared_setting": {"n_jobs": 2},
        "scalar": 3,
    }
    assert variant_names(parameters) == ["housing", "spam"]


@pytest.mark.requires_variants("housing", "spam")
def test_the_shipped_variants_are_discovered(project_root) -> None:
    assert discover_variants(project_root, env="base") == ["housing", "spam"]


def test_registry_names_variants_stages_and_default() -> None:
    pipelines = build_pipelines(["housing", "spam"])
    assert set(pipelines) == {
        "__default__",
        "housing",
        "spam",
        *STAGES,
        "housing_inference",
        "spam_inference",
        "housing_inference_partitioned",
        "spam_inference_partitioned",
    }


def test_variant_pipeline_is_namespaced_and_complete() -> None:
    housing = build_pipelines(["housing", "spam"])["housing"]
    assert {node.namespace for node in housing.nodes} == {"housing"}
    # the variant pipeline needs only its raw data, its own parameters and the
    # settings every variant shares (the machine's compute, the drift bins)
    free_inputs = housing.inputs()
    shared = {"params:compute", "params:drift"}
    assert {"housing.raw", *shared} <= free_inputs
    assert all(
        name in {"housing.raw", *shared} or name.startswith("params:housing.")
        for name in free_inputs
    )
    assert {
        "housing.model",
        "housing.drift_reference",
        "housing.metrics",
        "housing.test_predictions",
    } <= housing.all_outputs()


def test_stage_pipeline_covers_every_variant() -> None:
    stage = build_pipelines(["a", "b", "c"])["modelling"]
    assert {node.namespace for node in stage.nodes} == {"a", "b", "c"}


def test_default_pipeline_is_all_variants() -> None:
    pipelines = build_pipelines(["housing", "spam"])
    assert set(pipelines["__default__"].nodes) == set(
        (pipelines["housing"] + pipelines["spam"]).nodes
    )


def test_a_new_variant_needs_no_code() -> None:
    pipelines = build_pipelines(["housing", "spam", "churn"])
    assert "churn" in pipelines
    assert "churn.raw" in pipelines["churn"].inputs()


def test_variant_named_like_a_stage_is_refused() -> None:
    with pytest.raises(ConfigurationError, match="modelling"):
        build_pipelines(["modelling"])


@pytest.mark.requires_variants("housing", "spam")
def test_register_pipelines_reads_configuration(monkeypatch, project_root) -> None:
    monkeypatch.chdir(project_root)
    assert {"housing", "spam"} <= set(register_pipelines())
