"""The real ``kedro run`` / ``kedro serve`` with tracking, in a copy of the project.

The housing variant runs with small budgets (``tests.budgets``) and two
candidates, the linear baseline and a decision tree, written to
``conf/local/parameters.yml``, so each run takes seconds of fitting. Tests run
in file order and build on each other: two runs with different ``--params``, a
deliberately worse run, serving and batch scoring, then the failure paths.
Every MLflow read goes through the MLflow client.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pandas as pd
import pytest
import yaml

from ml_workflow.datasets import SkopsModelDataset
from ml_workflow.pipelines.inference.nodes import score_records
from ml_workflow.variants import load_raw_parameters, load_variant_config
from tests.budgets import fast_budgets
from tests.process_group import free_loopback_port
from tests.project_copy import TEST_SETTINGS, copy_project
from tests.serving.conftest import start_server, stop_server

from .mlflow_server import MlflowServer

pytestmark = [pytest.mark.slow, pytest.mark.requires_variants("housing")]

FAST_CANDIDATES = ("linear_regression", "decision_tree")
SAMPLE_ROWS = 3000


def write_local(project: Path, candidates: tuple[str, ...] = FAST_CANDIDATES) -> None:
    """conf/local/parameters.yml: housing with small budgets and only
    ``candidates``, fitted in the run's own process (Kedro merges it over
    conf/base key by key; a list replaces)."""
    housing = fast_budgets(load_raw_parameters(project, env="base"))["housing"]
    housing["candidates"] = [
        c for c in housing["candidates"] if c["name"] in candidates
    ]
    path = project / "conf" / "local" / "parameters.yml"
    settings = {"compute": TEST_SETTINGS["compute"], "housing": housing}
    path.write_text(yaml.safe_dump(settings, sort_keys=False))


def environment(**extra: str) -> dict[str, str]:
    """The test's environment without a tracking URI of its own; a wide console,
    so Kedro's log lines are not wrapped (the tests look for phrases in them)."""
    env = {k: v for k, v in os.environ.items() if k != "MLFLOW_TRACKING_URI"}
    return {
        **env,
        "KEDRO_DISABLE_TELEMETRY": "1",
        "MLFLOW_DISABLE_TELEMETRY": "true",
        "COLUMNS": "1000",
        **extra,
    }


def kedro(project: Path, *arguments: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "kedro", *arguments],
        cwd=project,
        env=environment(**env),
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )


def output(result: subprocess.CompletedProcess) -> str:
    """Everything the command printed, whitespace runs as one space."""
    return " ".join((result.stdout + result.stderr).split())


@pytest.fixture(scope="module", autouse=True)
def mlflow_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MlflowServer]:
    """A real ``mlflow server`` on loopback, started first: it takes a while to
    come up (its own database migrations, then a worker process), and the
    local-backend tests run meanwhile."""
    server = MlflowServer(tmp_path_factory.mktemp("mlflow_server"))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("tracked"))
    # a seeded sample of the real data: these tests are about what reaches
    # MLflow and the registry, and each runs `kedro run` several times
    raw = root / "data" / "01_raw" / "california_housing.csv"
    pd.read_csv(raw).sample(n=SAMPLE_ROWS, random_state=0).to_csv(raw, index=False)
    write_local(root)
    return root


def client(project: Path) -> Any:
    from mlflow import MlflowClient  # noqa: PLC0415

    return MlflowClient(f"sqlite:///{project / 'mlflow.db'}")


def housing_runs(project: Path) -> list[Any]:
    """The housing experiment's runs, oldest first."""
    mlflow = client(project)
    experiment = mlflow.get_experiment_by_name("housing")
    if experiment is None:
        return []
    runs = mlflow.search_runs(
        [experiment.experiment_id], order_by=["attributes.start_time ASC"]
    )
    return list(runs)


def test_two_runs_with_different_params_are_two_mlflow_runs(project: Path) -> None:
    for n_iter in ("1", "2"):
        result = kedro(
            project,
            "run",
            "--pipelines",
            "housing",
            "--params",
            f"housing.model_selection.search.n_iter={n_iter}",
        )
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    first, second = housing_runs(project)
    assert [
        r.data.params["model_selection.search.n_iter"] for r in (first, second)
    ] == [
        "1",
        "2",
    ]
    assert first.info.status == second.info.status == "FINISHED"
    metrics = json.loads(
        (project / "data/08_reporting/housing/metrics.json").read_text()
    )
    assert second.data.metrics["test_r2"] == pytest.approx(metrics["test"]["r2"])
    assert second.data.metrics["baseline_rmse"] == pytest.approx(
        metrics["baseline"]["rmse"]
    )
    for candidate in FAST_CANDIDATES:
        assert f"cv_{candidate}_mean" in second.data.metrics
    tags = second.data.tags
    raw = project / "data/01_raw/california_housing.csv"
    assert tags["raw_data_sha256"] == hashlib.sha256(raw.read_bytes()).hexdigest()
    assert tags["chosen_candidate"] == metrics["model"]["name"]
    assert tags["diagnosis"] == metrics["diagnosis"]
    versions = sorted(
        p.name for p in (project / "data/06_models/housing/model.skops").iterdir()
    )
    assert tags["kedro.run_id"] == tags["kedro.model_version"] == versions[-1]
    assert json.loads(tags["kedro.runtime_params"]) == {
        "housing": {"model_selection": {"search": {"n_iter": 2}}}
    }

    mlflow = client(project)
    artifacts = Path(
        mlflow.download_artifacts(second.info.run_id, "", str(project / "dl"))
    )
    for name in (
        "reporting/report.md",
        "reporting/leaderboard.csv",
        "reporting/search_results.csv",
        "reporting/metrics.json",
        "reporting/figures/prediction_plot.png",
        "reporting/plots/prediction_plot.html",
        "models/model_summary.json",
        "parameters.json",
    ):
        assert (artifacts / name).is_file(), name
    registered = mlflow.search_model_versions("name = 'housing'")
    assert sorted(int(v.version) for v in registered) == [1, 2]


