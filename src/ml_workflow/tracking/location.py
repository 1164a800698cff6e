"""Where the tracking backend lives: the project's SQLite file unless told otherwise.

MLflow 3's default backend is a SQLite file, so the project keeps ``mlflow.db``
and ``mlruns/`` at its root (git-ignored) and ``mlflow ui`` there needs no
arguments. ``tracking.uri`` or ``MLFLOW_TRACKING_URI`` point at a team server.
"""

from __future__ import annotations

import os
from pathlib import Path

from ml_workflow.core.config import Tracking

LOCAL_DATABASE = "mlflow.db"  # MLflow's own default file name: `mlflow ui` finds it
_SQLITE = "sqlite:///"


def local_tracking_uri(project_path: Path) -> str:
    """The project's own SQLite backend, as an absolute ``sqlite:///`` URI."""
    return f"{_SQLITE}{(project_path / LOCAL_DATABASE).resolve().as_posix()}"


def local_artifact_root(settings: Tracking, project_path: Path) -> Path:
    """Where the local backend keeps run artifacts (relative to the project)."""
    root = Path(settings.artifact_root)
    return root if root.is_absolute() else (project_path / root).resolve()


def resolve_tracking_uri(settings: Tracking, project_path: Path) -> str:
    """``tracking.uri``, else ``$MLFLOW_TRACKING_URI``, else the project's SQLite file.

    A relative SQLite path is taken relative to the project, not the working
    directory, so a run and ``kedro serve`` started elsewhere agree.
    """
    uri = settings.uri or os.environ.get("MLFLOW_TRACKING_URI")
    if not uri:
        return local_tracking_uri(project_path)
    if uri.startswith(_SQLITE) and not uri.removeprefix(_SQLITE).startswith("/"):
        relative = uri.removeprefix(_SQLITE)
        return f"{_SQLITE}{(project_path / relative).resolve().as_posix()}"
    return uri


def is_local_uri(uri: str, project_path: Path) -> bool:
    """Whether ``uri`` is the project's own SQLite file."""
    return uri == local_tracking_uri(project_path)


__all__ = [
    "LOCAL_DATABASE",
    "is_local_uri",
    "local_artifact_root",
    "local_tracking_uri",
    "resolve_tracking_uri",
]
