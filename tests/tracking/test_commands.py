"""``kedro experiments compare`` and ``promote`` on a project's own registry."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner

from ml_workflow.cli import cli
from ml_workflow.core.config import Tracking
from ml_workflow.tracking.location import local_tracking_uri
from ml_workflow.tracking.model import LoggedModel
from ml_workflow.tracking.registry import register_model
from ml_workflow.tracking.tracker import connect
from tests.serving.conftest import make_project

from .conftest import with_empty_mlflow_db
from .test_registry import REGRESSION


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory, empty_mlflow_db: Path) -> Path:
    """conf/ of this project, and ``housing`` registered twice in its mlflow.db:
    version 1 champion (r2 0.8), version 2 challenger (r2 0.5)."""
    root = make_project(tmp_path_factory.mktemp("commands"))
    with_empty_mlflow_db(root, empty_mlflow_db)
    tracker = connect(Tracking(uri=local_tracking_uri(root)), root)
    experiment = tracker.experiment_id("housing")
    for index, score in enumerate((0.8, 0.5)):
        run = tracker.client.create_run(
            experiment, tags={"primary_metric": "r2", "chosen_candidate": f"c{index}"}
        )
        run_id = run.info.run_id
        tracker.client.log_param(run_id, "model_selection.search.n_iter", index + 1)
        tracker.client.log_metric(run_id, "test_r2", score)
        model = tracker.client.create_logged_model(experiment, source_run_id=run_id)
        logged = LoggedModel(model.model_id, f"models:/{model.model_id}", "v", "")
        register_model(tracker, "housing", run_id, logged, REGRESSION, "r2", score)
    return root


def invoke(project: Path, *arguments: str):
    metadata = SimpleNamespace(project_path=project)
    return CliRunner().invoke(cli, ["experiments", *arguments], obj=metadata)


def test_compare_prints_the_runs_with_their_registry_version(project: Path):
    result = invoke(project, "compare", "housing")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "model_selection.search.n_iter" in lines[0]  # differs between the runs
    assert "v2 challenger" in lines[1] and "0.5" in lines[1]  # newest first
    assert "v1 champion" in lines[2] and "0.8" in lines[2]
    untracked = invoke(project, "compare", "spam")
    assert untracked.exit_code == 0 and "No tracked runs of 'spam'" in untracked.output


def test_promote_moves_the_champion_and_refuses_an_unknown_version(project: Path):
    result = invoke(project, "promote", "housing", "2")
    assert result.exit_code == 0, result.output
    assert "housing version 2 is now the champion" in result.output
    table = invoke(project, "compare", "housing").output.splitlines()
    assert "v2 champion" in table[1] and "challenger" not in table[1]
    assert "champion" not in table[2]
    missing = invoke(project, "promote", "housing", "9")
    assert missing.exit_code == 1
    assert "Error: the registered model 'housing' has no version 9" in missing.output
