"""One throw-away project with its own MLflow SQLite file for the tracking tests.

Creating an MLflow database runs its schema migrations (seconds), so the file
is made once per session; each test uses its own variant names (experiments,
registered models) in it.
"""

from __future__ import annotations

import itertools
import os
from pathlib import Path

import pytest

from ml_workflow.core.config import Tracking
from ml_workflow.tracking.location import local_tracking_uri
from ml_workflow.tracking.tracker import Tracker, connect

os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
_names = itertools.count()


@pytest.fixture(scope="session")
def tracked_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("tracked_project")


@pytest.fixture(scope="session")
def session_tracker(tracked_project: Path) -> Tracker:
    """A client of ``tracked_project``'s own mlflow.db (created here)."""
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
