"""Run each variant's full pipeline once on a small real-data sample.

Stage integration tests take their inputs from here, so each can run its own
stage through a Kedro runner without repeating the upstream work. The runs use
``fast_parameters`` (the shipped configuration with small cross-validation,
search and diagnostics budgets): these tests are about behaviour, not about
the shipped models' quality; stage tests that re-run a stage use the same.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from ml_workflow.pipeline_registry import build_pipelines
from tests.conftest import CONFIGURED_VARIANTS, load_raw_sample, run_pipeline

VARIANTS = CONFIGURED_VARIANTS


@pytest.fixture(scope="session")
def registry():
    return build_pipelines(VARIANTS)


@pytest.fixture(scope="session")
def raw_samples(parameters: dict[str, Any]) -> dict[str, pd.DataFrame]:
    """A small seeded sample of every configured variant's raw data."""
    return {variant: load_raw_sample(variant, parameters) for variant in VARIANTS}


@pytest.fixture(scope="session")
def variant_outputs(
    registry, raw_samples, fast_parameters
) -> dict[str, dict[str, Any]]:
    """Every dataset each variant's full pipeline produces on its sample."""
    return {
        variant: run_pipeline(
            registry[variant], {f"{variant}.raw": raw_samples[variant]}, fast_parameters
        )
        for variant in VARIANTS
    }
