"""Project pipelines: one definition per stage, instantiated once per variant.

Registered names:
- ``<variant>`` (e.g. ``housing``, ``spam``): every stage for that variant;
- ``data_processing``, ``feature_engineering``, ``modelling``, ``evaluation``:
  that stage for every variant;
- ``__default__``: everything above (training and evaluation);
- ``<variant>_inference`` (e.g. ``housing_inference``): batch scoring of that
  variant's new records with its latest model. Not part of ``__default__``: it
  needs a trained model, which the default run produces.
- ``<variant>_inference_partitioned``: the same scoring for a folder of files
  (a partitioned dataset), each file scored and saved on its own.

Each stage's ``create_pipeline()`` returns an un-namespaced template; wrapping it
with ``Pipeline(..., namespace=variant)`` prefixes its datasets and parameters
(``housing.train``, ``params:housing.split``), which the catalog's dataset
factories then resolve per variant. The shared settings (``params:compute``)
keep their name: one machine section serves every variant.

Why not ``find_pipelines()``: in Kedro 1.7 it honours the CLI's ``--pipelines``
filter by *module* name, and our variant pipelines (``housing``) are not modules,
so ``kedro run --pipelines housing`` would fail to import them. The stages are
therefore listed explicitly, in workflow order.
"""

from __future__ import annotations

from kedro.pipeline import Pipeline

from ml_workflow.core.config.loading import SETTINGS
from ml_workflow.errors import ConfigurationError
from ml_workflow.pipelines import (
    data_processing,
    evaluation,
    feature_engineering,
    inference,
    modelling,
)
from ml_workflow.variants import discover_variants

STAGES = {
    "data_processing": data_processing.create_pipeline,
    "feature_engineering": feature_engineering.create_pipeline,
    "modelling": modelling.create_pipeline,
    "evaluation": evaluation.create_pipeline,
}


def reserved_variant_names() -> set[str]:
    """Names a variant cannot take: the stage pipelines, the shared settings
    sections of the parameters (``compute``, ``tracking``...) and ``__default__``."""
    return {*STAGES, *SETTINGS, "__default__"}


def build_pipelines(variants: list[str]) -> dict[str, Pipeline]:
    """Return the registry for the given variants (pure: no configuration read)."""
    clashes = sorted(set(variants) & reserved_variant_names())
    if clashes:
        raise ConfigurationError(
            f"variant name(s) {clashes} clash with pipeline names; rename the "
            "top-level key of their parameters file"
        )
    per_stage = {
        stage: {variant: _namespaced(create(), variant) for variant in variants}
        for stage, create in STAGES.items()
    }
    pipelines: dict[str, Pipeline] = {}
    for variant in variants:
        pipelines[variant] = sum(
            (per_stage[stage][variant] for stage in STAGES), Pipeline([])
        )
    for stage in STAGES:
        pipelines[stage] = sum(per_stage[stage].values(), Pipeline([]))
    pipelines["__default__"] = sum(
        (pipelines[variant] for variant in variants), Pipeline([])
    )
    for variant in variants:
        pipelines[inference_pipeline_name(variant)] = _namespaced(
            inference.create_pipeline(), variant
        )
        pipelines[f"{inference_pipeline_name(variant)}_partitioned"] = _namespaced(
            inference.create_partitioned_pipeline(), variant
        )
    return pipelines


def _namespaced(template: Pipeline, variant: str) -> Pipeline:
    """``template`` in the variant's namespace; shared settings stay shared."""
    shared = {
        name
        for name in template.inputs()
        if name.startswith("params:") and name.removeprefix("params:") in SETTINGS
    }
    return Pipeline(template, namespace=variant, parameters=shared)


def inference_pipeline_name(variant: str) -> str:
    """The registered name of a variant's batch-scoring pipeline."""
    return f"{variant}_inference"


def register_pipelines() -> dict[str, Pipeline]:
    """Register the project's pipelines for the variants found in configuration."""
    return build_pipelines(discover_variants())
