"""Batch scoring of a partitioned dataset: the node on hand-made partitions, and
each variant's ``<variant>_inference_partitioned`` pipeline through a Kedro
runner with real ``PartitionedDataset`` input and outputs on disk."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from kedro.config import OmegaConfigLoader
from kedro.io import DataCatalog, DatasetError, MemoryDataset
from kedro.runner import SequentialRunner
from sklearn.linear_model import LinearRegression

from ml_workflow.core.coercion import coerce_features
from ml_workflow.core.config import Problem, Schema
from ml_workflow.core.task import task_for
from ml_workflow.pipelines.inference.nodes import (
    predict_records,
    score_partitions,
    score_records,
    validate_new_records,
)
from tests.conftest import PROJECT_ROOT, RAW
from tests.kedro_runner import parameter_entries

SCHEMA = Schema.model_validate(
    {"columns": {"size": {"nullable": False, "checks": {"min": 0}}}}
)
# y = 2 * size, whatever the colour
MODEL = LinearRegression().fit(pd.DataFrame({"size": [0.0, 1.0]}), [0.0, 2.0])
NUMERIC_ONLY = Problem(task="regression", target="y", features={"numeric": ["size"]})


def _loaders(
    partitions: dict[str, pd.DataFrame], loads: Counter
) -> dict[str, Callable[[], pd.DataFrame]]:
    """What a PartitionedDataset gives: one load function per partition, counted."""

    def loader(key: str) -> Callable[[], pd.DataFrame]:
        def load() -> pd.DataFrame:
            loads[key] += 1
            return partitions[key].copy()

        return load

    return {key: loader(key) for key in partitions}


PARTITIONS = {
    "2026-01/part-a": pd.DataFrame({"size": [1.0, 2.0], "colour": ["red", "blue"]}),
    "2026-02/part-b": pd.DataFrame(
        {"size": [3.0, -1.0, None], "colour": ["red", "red", "blue"]}
    ),
}


def test_score_partitions_loads_nothing_until_each_output_is_saved() -> None:
    loads: Counter = Counter()
    predictions, rejects = score_partitions(
        _loaders(PARTITIONS, loads), MODEL, NUMERIC_ONLY, SCHEMA
    )
    assert set(predictions) == set(rejects) == set(PARTITIONS)
    assert not loads  # lazy: the node itself read no partition
    predictions["2026-01/part-a"]()
    assert loads == Counter({"2026-01/part-a": 1})  # only the partition saved


def test_saving_predictions_then_rejects_reads_each_partition_once() -> None:
    loads: Counter = Counter()
    predictions, rejects = score_partitions(
        _loaders(PARTITIONS, loads), MODEL, NUMERIC_ONLY, SCHEMA
    )
    for key in PARTITIONS:  # the order Kedro saves the node's two outputs in
        predictions[key]()
    kept = {key: rejects[key]() for key in PARTITIONS}
    assert loads == Counter(dict.fromkeys(PARTITIONS, 1))
    assert kept["2026-02/part-b"].index.tolist() == [1, 2]
    assert kept["2026-01/part-a"].empty


def test_each_partition_is_scored_on_its_own_with_its_rejects() -> None:
    predictions, rejects = score_partitions(
        _loaders(PARTITIONS, Counter()), MODEL, NUMERIC_ONLY, SCHEMA
    )
    good = predictions["2026-01/part-a"]()
    assert good.index.tolist() == [0, 1]
    assert good["predicted"].tolist() == pytest.approx([2.0, 4.0])
    assert rejects["2026-01/part-a"]().empty
    assert rejects["2026-01/part-a"]().columns.tolist() == ["reasons", "size", "colour"]

    mixed = predictions["2026-02/part-b"]()
    assert mixed.index.tolist() == [0]  # rows are numbered within the partition
    assert mixed["predicted"].tolist() == pytest.approx([6.0])
    bad = rejects["2026-02/part-b"]()
    assert bad.index.tolist() == [1, 2]
    assert "[min] expected >= 0" in bad.loc[1, "reasons"]
    assert "[not_nullable]" in bad.loc[2, "reasons"]


def test_a_partition_scores_as_the_single_file_pipeline_scores_it() -> None:
    records = PARTITIONS["2026-02/part-b"]
    predictions, rejects = score_records(records, MODEL, NUMERIC_ONLY, SCHEMA)
    valid, expected_rejects = validate_new_records(records, NUMERIC_ONLY, SCHEMA)
    expected = predict_records(
        MODEL, coerce_features(valid, NUMERIC_ONLY), NUMERIC_ONLY
    )
    pd.testing.assert_frame_equal(predictions, expected)
    pd.testing.assert_frame_equal(rejects, expected_rejects)


def _catalog_entry(name: str, variant: str, path: Path | None = None) -> dict:
    """The project's catalog entry ``name`` (a factory, filled in for ``variant``)."""
    loader = OmegaConfigLoader(
        str(PROJECT_ROOT / "conf"), base_env="base", default_run_env="base"
    )
    entries = loader["catalog"]
    entry = dict(entries.get(f"{variant}.{name}") or entries[f"{{variant}}.{name}"])
    entry["path"] = str(path or PROJECT_ROOT / entry["path"])
    return entry