def test_the_logged_model_is_the_skops_file_and_never_a_pickle(project: Path) -> None:
    import mlflow  # noqa: PLC0415

    version = client(project).get_model_version("housing", "2")
    files = [p for p in (project / "mlruns").rglob("*") if p.is_file()]
    assert not [p for p in files if p.suffix in (".pkl", ".pickle")]
    model_id = version.source.removeprefix("models:/")  # MLflow's logged model
    (logged,) = [p for p in files if p.name == "model.skops" and model_id in str(p)]
    kedro_file = (
        project
        / "data/06_models/housing/model.skops"
        / version.tags["kedro_model_version"]
        / "model.skops"
    )
    assert logged.read_bytes() == kedro_file.read_bytes()
    model_dir = logged.parents[1]
    assert (model_dir / "input_example.json").is_file()
    mlmodel = yaml.safe_load((model_dir / "MLmodel").read_text())
    assert mlmodel["signature"]["inputs"]
    example = mlflow.models.Model.load(model_dir).load_input_example(model_dir)
    assert list(example.columns)[:2] == ["longitude", "latitude"]
    mlflow.set_tracking_uri(f"sqlite:///{project / 'mlflow.db'}")
    try:
        loaded = mlflow.pyfunc.load_model("models:/housing/2")  # no pickle to allow
        expected = SkopsModelDataset(filepath=str(kedro_file)).load().predict(example)
        assert list(loaded.predict(example)) == pytest.approx(list(expected))
    finally:
        mlflow.set_tracking_uri(None)


def _aliases(project: Path) -> dict[str, int]:
    return client(project).get_registered_model("housing").aliases


def test_a_worse_model_is_registered_as_challenger_and_not_served(
    project: Path,
) -> None:
    champion = _aliases(project)["champion"]
    write_local(project, ("linear_regression",))
    try:
        result = kedro(project, "run", "--pipelines", "housing")
    finally:
        write_local(project)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "registered housing version 3 as challenger" in output(result)
    assert _aliases(project) == {"champion": champion, "challenger": 3}
    worse = housing_runs(project)[-1]
    assert worse.data.tags["registry.alias"] == "challenger"
    assert "< champion" in worse.data.tags["registry.reason"]

    mlflow = client(project)
    served = mlflow.get_model_version("housing", str(champion))
    # the real `kedro serve`; this project trains housing only, so spam has no
    # model and the server as a whole is (rightly) never ready
    server = start_server(project, ready="/v2/models/housing/ready")
    try:
        described = httpx.get(f"{server['url']}/variants/housing", timeout=30).json()
        record = pd.read_csv(project / "data/01_raw/housing_new_records.csv").head(1)
        body = json.loads(record.to_json(orient="records"))
        answer = httpx.post(
            f"{server['url']}/variants/housing/predict", json=body, timeout=30
        ).json()
    finally:
        stop_server(server["process"])
    assert described["model"]["registry"]["version"] == champion
    assert described["model"]["registry"]["aliases"] == ["champion"]
    assert described["model"]["version"] == served.tags["kedro_model_version"]
    assert described["metrics"]["test"]["r2"] == pytest.approx(
        float(served.tags["test_score"])
    )
    assert answer["registry_version"] == champion
    assert answer["model_version"] == served.tags["kedro_model_version"]


def _predictions_of(project: Path, version: Any) -> pd.Series:
    """What a registry version's model file predicts for the example records."""
    config = load_variant_config("housing", project)
    path = (
        project
        / "data/06_models/housing/model.skops"
        / version.tags["kedro_model_version"]
        / "model.skops"
    )
    model = SkopsModelDataset(filepath=str(path)).load()
    records = pd.read_csv(project / "data/01_raw/housing_new_records.csv")
    predictions, _ = score_records(records, model, config.problem, config.data_schema)
    return predictions["predicted"]


