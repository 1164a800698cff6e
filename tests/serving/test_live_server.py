"""End to end: the documented ``kedro serve`` command, a real uvicorn server on a
loopback port, requests over HTTP, and a clean stop."""

from __future__ import annotations

import concurrent.futures
import os
import signal
from pathlib import Path
from typing import Any

import httpx

from .conftest import start_server


def test_the_real_server_serves_both_variants_and_its_errors(
    live_server: dict[str, Any],
) -> None:
    url = live_server["url"]
    assert httpx.get(f"{url}/health").json()["status"] == "ok"
    housing = httpx.post(
        f"{url}/variants/housing/predict",
        json=[
            {
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
        ],
    )
    assert housing.status_code == 200, housing.text
    assert housing.json()["predictions"][0]["prediction"] > 0
    spam = httpx.post(f"{url}/variants/spam/predict", json=[{"message": "hi there"}])
    assert 0 <= spam.json()["predictions"][0]["probability"] <= 1
    bad = httpx.post(f"{url}/variants/spam/predict", json=[{"message": ""}])
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["record"] == 0
    assert httpx.post(f"{url}/variants/nope/predict", json=[]).status_code == 404
    too_many = [{"message": "a"}] * 1001
    assert httpx.post(f"{url}/variants/spam/predict", json=too_many).status_code == 413
    assert "/variants/spam/predict" in httpx.get(f"{url}/openapi.json").json()["paths"]


def test_concurrent_requests_each_get_their_own_predictions(
    live_server: dict[str, Any],
) -> None:
    """Requests scored together in one model call still get their own rows."""
    url = live_server["url"]
    messages = [
        f"message number {i} " + ("FREE prize call now" * (i % 2)) for i in range(40)
    ]

    def one(message: str) -> dict[str, Any]:
        response = httpx.post(
            f"{url}/variants/spam/predict", json=[{"message": message}] * 2, timeout=30
        )
        return response.json()["predictions"]

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        concurrent_rows = list(pool.map(one, messages))
    alone = httpx.post(
        f"{url}/variants/spam/predict", json=[{"message": m} for m in messages]
    ).json()["predictions"]
    for rows, expected in zip(concurrent_rows, alone, strict=True):
        assert rows == [expected, expected]


def test_the_server_stops_cleanly_on_sigterm(served_project: Path) -> None:
    server = start_server(served_project)
    process = server["process"]
    os.killpg(process.pid, signal.SIGTERM)
    # uvicorn finishes its shutdown, then re-raises the signal it handled
    assert process.wait(timeout=20) in (0, -signal.SIGTERM)
    log = server["log"].read_text()
    assert "Shutting down" in log and "Finished server process" in log
    assert "Traceback" not in log
