"""Shared fixtures: the project's real parameters and small samples of the real data."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from kedro.io import DataCatalog, MemoryDataset
from kedro.pipeline import Pipeline
from kedro.runner import SequentialRunner

from ml_workflow.variants import load_parameters

PROJECT_ROOT = Path(__file__).resolve().parents[1]
RAW = PROJECT_ROOT / "data" / "01_raw"


@pytest.fixture(scope="session")
def project_root() -> Path:
    return PROJECT_ROOT


@pytest.fixture(scope="session")
def parameters() -> dict[str, Any]:
    """All parameters from conf/base, as a Kedro session would load them."""
    return load_parameters(PROJECT_ROOT, env="base")


@pytest.fixture(scope="session")
def housing_params(parameters: dict[str, Any]) -> dict[str, Any]:
    return parameters["housing"]


@pytest.fixture(scope="session")
def spam_params(parameters: dict[str, Any]) -> dict[str, Any]:
    return parameters["spam"]


@pytest.fixture(scope="session")
def housing_raw_sample() -> pd.DataFrame:
    """600 rows of the real housing file (seeded sample, raw row numbers kept)."""
    raw = pd.read_csv(RAW / "california_housing.csv")
    return raw.sample(n=600, random_state=0)


@pytest.fixture(scope="session")
def spam_raw_sample() -> pd.DataFrame:
    """600 rows of the real SMS file with both classes, read as the catalog reads it."""
    raw = pd.read_csv(
        RAW / "sms_spam.tsv",
        sep="\t",
        quoting=csv.QUOTE_NONE,
        keep_default_na=False,
        na_values=[""],
    )
    return raw.groupby("label", group_keys=False).sample(n=300, random_state=0)


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
