"""Which model version a variant serves, and loading exactly that file."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from kedro.io import DataCatalog, Version
from sklearn.dummy import DummyRegressor

from ml_workflow.core.config import Tracking
from ml_workflow.datasets import SkopsModelDataset
from ml_workflow.errors import TrackingError
from ml_workflow.tracking.model import LoggedModel
from ml_workflow.tracking.registry import register_model
from ml_workflow.tracking.served import (
    LATEST_FILE,
    registry_tracker,
    served_model,
    served_model_dataset,
)
from ml_workflow.tracking.tracker import Tracker

from .test_registry import REGRESSION

VERSIONS = ("2026-01-01T00.00.00.000Z", "2026-01-02T00.00.00.000Z")


def _settings(tracker: Tracker, **overrides) -> Tracking:
    return Tracking(uri=tracker.uri, **overrides)


def _register(tracker: Tracker, variant: str, kedro_version: str, score: float):
    experiment = tracker.experiment_id(variant)
    run_id = tracker.client.create_run(experiment).info.run_id
    model = tracker.client.create_logged_model(experiment, source_run_id=run_id)
    logged = LoggedModel(model.model_id, f"models:/{model.model_id}", kedro_version, "")
    return register_model(tracker, variant, run_id, logged, REGRESSION, "r2", score)


@pytest.fixture
def registered(tracker: Tracker, variant: str) -> str:
    """``variant`` with version 1 (champion, r2 0.8) and 2 (challenger, 0.5)."""
    _register(tracker, variant, VERSIONS[0], 0.8)
    _register(tracker, variant, VERSIONS[1], 0.5)
    return variant


def test_the_champion_is_served_by_default(tracker: Tracker, registered: str):
    choice = served_model(registered, _settings(tracker), tracker.project_path, tracker)
    assert (choice.registry_version, choice.kedro_version) == (1, VERSIONS[0])
    assert choice.aliases == ("champion",) and choice.selector == "champion"
    assert choice.run_id


@pytest.mark.parametrize(
    ("selector", "version", "kedro_version"),
    [("latest", 2, VERSIONS[1]), (1, 1, VERSIONS[0]), ("challenger", 2, VERSIONS[1])],
)
def test_latest_a_number_or_another_alias_can_be_served(
    tracker: Tracker, registered: str, selector, version, kedro_version
):
    settings = _settings(tracker, serve_overrides={registered: selector})
    choice = served_model(registered, settings, tracker.project_path, tracker)
    assert (choice.registry_version, choice.kedro_version) == (version, kedro_version)


def test_a_missing_version_or_alias_is_an_error(tracker: Tracker, registered: str):
    for selector, message in ((7, "has no such version"), ("gold", "has that alias")):
        settings = _settings(tracker, serve=selector)
        with pytest.raises(TrackingError, match=message):
            served_model(registered, settings, tracker.project_path, tracker)


def test_an_unregistered_variant_serves_its_latest_file_unless_a_number_is_asked(
    tracker: Tracker, variant: str, caplog: pytest.LogCaptureFixture
):
    with caplog.at_level(logging.WARNING):
        choice = served_model(
            variant, _settings(tracker), tracker.project_path, tracker
        )
    assert choice.selector == LATEST_FILE and choice.kedro_version is None
    assert "is registered" in caplog.text
    with pytest.raises(TrackingError, match="no model named"):
        served_model(
            variant, _settings(tracker, serve=2), tracker.project_path, tracker
        )


def test_a_version_registered_elsewhere_without_a_kedro_version_is_refused(
    tracker: Tracker, variant: str
):
    experiment = tracker.experiment_id(variant)
    run_id = tracker.client.create_run(experiment).info.run_id
    model = tracker.client.create_logged_model(experiment, source_run_id=run_id)
    tracker.client.create_registered_model(variant)
    with tracker.process_wide():
        tracker.client.create_model_version(
            variant, f"models:/{model.model_id}", run_id, model_id=model.model_id
        )
    settings = _settings(tracker, serve=1)
    with pytest.raises(TrackingError, match="has no 'kedro_model_version' tag"):
        served_model(variant, settings, tracker.project_path, tracker)


def test_without_tracking_or_a_database_the_latest_file_is_served(tmp_path: Path):
    off = Tracking(enabled=False)
    assert served_model("housing", off, tmp_path).selector == LATEST_FILE
    assert registry_tracker(Tracking(), tmp_path) is None
    assert served_model("housing", Tracking(), tmp_path).kedro_version is None
    assert not (tmp_path / "mlflow.db").exists(), "looking must not create the file"


def _catalog(tmp_path: Path) -> DataCatalog:
    """Two saved versions of ``v.model``: a model predicting 1.0, then 2.0."""
    path = str(tmp_path / "model.skops")
    for version, constant in zip(VERSIONS, (1.0, 2.0), strict=True):
        model = DummyRegressor(strategy="constant", constant=constant).fit([[0]], [0])
        SkopsModelDataset(filepath=path, version=Version(None, version)).save(model)
    return DataCatalog(
        {"v.model": SkopsModelDataset(filepath=path, version=Version(None, None))}
    )


def _choice(kedro_version: str | None, sha256: str | None = None):
    from ml_workflow.tracking.served import ServedModel  # noqa: PLC0415

    return ServedModel(
        variant="v",
        selector="champion",
        kedro_version=kedro_version,
        registered_model="v",
        registry_version=1 if kedro_version else None,
        sha256=sha256,
    )


def test_the_pinned_dataset_loads_exactly_the_served_version(tmp_path: Path):
    catalog = _catalog(tmp_path)
    sidecar = tmp_path / "model.skops" / VERSIONS[0] / "model.skops.sha256"
    choice = _choice(VERSIONS[0], sidecar.read_text().strip())
    assert served_model_dataset(catalog, choice).load().predict([[0]])[0] == 1.0
    assert served_model_dataset(catalog, _choice(None)).load().predict([[0]])[0] == 2.0


def test_a_file_replaced_after_registration_or_missing_is_refused(tmp_path: Path):
    catalog = _catalog(tmp_path)
    with pytest.raises(TrackingError, match="replaced after registration"):
        served_model_dataset(catalog, _choice(VERSIONS[0], "0" * 64))
    with pytest.raises(TrackingError, match="is not in this project"):
        served_model_dataset(catalog, _choice("2025-01-01T00.00.00.000Z", "0" * 64))
