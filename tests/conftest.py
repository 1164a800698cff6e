"""Shared fixtures: the project's real parameters and small samples of the real data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from kedro.config import OmegaConfigLoader
from kedro.io import AbstractDataset, DataCatalog, MemoryDataset
from kedro.pipeline import Pipeline
from kedro.runner import SequentialRunner

from ml_workflow.variants import discover_variants, load_parameters
from tests.project_copy import PROJECT_ROOT

RAW = PROJECT_ROOT / "data" / "01_raw"
# The variants this project configures: integration tests run for each of them,
# and tests about a shipped variant skip when a fork has removed it.
CONFIGURED_VARIANTS = discover_variants(PROJECT_ROOT, env="base")


@pytest.fixture(scope="session")
def project_root() -> Path:
    return PROJECT_ROOT


@pytest.fixture(scope="session")
def parameters() -> dict[str, Any]:
    """All parameters from conf/base, as a Kedro session would load them."""
    return load_parameters(PROJECT_ROOT, env="base")


def require_variant(variant: str) -> None:
    """Skip the calling test when a fork has removed ``variant``."""
    if variant not in CONFIGURED_VARIANTS:
        pytest.skip(f"variant {variant!r} is not configured in this project")


def load_raw_sample(
    variant: str, parameters: dict[str, Any], rows: int = 600
) -> pd.DataFrame:
    """A seeded sample of ``<variant>.raw``, loaded through its catalog entry.

    Classification samples take the same number of rows from each class, so a
    rare class is present; raw row numbers are kept as the index.
    """
    loader = OmegaConfigLoader(
        str(PROJECT_ROOT / "conf"), base_env="base", default_run_env="base"
    )
    config = dict(loader["catalog"][f"{variant}.raw"])
    config["filepath"] = str(PROJECT_ROOT / config["filepath"])
    raw = AbstractDataset.from_config(f"{variant}.raw", config).load()
    problem = parameters[variant]["problem"]
    if problem["task"] != "classification":
        return raw.sample(n=min(rows, len(raw)), random_state=0)
    groups = raw.groupby(problem["target"], group_keys=False)
    per_class = rows // max(1, groups.ngroups)
    return (
        groups.sample(n=per_class, random_state=0, replace=False)
        if groups.size().min() >= per_class
        else groups.head(per_class)
    )


@pytest.fixture(scope="session")
def housing_params(parameters: dict[str, Any]) -> dict[str, Any]:
    require_variant("housing")
    return parameters["housing"]


@pytest.fixture(scope="session")
def spam_params(parameters: dict[str, Any]) -> dict[str, Any]:
    require_variant("spam")
    return parameters["spam"]


@pytest.fixture(scope="session")
def housing_raw_sample(parameters: dict[str, Any]) -> pd.DataFrame:
    """600 rows of the real housing file (seeded sample, raw row numbers kept)."""
    require_variant("housing")
    return load_raw_sample("housing", parameters)


@pytest.fixture(scope="session")
def spam_raw_sample(parameters: dict[str, Any]) -> pd.DataFrame:
    """300 spam and 300 ham rows of the real SMS file, read as the catalog reads it."""
    require_variant("spam")
    return load_raw_sample("spam", parameters)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "requires_variants(*names): skip unless these variants are configured "
        "(a fork may remove the shipped ones)",
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Skip tests about a shipped variant that this project no longer configures."""
    configured = set(CONFIGURED_VARIANTS)
    for item in items:
        needed = {
            name
            for mark in item.iter_markers("requires_variants")
            for name in mark.args
        }
        params = getattr(getattr(item, "callspec", None), "params", {})
        if isinstance(params.get("variant"), str):
            needed.add(params["variant"])
        missing = sorted(needed - configured)
        if missing:
            item.add_marker(
                pytest.mark.skip(
                    reason=f"variant(s) {missing} not configured in this project"
                )
            )


class _KeptDataset(MemoryDataset):
    """A MemoryDataset the runner cannot release, so tests can read every output."""

    def _release(self) -> None:
        pass


def run_pipeline(
    pipeline: Pipeline, inputs: dict[str, Any], parameters: dict[str, Any]
) -> dict[str, Any]:
    """Run ``pipeline`` with a Kedro runner on in-memory data; return every output.

    ``parameters`` is the full parameters mapping; it is exposed as ``params:``
    entries (nested keys included) exactly as a Kedro session would.
    """
    catalog = DataCatalog()
    for name, value in inputs.items():
        catalog[name] = MemoryDataset(value)
    for name, value in _flatten(parameters).items():
        catalog[f"params:{name}"] = MemoryDataset(value, copy_mode="deepcopy")
    for name in pipeline.all_outputs():
        catalog[name] = _KeptDataset()
    SequentialRunner().run(pipeline, catalog)
    return {name: catalog.load(name) for name in pipeline.all_outputs()}


def _flatten(parameters: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in parameters.items():
        name = f"{prefix}{key}"
        flat[name] = value
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{name}."))
    return flat
