"""Which runs are tracked, and that tracking costs nothing until it is used."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from ml_workflow.core.config import Tracking
from ml_workflow.pipeline_registry import build_pipelines
from ml_workflow.tracking.hooks import trained_variants
from ml_workflow.tracking.tracker import Tracker

PIPELINES = build_pipelines(["housing", "spam"])


@pytest.mark.parametrize(
    ("name", "variants"),
    [
        ("__default__", ["housing", "spam"]),
        ("housing", ["housing"]),
        ("modelling", ["housing", "spam"]),
        ("data_processing", []),
        ("evaluation", []),  # reads the model, does not train one
        ("housing_inference", []),
        ("spam_inference_partitioned", []),
    ],
)
def test_a_run_is_tracked_for_each_variant_it_trains(name, variants):
    assert trained_variants(PIPELINES[name]) == variants


def test_importing_the_project_settings_does_not_import_mlflow():
    # Every kedro command loads settings.py; MLflow takes seconds to import.
    code = "import sys, ml_workflow.settings; print('mlflow' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip().splitlines()[-1] == "False"  # after Kedro's log


def test_process_wide_uri_is_put_back_with_the_environment(
    tracker: Tracker, monkeypatch: pytest.MonkeyPatch
):
    import mlflow  # noqa: PLC0415

    monkeypatch.setenv("MLFLOW_TRACKING_URI", "http://elsewhere:5000")
    mlflow.set_tracking_uri("http://elsewhere:5000")
    try:
        with tracker.process_wide():
            assert mlflow.get_tracking_uri() == tracker.uri
            assert os.environ["MLFLOW_TRACKING_URI"] == tracker.uri
        assert mlflow.get_tracking_uri() == "http://elsewhere:5000"
        assert os.environ["MLFLOW_TRACKING_URI"] == "http://elsewhere:5000"
    finally:
        mlflow.set_tracking_uri(None)  # no process-wide URI for later tests


class _Catalog:
    """Just enough catalog for ``before_pipeline_run``'s first checks."""

    def __init__(self, tracking: dict) -> None:
        self.tracking = Tracking.model_validate(tracking)

    def load(self, name: str):
        assert name == "params:tracking", f"read {name} before deciding to track"
        return self.tracking


def test_tracking_off_starts_nothing(tmp_path):
    from ml_workflow.tracking.hooks import MlflowTrackingHooks  # noqa: PLC0415

    hooks = MlflowTrackingHooks()
    run_params = {"project_path": str(tmp_path), "run_id": "r"}
    hooks.before_pipeline_run(
        run_params, PIPELINES["housing"], _Catalog({"enabled": False})
    )
    assert hooks._setup is None and not (tmp_path / "mlflow.db").exists()


def test_an_unreachable_server_raises_before_anything_starts(tmp_path):
    from ml_workflow.errors import TrackingError  # noqa: PLC0415
    from ml_workflow.tracking.hooks import MlflowTrackingHooks  # noqa: PLC0415
    from tests.process_group import free_loopback_port  # noqa: PLC0415

    hooks = MlflowTrackingHooks()
    uri = f"http://127.0.0.1:{free_loopback_port()}"
    with pytest.raises(TrackingError, match="is unreachable"):
        hooks.before_pipeline_run(
            {"project_path": str(tmp_path), "run_id": "r"},
            PIPELINES["housing"],
            _Catalog({"uri": uri, "connect_timeout": 2}),
        )
    assert hooks._setup is None  # no background setup, no run


def test_a_run_that_trains_nothing_reads_no_tracking_settings(tmp_path):
    from ml_workflow.tracking.hooks import MlflowTrackingHooks  # noqa: PLC0415

    class Untouchable:
        def load(self, name):
            raise AssertionError("a run that trains nothing must not read the catalog")

    MlflowTrackingHooks().before_pipeline_run(
        {"project_path": str(tmp_path)}, PIPELINES["data_processing"], Untouchable()
    )
