"""The real ``kedro viz run`` server lists both variants' nodes and datasets."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from tests.process_group import (
    free_loopback_port,
    start_process_group,
    stop_process_group,
)

# These tests are about the shipped variants; a fork that removes one skips them.
pytestmark = pytest.mark.requires_variants("housing", "spam")

STARTUP_SECONDS = 120
LAYERS = [
    "raw",
    "intermediate",
    "feature",
    "model_input",
    "models",
    "model_output",
    "reporting",
]


def _get(url: str) -> dict[str, Any] | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return json.load(response)
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


@pytest.fixture(scope="module")
def viz_graph(project_root: Path) -> dict[str, Any]:
    """Start ``kedro viz run`` in its own process group; yield its /api/main graph."""
    # kedro-viz refuses the ephemeral range, where the OS's own choice would land
    port = free_loopback_port(20000, 49000)
    kedro = Path(sys.executable).with_name("kedro")
    command = [str(kedro), "viz", "run", "--no-browser", "--host", "127.0.0.1"]
    server = start_process_group(
        [*command, "--port", str(port)], project_root, stderr=subprocess.PIPE
    )
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        graph = None
        while graph is None and time.monotonic() < deadline:
            if server.poll() is not None:
                pytest.fail(
                    f"kedro viz exited early: {server.stderr.read().decode()[-2000:]}"
                )
            time.sleep(1)
            graph = _get(f"http://127.0.0.1:{port}/api/main")
        assert graph is not None, f"kedro viz did not answer within {STARTUP_SECONDS}s"
        graph["_port"] = port
        yield graph
    finally:
        stop_process_group(server)
        server.stderr.close()


@pytest.mark.slow
@pytest.mark.parametrize("variant", ["housing", "spam"])
def test_viz_lists_nodes_and_datasets_of_each_namespace(viz_graph, variant) -> None:
    tasks = {n["full_name"] for n in viz_graph["nodes"] if n["type"] == "task"}
    datasets = {n["name"]: n for n in viz_graph["nodes"] if n["type"] == "data"}
    for node in (
        "clean_raw_data",
        "plot_target",
        "select_model",
        "tune_model",
        "plot_errors",
        "build_report",
    ):
        assert f"{variant}.{node}" in tasks
    for dataset, layer in [
        ("raw", "raw"),
        ("cleaned", "intermediate"),
        ("model", "models"),
        ("prediction_plot", "reporting"),
        ("learning_curve_plot", "reporting"),
        ("report", "reporting"),
    ]:
        assert datasets[f"{variant}.{dataset}"]["layer"] == layer
    assert datasets[f"{variant}.error_plot"]["dataset_type"].startswith("plotly.")


@pytest.mark.slow
def test_viz_orders_the_layers_of_the_workflow(viz_graph) -> None:
    assert viz_graph["layers"] == LAYERS