@pytest.mark.parametrize(("selector", "alias"), [(None, "champion"), ("latest", None)])
def test_batch_scoring_uses_the_version_tracking_serve_selects(
    project: Path, selector: str | None, alias: str | None
) -> None:
    arguments = ["run", "--pipelines", "housing_inference"]
    if selector:
        arguments += ["--params", f"tracking.serve={selector}"]
    result = kedro(project, *arguments)
    assert result.returncode == 0, result.stderr[-3000:]
    mlflow = client(project)
    version = (
        mlflow.get_model_version_by_alias("housing", alias)
        if alias
        else mlflow.get_model_version("housing", "3")
    )
    assert f"scoring with housing version {version.version}" in output(result)
    scored = pd.read_csv(project / "data/07_model_output/housing/predictions.csv")
    expected = _predictions_of(project, version)
    assert scored["predicted"].tolist() == pytest.approx(expected.tolist())


def test_a_run_that_fails_late_changes_neither_the_registry_nor_the_champion(
    project: Path,
) -> None:
    before = (
        _aliases(project),
        len(client(project).search_model_versions("name = 'housing'")),
    )
    # The report (the last node) cannot be written: its folder would sit under a file.
    catalog = project / "conf" / "local" / "catalog.yml"
    catalog.write_text(
        yaml.safe_dump(
            {
                "housing.report": {
                    "type": "text.TextDataset",
                    "filepath": "data/01_raw/california_housing.csv/report.md",
                }
            }
        )
    )
    try:
        result = kedro(project, "run", "--pipelines", "housing")
    finally:
        catalog.unlink()
    assert result.returncode != 0
    failed = housing_runs(project)[-1]
    assert failed.info.status == "FAILED"
    assert "the kedro run failed" in failed.data.tags["error"]
    after = (
        _aliases(project),
        len(client(project).search_model_versions("name = 'housing'")),
    )
    assert after == before


def test_an_unreachable_server_stops_the_run_before_any_node(project: Path) -> None:
    cleaned = project / "data/02_intermediate/housing/cleaned.parquet"
    touched = cleaned.stat().st_mtime_ns
    runs = len(housing_runs(project))
    unreachable = f"http://127.0.0.1:{free_loopback_port()}"
    result = kedro(
        project, "run", "--pipelines", "housing", MLFLOW_TRACKING_URI=unreachable
    )
    assert result.returncode != 0
    text = output(result)
    assert f"the MLflow tracking server {unreachable} is unreachable" in text
    assert "Running node" not in text
    assert cleaned.stat().st_mtime_ns == touched
    assert len(housing_runs(project)) == runs


def test_on_unreachable_local_tracks_in_the_project_one_run_per_thread_runner(
    project: Path,
) -> None:
    runs = len(housing_runs(project))
    unreachable = f"http://127.0.0.1:{free_loopback_port()}"
    result = kedro(
        project,
        "run",
        "--pipelines",
        "housing",
        "--to-outputs",
        "housing.model",
        "--runner",
        "ThreadRunner",
        "--params",
        "tracking.on_unreachable=local",
        MLFLOW_TRACKING_URI=unreachable,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "tracking in the project's own" in output(result)
    new = housing_runs(project)[runs:]
    assert len(new) == 1  # threads log nothing of their own
    assert new[0].data.tags["registry.status"].startswith("not registered")


def test_cross_validation_on_a_dask_cluster_is_logged_once_by_the_driver(
    project: Path,
) -> None:
    pytest.importorskip("distributed")
    from tests.dask_cluster import local_cluster  # noqa: PLC0415

    runs = len(housing_runs(project))
    with local_cluster(n_workers=1) as cluster:
        result = kedro(
            project,
            "run",
            "--pipelines",
            "housing",
            "--to-outputs",
            "housing.model",
            "--params",
            f"compute.cluster.scheduler={cluster.scheduler_address}",
        )
    assert result.returncode == 0, result.stderr[-3000:]
    new = housing_runs(project)[runs:]
    assert len(new) == 1
    assert new[0].data.params["compute.cluster.scheduler"] == (
        cluster.scheduler_address
    )


def test_a_team_server_receives_the_run_and_the_project_file_is_untouched(
    project: Path, mlflow_server: MlflowServer
) -> None:
    from mlflow import MlflowClient  # noqa: PLC0415

    url = mlflow_server.url()  # waits until it answers
    local = project / "mlflow.db"
    touched = local.stat().st_mtime_ns if local.exists() else None
    result = kedro(project, "run", "--pipelines", "housing", MLFLOW_TRACKING_URI=url)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert f"Tracking housing in MLflow at {url}" in output(result)
    remote = MlflowClient(url)
    (run,) = remote.search_runs(
        [remote.get_experiment_by_name("housing").experiment_id]
    )
    assert run.info.status == "FINISHED"
    assert "test_r2" in run.data.metrics
    aliases = remote.get_registered_model("housing").aliases
    assert {alias: int(version) for alias, version in aliases.items()} == {
        "champion": 1
    }
    assert "reporting/report.md" in {
        a.path for a in remote.list_artifacts(run.info.run_id, "reporting")
    }
    stored = list(mlflow_server.artifacts.rglob("model.skops"))
    assert len(stored) == 1, "the model went to the server's artifact store"
    assert (local.stat().st_mtime_ns if local.exists() else None) == touched
