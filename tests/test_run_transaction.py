"""RunTransactionHooks on hand-made catalogs: results restored, working data
kept, new results stashed and brought back by a resume of the same command."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from kedro.io import DataCatalog
from kedro.pipeline import Node, Pipeline

from ml_workflow.run_transaction import RunTransactionHooks, is_result, layer_of


def _identity(value: Any) -> Any:
    return value


def _catalog(folder: Path) -> DataCatalog:
    def entry(name: str, layer: str | None) -> dict[str, Any]:
        config: dict[str, Any] = {
            "type": "json.JSONDataset",
            "filepath": str(folder / f"{name}.json"),
        }
        if layer:
            config["metadata"] = {"kedro-viz": {"layer": layer}}
        return config

    return DataCatalog.from_config(
        {
            "cleaned": entry("cleaned", "intermediate"),
            "metrics": entry("metrics", "reporting"),
            "report": entry("report", "reporting"),
            "unlabelled": entry("unlabelled", None),
        }
    )


PIPELINE = Pipeline(
    [
        Node(_identity, "raw", "cleaned", name="clean"),
        Node(_identity, "cleaned", "metrics", name="evaluate"),
        Node(_identity, "metrics", "report", name="write_report"),
    ]
)


def _params(project: Path, **extra: Any) -> dict[str, Any]:
    return {"project_path": str(project), "pipeline_names": ["p"], **extra}


def _run(
    hooks: RunTransactionHooks,
    catalog: DataCatalog,
    pipeline: Pipeline,
    run_params: dict[str, Any],
    saves: dict[str, Any],
    fail: bool,
) -> None:
    """What a Kedro run does, as far as the hooks see it."""
    hooks.before_pipeline_run(run_params=run_params, pipeline=pipeline, catalog=catalog)
    for name, value in saves.items():
        catalog.save(name, value)
        hooks.after_dataset_saved(dataset_name=name)
    if fail:
        hooks.on_pipeline_error(error=RuntimeError("boom"), run_params=run_params)
    else:
        hooks.after_pipeline_run(run_params=run_params)


def _good_then_failed_run(
    hooks: RunTransactionHooks, catalog: DataCatalog, project: Path
) -> None:
    """A run that saves every output (value 1), then one that saves cleaned and
    metrics (value 2) and fails in write_report."""
    _run(
        hooks,
        catalog,
        PIPELINE,
        _params(project),
        {"cleaned": 1, "metrics": 1, "report": 1},
        fail=False,
    )
    _run(
        hooks,
        catalog,
        PIPELINE,
        _params(project),
        {"cleaned": 2, "metrics": 2},
        fail=True,
    )


def _read(folder: Path, name: str) -> Any:
    path = folder / f"{name}.json"
    return json.loads(path.read_text()) if path.exists() else None


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "data").mkdir()
    return tmp_path


def test_the_layer_decides_what_a_failed_run_keeps(project: Path) -> None:
    catalog = _catalog(project / "data")
    assert layer_of(catalog["cleaned"]) == "intermediate"
    assert not is_result(catalog["cleaned"])
    assert is_result(catalog["metrics"])
    assert is_result(catalog["unlabelled"])  # no layer: the safe side


def test_a_failed_run_restores_results_and_keeps_working_data(project: Path) -> None:
    data = project / "data"
    catalog = _catalog(data)
    hooks = RunTransactionHooks()
    _good_then_failed_run(hooks, catalog, project)
    assert _read(data, "cleaned") == 2  # working data: the resume reads it
    assert _read(data, "metrics") == 1  # results: as before the run
    assert _read(data, "report") == 1
    manifest = json.loads((data / ".resume" / "manifest.json").read_text())
    assert sorted(manifest["entries"]) == ["metrics"]  # report was never saved
    assert manifest["selection"]["pipeline_names"] == ["p"]


def test_a_first_run_that_fails_leaves_no_result(project: Path) -> None:
    data = project / "data"
    catalog = _catalog(data)
    _run(
        RunTransactionHooks(),
        catalog,
        PIPELINE,
        _params(project),
        {"cleaned": 2, "metrics": 2},
        fail=True,
    )
    assert _read(data, "cleaned") == 2
    assert _read(data, "metrics") is None
    assert _read(data, "report") is None


def test_an_unfinished_save_of_working_data_is_undone(project: Path) -> None:
    data = project / "data"
    catalog = _catalog(data)
    hooks = RunTransactionHooks()
    _run(hooks, catalog, PIPELINE, _params(project), {"cleaned": 1}, fail=False)
    hooks.before_pipeline_run(
        run_params=_params(project), pipeline=PIPELINE, catalog=catalog
    )
    catalog.save("cleaned", 2)  # written, but the save did not complete
    hooks.on_pipeline_error(error=RuntimeError("boom"), run_params=_params(project))
    assert _read(data, "cleaned") == 1


def test_a_resume_brings_back_the_results_of_the_nodes_it_skips(
    project: Path,
) -> None:
    data = project / "data"
    catalog = _catalog(data)
    hooks = RunTransactionHooks()
    _good_then_failed_run(hooks, catalog, project)
    resume = PIPELINE.from_nodes("write_report")
    resume_params = _params(project, from_nodes=["write_report"])

    # The resume fails again: the earlier results are back, the stash intact.
    _run(hooks, catalog, resume, resume_params, {}, fail=True)
    assert (_read(data, "metrics"), _read(data, "report")) == (1, 1)
    assert (data / ".resume" / "manifest.json").exists()

    # The resume succeeds: the failed run's metrics stand beside the new report.
    _run(hooks, catalog, resume, resume_params, {"report": 2}, fail=False)
    assert (_read(data, "metrics"), _read(data, "report")) == (2, 2)
    assert not (data / ".resume").exists()


def test_a_run_of_another_command_does_not_use_the_stash(project: Path) -> None:
    data = project / "data"
    catalog = _catalog(data)
    hooks = RunTransactionHooks()
    _good_then_failed_run(hooks, catalog, project)
    other = _params(project, from_nodes=["write_report"], pipeline_names=["other"])
    _run(
        hooks,
        catalog,
        PIPELINE.from_nodes("write_report"),
        other,
        {"report": 3},
        fail=False,
    )
    assert _read(data, "metrics") == 1  # not the failed run's
    assert (data / ".resume" / "manifest.json").exists()  # still there to resume


def test_a_successful_run_drops_the_stashed_results_it_replaced(
    project: Path,
) -> None:
    data = project / "data"
    catalog = _catalog(data)
    hooks = RunTransactionHooks()
    _run(
        hooks,
        catalog,
        PIPELINE,
        _params(project),
        {"cleaned": 2, "metrics": 2},
        fail=True,
    )
    assert (data / ".resume").exists()
    _run(
        hooks,
        catalog,
        PIPELINE,
        _params(project),
        {"cleaned": 3, "metrics": 3, "report": 3},
        fail=False,
    )
    assert not (data / ".resume").exists()
    assert _read(data, "metrics") == 3


def test_without_a_project_path_nothing_is_stashed(tmp_path: Path) -> None:
    data = tmp_path / "data"
    catalog = _catalog(data)
    hooks = RunTransactionHooks()
    _run(hooks, catalog, PIPELINE, {}, {"cleaned": 2, "metrics": 2}, fail=True)
    assert _read(data, "metrics") is None
    assert not (data / ".resume").exists()


def _versioned_catalog(folder: Path, save_version: str) -> DataCatalog:
    """A versioned ``model`` (layer models) and an unversioned ``report``."""
    return DataCatalog.from_config(
        {
            "model": {
                "type": "json.JSONDataset",
                "filepath": str(folder / "model.json"),
                "versioned": True,
                "metadata": {"kedro-viz": {"layer": "models"}},
            },
            "report": {
                "type": "json.JSONDataset",
                "filepath": str(folder / "report.json"),
                "metadata": {"kedro-viz": {"layer": "reporting"}},
            },
        },
        save_version=save_version,
    )


VERSIONED = Pipeline(
    [
        Node(_identity, "raw", "model", name="train"),
        Node(_identity, "model", "report", name="write_report"),
    ]
)


def _versions(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_a_failed_run_stashes_its_new_model_version_for_the_resume(
    project: Path,
) -> None:
    data = project / "data"
    models = data / "model.json"
    hooks = RunTransactionHooks()
    _run(
        hooks,
        _versioned_catalog(data, "2026-01-01T00.00.00.000Z"),
        VERSIONED,
        _params(project),
        {"model": 1, "report": 1},
        fail=False,
    )
    _run(
        hooks,
        _versioned_catalog(data, "2026-01-02T00.00.00.000Z"),
        VERSIONED,
        _params(project),
        {"model": 2},
        fail=True,
    )
    assert _versions(models) == ["2026-01-01T00.00.00.000Z"]  # serving sees v1
    assert _read(data, "report") == 1

    resume_params = _params(project, from_nodes=["write_report"])
    _run(
        hooks,
        _versioned_catalog(data, "2026-01-03T00.00.00.000Z"),
        VERSIONED.from_nodes("write_report"),
        resume_params,
        {"report": 2},
        fail=False,
    )
    assert _versions(models) == [
        "2026-01-01T00.00.00.000Z",
        "2026-01-02T00.00.00.000Z",  # the failed run's model, back as the latest
    ]
    latest = models / "2026-01-02T00.00.00.000Z" / "model.json"
    assert json.loads(latest.read_text()) == 2
    assert not (data / ".resume").exists()


def test_a_failed_first_run_leaves_no_model_folder(project: Path) -> None:
    data = project / "data"
    _run(
        RunTransactionHooks(),
        _versioned_catalog(data, "2026-01-02T00.00.00.000Z"),
        VERSIONED,
        {},
        {"model": 2},
        fail=True,
    )
    assert not (data / "model.json").exists()


def test_outputs_without_local_files_are_left_alone(project: Path) -> None:
    """A remote entry (whose file system is not even installed) and a memory
    dataset have no local file to back up; the run still restores the rest."""
    data = project / "data"
    config = {
        "remote": {"type": "json.JSONDataset", "filepath": "s3://bucket/x.json"},
        "report": {"type": "json.JSONDataset", "filepath": str(data / "report.json")},
    }
    catalog = DataCatalog.from_config(config)
    pipeline = Pipeline(
        [
            Node(_identity, "raw", "remote", name="a"),
            Node(_identity, "raw", "in_memory", name="b"),
            Node(_identity, "raw", "report", name="c"),
        ]
    )
    _run(RunTransactionHooks(), catalog, pipeline, {}, {"report": 1}, fail=True)
    assert _read(data, "report") is None
