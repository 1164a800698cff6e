"""Operations endpoints through the test client: readiness, metrics, request ids,
and a new model version served without a restart."""

from __future__ import annotations

import re
import threading
import time
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from kedro.framework.session import KedroSession
from kedro.framework.startup import bootstrap_project

from ml_workflow.serving.app import build_app
from ml_workflow.serving.registry import load_configuration, load_model, open_catalog
from ml_workflow.serving.reload import ModelReloader

from .conftest import copy_served, wait_until_ready

SPAM = [{"message": "hello there"}]


def gated_app(project: Path, gate: threading.Event) -> Any:
    """The app of ``project`` whose model loading waits for ``gate``."""
    configuration = load_configuration(project)
    variants, settings = configuration.variants, configuration.serving

    def loader(catalog: Any, name: str, version: str | None) -> Any:
        gate.wait(timeout=60)
        return load_model(catalog, name, version)

    reloader = ModelReloader(variants, open_catalog(project), loader=loader)
    return build_app(variants, settings, reloader)


def test_readiness_is_503_until_every_model_is_loaded(served_project: Path) -> None:
    gate = threading.Event()
    with TestClient(gated_app(served_project, gate)) as client:
        assert client.get("/v2/health/live").status_code == 200
        before = client.get("/v2/health/ready")
        assert before.status_code == 503
        assert before.json() == {
            "ready": False,
            "variants": {"housing": "unavailable", "spam": "unavailable"},
        }
        assert client.get("/v2/models/spam/ready").status_code == 503
        loading = client.post("/variants/spam/predict", json=SPAM)
        assert loading.status_code == 503
        assert "its model is still loading" in loading.json()["detail"]
        gate.set()
        wait_until_ready(client)
        assert client.get("/v2/health/ready").json()["ready"] is True
        assert client.get("/v2/models/spam/ready").json()["model_version"]
        assert client.get("/v2/models/nope/ready").status_code == 404


def _sample(metrics: str, name: str, **labels: str) -> float:
    for line in metrics.splitlines():
        if line.startswith(name + "{") and all(
            f'{key}="{value}"' in line for key, value in labels.items()
        ):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def test_metrics_count_requests_latency_and_predictions(
    client: TestClient,
) -> None:
    before = client.get("/metrics").text
    version = client.get("/variants/spam").json()["model"]["version"]
    assert client.post("/variants/spam/predict", json=SPAM * 3).status_code == 200
    assert client.post("/variants/spam/predict", json=[{}]).status_code == 422
    client.get("/no/such/path")
    after = client.get("/metrics")
    assert after.headers["content-type"].startswith("text/plain")
    route = {"route": "/variants/spam/predict", "method": "POST"}

    def grew(name: str, **labels: str) -> float:
        return _sample(after.text, name, **labels) - _sample(before, name, **labels)

    assert grew("ml_workflow_http_requests_total", **route, status="200") == 1
    assert grew("ml_workflow_http_requests_total", **route, status="422") == 1
    assert (
        grew("ml_workflow_http_request_duration_seconds_count", **route, status="200")
        == 1
    )
    assert grew("ml_workflow_http_requests_total", route="unmatched", status="404") == 1
    assert (
        grew("ml_workflow_predictions_total", variant="spam", model_version=version)
        == 3
    )


def test_every_response_carries_a_request_id(client: TestClient) -> None:
    chosen = client.get("/v2/health/live", headers={"X-Request-ID": "abc-123"})
    assert chosen.headers["x-request-id"] == "abc-123"
    generated = client.get("/v2/health/live").headers["x-request-id"]
    hostile = client.get("/v2/health/live", headers={"X-Request-ID": "a b\tc" * 50})
    assert re.fullmatch("[0-9a-f]{32}", generated)
    assert re.fullmatch("[0-9a-f]{32}", hostile.headers["x-request-id"])


def save_new_version(project: Path, variant: str, model: Any) -> str:
    """Save ``model`` as a new version of ``<variant>.model``, as a run would."""
    bootstrap_project(project)
    with KedroSession.create(project_path=project) as session:
        catalog = session.load_context().catalog
        catalog.save(f"{variant}.model", model)
    return sorted(
        p.name for p in (project / f"data/06_models/{variant}/model.skops").iterdir()
    )[-1]


def test_a_new_version_is_served_after_a_reload_without_restart(
    tmp_path: Path, served_project: Path, trained: dict[str, Any]
) -> None:
    project = copy_served(served_project, tmp_path / "project")
    configuration = load_configuration(project)
    variants = configuration.variants
    reloader = ModelReloader(variants, open_catalog(project))
    settings = configuration.serving.model_copy(update={"reload_interval_seconds": 0})
    app = build_app(variants, settings, reloader)
    with TestClient(app) as client:
        wait_until_ready(client)
        old = client.post("/variants/spam/predict", json=SPAM).json()["model_version"]
        assert client.post("/admin/reload").json()["changes"] == {}  # nothing new
        time.sleep(0.01)  # versions are millisecond timestamps
        new = save_new_version(project, "spam", trained["spam"]["model"])
        assert new != old
        changes = client.post("/admin/reload").json()["changes"]
        assert changes == {"spam": {"from": old, "to": new}}
        answer = client.post("/variants/spam/predict", json=SPAM).json()
        assert answer["model_version"] == new
        assert client.get("/variants/spam").json()["model"]["version"] == new


def test_a_new_version_that_fails_its_hash_check_leaves_the_old_one_serving(
    tmp_path: Path, served_project: Path, trained: dict[str, Any]
) -> None:
    project = copy_served(served_project, tmp_path / "project")
    configuration = load_configuration(project)
    variants = configuration.variants
    reloader = ModelReloader(variants, open_catalog(project))
    settings = configuration.serving.model_copy(update={"reload_interval_seconds": 0})
    app = build_app(variants, settings, reloader)
    with TestClient(app) as client:
        wait_until_ready(client)
        old = client.get("/variants/spam").json()["model"]["version"]
        time.sleep(0.01)
        new = save_new_version(project, "spam", trained["spam"]["model"])
        model_file = project / f"data/06_models/spam/model.skops/{new}/model.skops"
        model_file.write_bytes(model_file.read_bytes() + b"tampered")
        answer = client.post("/admin/reload").json()
        assert answer["changes"] == {}
        assert "does not match its recorded SHA-256" in answer["errors"]["spam"]
        described = client.get("/variants/spam").json()
        assert described["model"]["version"] == old and described["status"] == "ready"
        assert "does not match" in described["reload_error"]
        response = client.post("/variants/spam/predict", json=SPAM)
        assert response.status_code == 200 and response.json()["model_version"] == old


def test_drift_of_the_served_records_against_the_models_reference(
    client: TestClient,
) -> None:
    long_messages = [{"message": "word " * 150} for _ in range(300)]  # long texts
    assert client.post("/variants/spam/predict", json=long_messages).status_code == 200
    report = client.get("/variants/spam/drift").json()
    assert (
        report["model_version"]
        == client.get("/variants/spam").json()["model"]["version"]
    )
    assert report["records"] >= 300
    assert (
        "message" in report["drifted"]
    )  # 750-character messages: not the training mix
    assert report["features"]["message"]["kind"] == "text"
    assert client.get("/variants/nope/drift").status_code == 404
