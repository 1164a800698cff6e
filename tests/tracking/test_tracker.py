"""Reaching the tracking backend: fail fast, or fall back to the project's file."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from ml_workflow.core.config import Tracking
from ml_workflow.errors import TrackingError
from ml_workflow.tracking.location import local_tracking_uri
from ml_workflow.tracking.tracker import Tracker, check_reachable, choose_uri
from tests.process_group import free_loopback_port


def _closed_port_uri() -> str:
    return f"http://127.0.0.1:{free_loopback_port()}"


def test_a_server_that_is_not_listening_is_refused_with_what_to_do():
    uri = _closed_port_uri()
    with pytest.raises(TrackingError, match="is unreachable") as raised:
        check_reachable(uri, timeout=2)
    assert uri in str(raised.value)
    assert "tracking.on_unreachable: local" in str(raised.value)


def test_local_backends_are_not_probed_here(tmp_path: Path):
    check_reachable(local_tracking_uri(tmp_path), timeout=0.01)


def test_on_unreachable_local_falls_back_to_the_project_file_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
):
    settings = Tracking(uri=_closed_port_uri(), on_unreachable="local")
    with caplog.at_level(logging.WARNING):
        assert choose_uri(settings, tmp_path) == local_tracking_uri(tmp_path)
    assert "tracking in the project's own" in caplog.text
    with pytest.raises(TrackingError):
        choose_uri(Tracking(uri=settings.uri), tmp_path)


def test_local_experiments_keep_their_artifacts_in_the_project(
    tracker: Tracker, variant: str
):
    experiment = tracker.client.get_experiment(tracker.experiment_id(variant))
    assert tracker.local
    expected = (tracker.project_path / "mlruns" / variant).resolve().as_uri()
    assert experiment.artifact_location == expected
    assert tracker.experiment_id(variant) == experiment.experiment_id  # found again
