"""A temporary copy of the project with quickly trained models, for the API tests.

Models are trained on small samples through a Kedro runner, then saved with the
project's own catalog (skops model files, metrics.json), so the API loads them
the way it loads a real ``kedro run``'s output (``served_project``, made once
per session and only read; ``copy_served`` for a test that changes one).
``live_server`` runs the documented ``kedro serve`` command in a subprocess on
a free loopback port.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from kedro.framework.session import KedroSession
from kedro.framework.startup import bootstrap_project

from ml_workflow.dashboard.loading import CARD_PLOTS
from ml_workflow.serving.app import create_app
from tests.conftest import PROJECT_ROOT, require_variant
from tests.once import built_once, shared_folder
from tests.process_group import (
    free_loopback_port,
    start_process_group,
    stop_process_group,
)

VARIANTS = ["housing", "spam"]
# One valid housing record (the first row of the shipped data), for the API tests.
HOUSING = {
    "longitude": -122.23,
    "latitude": 37.88,
    "housing_median_age": 41.0,
    "total_rooms": 880.0,
    "total_bedrooms": 129.0,
    "population": 322.0,
    "households": 126.0,
    "median_income": 8.3252,
    "ocean_proximity": "NEAR BAY",
}
NEW_RECORDS = ["housing_new_records.csv", "spam_new_records.tsv"]


def make_project(destination: Path) -> Path:
    """conf/, pyproject.toml, an empty src/ and the example new records."""
    shutil.copytree(
        PROJECT_ROOT / "conf",
        destination / "conf",
        ignore=shutil.ignore_patterns("local"),
    )
    (destination / "conf" / "local").mkdir()
    shutil.copy(PROJECT_ROOT / "pyproject.toml", destination / "pyproject.toml")
    (destination / "src").mkdir()  # kedro wants it; the code is the installed package
    raw = destination / "data" / "01_raw"
    raw.mkdir(parents=True)
    for name in NEW_RECORDS:
        shutil.copy(PROJECT_ROOT / "data" / "01_raw" / name, raw / name)
    return destination


@pytest.fixture(scope="session")
def trained(variant_outputs) -> dict[str, dict[str, Any]]:
    """Each variant's model and metrics from the session's one run of its
    pipeline on its sample with small budgets (``variant_outputs``): these
    tests are about serving, not quality."""
    for variant in VARIANTS:
        require_variant(variant)
    return {
        variant: {
            "model": variant_outputs[variant][f"{variant}.model"],
            "metrics": variant_outputs[variant][f"{variant}.metrics"],
            "drift_reference": variant_outputs[variant][f"{variant}.drift_reference"],
            "prediction_reference": variant_outputs[variant][
                f"{variant}.prediction_reference"
            ],
        }
        for variant in VARIANTS
    }


def save_models(project: Path, trained: dict[str, dict[str, Any]]) -> None:
    """Save the models, metrics, drift and prediction references through the
    project's catalog."""
    bootstrap_project(project)
    with KedroSession.create(project_path=project) as session:
        catalog = session.load_context().catalog
        for variant, items in trained.items():
            for name, value in items.items():  # one session: one version
                catalog.save(f"{variant}.{name}", value)


@pytest.fixture(scope="session")
def served_project(
    request: pytest.FixtureRequest, tmp_path_factory, worker_id: str
) -> Path:
    """A project holding every variant's ``trained`` items and the figures the
    dashboard's model card shows, saved through its catalog: the API, the
    dashboard and ``kedro serve`` read it. Made once per session (the first
    xdist worker to need it makes it, the others wait): no test may change
    it; a test that adds or breaks a model version works on ``copy_served``.
    """

    def build(project: Path) -> None:
        trained = request.getfixturevalue("trained")
        outputs = request.getfixturevalue("variant_outputs")
        save_models(
            make_project(project),
            {
                variant: {
                    **items,
                    **{
                        plot: outputs[variant][f"{variant}.{plot}"]
                        for plot in CARD_PLOTS
                    },
                }
                for variant, items in trained.items()
            },
        )

    return built_once(shared_folder(tmp_path_factory, worker_id) / "served", build)


def copy_served(served_project: Path, destination: Path) -> Path:
    """A copy of ``served_project`` that the caller may change."""
    shutil.copytree(served_project, destination)
    return destination


def wait_until_ready(
    client: Any, timeout: float = 60, path: str = "/v2/health/ready"
) -> None:
    """Poll ``path`` (every model, or one's ``/v2/models/<name>/ready``) until
    the app has loaded the model(s)."""
    deadline = time.monotonic() + timeout
    while client.get(path).status_code != 200:
        if time.monotonic() > deadline:
            raise AssertionError(
                f"models not loaded in {timeout} s: {client.get('/health').text}"
            )
        time.sleep(0.05)


@pytest.fixture(scope="module")
def client(served_project: Path) -> Iterator[TestClient]:
    """The API of ``served_project`` in FastAPI's test client, models loaded."""
    with TestClient(create_app(served_project)) as test_client:
        wait_until_ready(test_client)
        yield test_client


def start_server(project: Path, ready: str = "/v2/health/ready") -> dict[str, Any]:
    """``kedro serve`` on a free loopback port, in its own process group; waits
    until ``ready`` answers 200: by default every configured model is loaded,
    ``/v2/models/<name>/ready`` waits for one variant (a project that trained
    only that one)."""
    port = free_loopback_port()
    log = project / f"server-{port}.log"
    with log.open("w") as output:
        process = start_process_group(
            [sys.executable, "-m", "kedro", "serve", "--host", "127.0.0.1"]
            + ["--port", str(port)],
            project,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        if process.poll() is not None:
            raise AssertionError(f"server exited: {log.read_text()[-3000:]}")
        try:
            if httpx.get(f"{url}{ready}", timeout=2).status_code == 200:
                return {"url": url, "process": process, "log": log}
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            stop_server(process)
            raise AssertionError("server did not start in 120 s")
        time.sleep(0.3)


def stop_server(process: subprocess.Popen) -> int:
    """SIGTERM the server's process group (uvicorn shuts down gracefully)."""
    return stop_process_group(process)


@contextmanager
def app_server(project: Path) -> Iterator[str]:
    """``project``'s API served over HTTP by uvicorn, as ``kedro serve`` serves
    it (the same app factory), in a thread of this process: no second
    interpreter to start and import everything. Yields its URL once every
    model is loaded. ``start_server`` runs the ``kedro serve`` command itself.
    """
    import uvicorn  # noqa: PLC0415 - only the tests that serve over HTTP

    port = free_loopback_port()
    # log_config=None: this process's logging is pytest's, not uvicorn's
    config = uvicorn.Config(
        create_app(project), host="127.0.0.1", port=port, log_config=None
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while not server.started:  # listening
            assert thread.is_alive(), "the server stopped before it started"
            assert time.monotonic() < deadline, "the server did not start in 60 s"
            time.sleep(0.05)
        with httpx.Client(base_url=url) as http:
            wait_until_ready(http)
        yield url
    finally:
        server.should_exit = True
        thread.join(timeout=30)


@pytest.fixture(scope="session")
def live_server(served_project: Path) -> Iterator[dict[str, Any]]:
    """A real server shared by the end-to-end tests, stopped at the end."""
    server = start_server(served_project)
    try:
        yield server
    finally:
        stop_server(server["process"])
