"""End to end: the documented ``kedro serve`` command, a real uvicorn server on a
loopback port, requests over HTTP, and a clean stop."""

from __future__ import annotations

import concurrent.futures
import os
import signal
import socket
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from .conftest import HOUSING, copy_served, start_server, stop_server
from .test_operations import save_new_version

pytestmark = pytest.mark.slow  # each test starts `kedro serve`


def test_the_real_server_serves_both_variants_and_its_errors(
    live_server: dict[str, Any],
) -> None:
    url = live_server["url"]
    assert httpx.get(f"{url}/health").json()["status"] == "ok"
    housing = httpx.post(
        f"{url}/variants/housing/predict",
        json=[HOUSING],
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


def test_a_new_model_version_is_served_under_load_without_a_failed_request(
    tmp_path: Path, served_project: Path, trained: dict[str, Any]
) -> None:
    """Clients keep sending while a new version is saved and the server reloads."""
    project = copy_served(served_project, tmp_path / "project")
    server = start_server(project)
    url = server["url"]
    answers: list[tuple[int, str | None]] = []
    stop = threading.Event()

    def client() -> None:
        with httpx.Client(base_url=url, timeout=30) as session:
            while not stop.is_set():
                response = session.post(
                    "/variants/spam/predict", json=[{"message": "free prize now"}]
                )
                version = response.json().get("model_version")
                answers.append((response.status_code, version))

    try:
        old = httpx.get(f"{url}/variants/spam").json()["model"]["version"]
        threads = [threading.Thread(target=client) for _ in range(4)]
        for thread in threads:
            thread.start()
        time.sleep(1.0)
        new = save_new_version(project, "spam", trained["spam"]["model"])
        reloaded = httpx.post(f"{url}/admin/reload", timeout=60).json()
        time.sleep(1.0)
        stop.set()
        for thread in threads:
            thread.join()
    finally:
        stop.set()
        stop_server(server["process"])
    assert reloaded["changes"] == {"spam": {"from": old, "to": new}}
    assert {status for status, _ in answers} == {200}
    versions = [version for _, version in answers]
    assert versions[0] == old and versions[-1] == new
    assert set(versions) == {old, new}


def test_sigterm_lets_an_in_flight_request_finish(served_project: Path) -> None:
    """Graceful shutdown: a request whose body is still arriving gets its answer."""
    server = start_server(served_project)
    process = server["process"]
    port = int(server["url"].rsplit(":", 1)[1])
    body = b'[{"message": "hello, still sending"}]'
    with socket.create_connection(("127.0.0.1", port), timeout=30) as connection:
        connection.sendall(
            b"POST /variants/spam/predict HTTP/1.1\r\nHost: x\r\n"
            b"Content-Type: application/json\r\nX-Request-ID: in-flight-1\r\n"
            + f"Content-Length: {len(body)}\r\n\r\n".encode()
            + body[:10]
        )
        time.sleep(0.5)
        os.killpg(process.pid, signal.SIGTERM)
        time.sleep(1.0)  # the server is shutting down, waiting for this request
        connection.sendall(body[10:])
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 200"), answer[:300]
    assert b'"predictions"' in answer
    assert process.wait(timeout=30) in (0, -signal.SIGTERM)
    log = server["log"].read_text()
    assert "request_id=in-flight-1" in log  # the access log line of the request
    assert "Traceback" not in log
