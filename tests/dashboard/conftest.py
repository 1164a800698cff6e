"""The served project for the dashboard (``tests/serving/conftest.py``): the
models of the session's one pipeline run per variant (``variant_outputs``),
saved through the project's catalog with the evaluation's figures the model
card shows. Nothing is trained here."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from ml_workflow.dashboard.loading import Dashboard, load_dashboard
from ml_workflow.serving.app import create_app
from tests.serving.conftest import (  # noqa: F401 - fixtures
    served_project,
    trained,
    wait_until_ready,
)

APP = Path(__file__).parents[2] / "src" / "ml_workflow" / "dashboard" / "app.py"


@pytest.fixture(scope="session")
def dashboard_project(served_project: Path) -> Path:  # noqa: F811 - the fixture
    """The served project: it holds the model card's figures too."""
    return served_project


@pytest.fixture(scope="session")
def dashboard(dashboard_project: Path) -> Dashboard:
    """Every shipped variant loaded as the dashboard loads it."""
    return load_dashboard(dashboard_project)


@pytest.fixture(scope="module")
def api(dashboard_project: Path) -> Iterator[TestClient]:
    """The web API of the same project, models loaded."""
    with TestClient(create_app(dashboard_project)) as client:
        wait_until_ready(client)
        yield client


def api_prediction(
    api: TestClient, variant: str, records: list[dict[str, Any]]
) -> list[dict]:
    """The API's prediction rows for ``records`` (asserting a 200)."""
    response = api.post(f"/variants/{variant}/predict", json=records)
    assert response.status_code == 200, response.text
    return response.json()["predictions"]