@pytest.mark.parametrize("variant", ["housing", "spam"])
def test_partitioned_pipeline_writes_one_file_per_partition(
    variant: str,
    tmp_path: Path,
    registry: dict[str, Any],
    variant_outputs: dict[str, dict[str, Any]],
    fast_parameters: dict[str, Any],
) -> None:
    model = variant_outputs[variant][f"{variant}.model"]
    config = {
        f"{variant}.new_records_partitioned": _catalog_entry(
            "new_records_partitioned", variant
        ),
        **{
            f"{variant}.{name}": _catalog_entry(name, variant, tmp_path / name)
            for name in ("predictions_partitioned", "rejects_partitioned")
        },
    }
    catalog = DataCatalog.from_config(config)
    catalog[f"{variant}.model"] = MemoryDataset(model)
    for name, value in parameter_entries(fast_parameters).items():
        catalog[f"params:{name}"] = MemoryDataset(value, copy_mode="deepcopy")
    SequentialRunner().run(registry[f"{variant}_inference_partitioned"], catalog)

    suffix = config[f"{variant}.new_records_partitioned"]["filename_suffix"]
    shipped = sorted(
        p.name for p in (RAW / f"{variant}_new_records_partitioned").iterdir()
    )
    assert shipped == [f"part-000{suffix}", f"part-001{suffix}"]
    predicted = {
        p.stem: pd.read_csv(p)
        for p in sorted((tmp_path / "predictions_partitioned").iterdir())
    }
    rejected = {
        p.stem: pd.read_csv(p)
        for p in sorted((tmp_path / "rejects_partitioned").iterdir())
    }
    assert set(predicted) == set(rejected) == {"part-000", "part-001"}
    # The shipped example: 22 records in two files of 11, the last two invalid.
    assert predicted["part-000"]["row"].tolist() == list(range(11))
    assert predicted["part-001"]["row"].tolist() == list(range(9))
    assert rejected["part-000"].empty
    assert rejected["part-001"]["row"].tolist() == [9, 10]
    assert rejected["part-001"]["reasons"].str.len().gt(0).all()
    # Together, the same predictions as the trained model gives the valid records.
    records = pd.concat(
        [
            load()
            for _, load in sorted(
                catalog.load(f"{variant}.new_records_partitioned").items()
            )
        ],
        ignore_index=True,
    )
    problem = fast_parameters[variant]["problem"]
    expected = model.predict(coerce_features(records.iloc[:20], problem))
    together = pd.concat([predicted["part-000"], predicted["part-001"]])
    if not task_for(problem).CATEGORICAL_TARGET:
        # numbers pass through CSV text, so they are compared approximately
        assert together["predicted"].tolist() == pytest.approx(list(expected))
    else:
        assert together["predicted"].tolist() == list(expected)


@pytest.mark.parametrize("variant", ["housing", "spam"])
def test_partitioned_new_records_are_read_only(variant: str) -> None:
    name = f"{variant}.new_records_partitioned"
    entry = _catalog_entry("new_records_partitioned", variant)
    catalog = DataCatalog.from_config({name: entry})
    folder = Path(entry["path"])
    before = sorted(folder.iterdir())
    with pytest.raises(DatasetError, match="read-only"):
        catalog.save(name, {"part-999": pd.DataFrame({"a": [1]})})
    assert sorted(folder.iterdir()) == before
