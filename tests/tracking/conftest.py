"""One throw-away project with its own MLflow SQLite file for the tracking tests.

Creating an MLflow database runs its schema migrations (about a second of
CPU), so the file is made once per session; each test uses its own variant
names (experiments, registered models) in it. Each xdist worker has its own
file (SQLite and two writing processes do not mix), copied from an empty one
made once per session (``empty_mlflow_db``).
"""

from __future__ import annotations

import itertools
import os
import shutil
from pathlib import Path

import pytest

from ml_workflow.core.config import Tracking
from ml_workflow.tracking.location import LOCAL_DATABASE, local_tracking_uri
from ml_workflow.tracking.tracker import Tracker, connect
from tests.once import built_once, shared_folder

os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
_names = itertools.count()


@pytest.fixture(scope="session")
def tracked_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("tracked_project")


@pytest.fixture(scope="session")
def empty_mlflow_db(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Path:
    """An MLflow SQLite file with its schema made and nothing tracked, made
    once per session: a copy of it in a project is what connecting to the
    project's own mlflow.db would create there."""

    def build(project: Path) -> None:
        connect(Tracking(uri=local_tracking_uri(project)), project)

    folder = shared_folder(tmp_path_factory, worker_id) / "empty_mlflow_db"
    return built_once(folder, build) / LOCAL_DATABASE


def with_empty_mlflow_db(project: Path, empty_mlflow_db: Path) -> Path:
    """``project`` with a copy of ``empty_mlflow_db`` as its own mlflow.db."""
    shutil.copyfile(empty_mlflow_db, project / LOCAL_DATABASE)
    return project


@pytest.fixture(scope="session")
def session_tracker(tracked_project: Path, empty_mlflow_db: Path) -> Tracker:
    """A client of ``tracked_project``'s own mlflow.db."""
    with_empty_mlflow_db(tracked_project, empty_mlflow_db)
    settings = Tracking(uri=local_tracking_uri(tracked_project))
    return connect(settings, tracked_project)


@pytest.fixture
def tracker(session_tracker: Tracker) -> Tracker:
    """The session's client with the default settings (tolerance 0)."""
    return Tracker(
        uri=session_tracker.uri,
        client=session_tracker.client,
        settings=Tracking(uri=session_tracker.uri),
        project_path=session_tracker.project_path,
    )


@pytest.fixture
def variant() -> str:
    """A variant name no other test uses (its experiment and registered model)."""
    return f"variant_{next(_names)}"
