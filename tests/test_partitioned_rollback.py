"""A failed run leaves a partitioned output folder as it was (RunTransactionHooks)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from kedro.io import DataCatalog
from kedro.pipeline import Node, Pipeline

from ml_workflow.hooks import RunTransactionHooks


def _identity(frame: pd.DataFrame) -> dict[str, pd.DataFrame]:
    return {"part": frame}


def test_failed_run_restores_the_partitioned_output_folder(tmp_path: Path) -> None:
    folder = tmp_path / "predictions_partitioned"
    folder.mkdir()
    (folder / "old.csv").write_text("row,predicted\n0,1.5\n")
    catalog = DataCatalog.from_config(
        {
            "scored": {
                "type": "partitions.PartitionedDataset",
                "path": str(folder),
                "dataset": {"type": "pandas.CSVDataset"},
                "filename_suffix": ".csv",
                "overwrite": True,
            }
        }
    )
    pipeline = Pipeline([Node(_identity, "records", "scored", name="score")])
    hooks = RunTransactionHooks()
    hooks.before_pipeline_run(run_params={}, pipeline=pipeline, catalog=catalog)
    # The run overwrites the folder (old partition deleted), then fails.
    catalog.save("scored", {"new": pd.DataFrame({"predicted": [2.0]})})
    assert sorted(p.name for p in folder.iterdir()) == ["new.csv"]
    hooks.on_pipeline_error(error=RuntimeError("boom"), run_params={})
    assert sorted(p.name for p in folder.iterdir()) == ["old.csv"]
    assert (folder / "old.csv").read_text() == "row,predicted\n0,1.5\n"


def test_failed_first_run_removes_the_partitioned_folder_it_created(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "rejects_partitioned"
    catalog = DataCatalog.from_config(
        {
            "rejects": {
                "type": "partitions.PartitionedDataset",
                "path": str(folder),
                "dataset": {"type": "pandas.CSVDataset"},
                "filename_suffix": ".csv",
            }
        }
    )
    pipeline = Pipeline([Node(_identity, "records", "rejects", name="reject")])
    hooks = RunTransactionHooks()
    hooks.before_pipeline_run(run_params={}, pipeline=pipeline, catalog=catalog)
    catalog.save("rejects", {"a": pd.DataFrame({"reasons": ["bad"]})})
    hooks.on_pipeline_error(error=RuntimeError("boom"), run_params={})
    assert not folder.exists()
