"""The housing-like data generator of benchmarks/: valid and realistic rows."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType
from typing import Any

import pandas as pd
import pytest

from ml_workflow.core.validation import validate_raw
from tests.conftest import require_variant

ROOT = Path(__file__).resolve().parents[2]


def _generator() -> ModuleType:
    path = ROOT / "benchmarks" / "generate_housing.py"
    spec = importlib.util.spec_from_file_location("generate_housing", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def generated() -> pd.DataFrame:
    require_variant("housing")
    return _generator().generate_housing(3000, seed=1)


def test_generated_rows_pass_the_housing_schema(
    generated: pd.DataFrame, parameters: dict[str, Any]
) -> None:
    housing = parameters["housing"]
    result = validate_raw(generated, housing["problem"], housing["schema"])
    assert result.violations == []  # validate_raw also raises on any error
    real = pd.read_csv(ROOT / "data/01_raw/california_housing.csv", nrows=5)
    assert list(generated.columns) == list(real.columns)
    assert len(generated) == 3000


def test_generated_rows_keep_the_relations_of_real_block_groups(
    generated: pd.DataFrame,
) -> None:
    known = generated.dropna(subset=["total_bedrooms"])
    assert (known["total_bedrooms"] <= known["total_rooms"]).all()
    counts = ["total_rooms", "population", "households"]
    assert (generated[counts] >= 1).all().all()
    assert generated["median_house_value"].max() <= 500001
    assert (generated["median_house_value"] == 500001).any()  # the survey's cap
    assert generated["median_income"].corr(generated["median_house_value"]) > 0.5
    assert generated["households"].corr(generated["population"]) > 0.7
    assert generated["longitude"].between(-124.35, -114.31).all()
    assert generated["latitude"].between(32.54, 41.95).all()
    assert 0 < generated["total_bedrooms"].isna().mean() < 0.05
    assert not generated.duplicated().any()  # cleaning would drop copies


def test_the_generator_is_seeded(generated: pd.DataFrame) -> None:
    again = _generator().generate_housing(3000, seed=1)
    pd.testing.assert_frame_equal(generated, again)
    other = _generator().generate_housing(3000, seed=2)
    assert not generated.equals(other)
