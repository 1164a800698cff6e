"""Servers started in their own process group are stopped with all their children."""

from __future__ import annotations

import os
import socket
import sys
import time
from pathlib import Path

import pytest

from tests.process_group import (
    free_loopback_port,
    start_process_group,
    stop_process_group,
)

# A parent that forks a child, like kedro viz and uvicorn do, then waits.
FORKING = "import subprocess, sys, time; subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)']); time.sleep(60)"


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def test_stop_ends_the_parent_and_its_children(tmp_path: Path) -> None:
    process = start_process_group([sys.executable, "-c", FORKING], tmp_path)
    time.sleep(1)  # let the child start
    assert os.getpgid(process.pid) == process.pid  # a group of its own
    assert stop_process_group(process, timeout=10) == -15
    deadline = time.monotonic() + 10
    while _group_alive(process.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _group_alive(process.pid)


def test_stopping_an_exited_process_returns_its_code(tmp_path: Path) -> None:
    process = start_process_group(
        [sys.executable, "-c", "raise SystemExit(3)"], tmp_path
    )
    process.wait(timeout=10)
    assert stop_process_group(process) == 3


@pytest.mark.parametrize(("low", "high"), [(None, None), (20000, 49000)])
def test_free_port_can_be_bound(low: int | None, high: int | None) -> None:
    port = free_loopback_port(low, high)
    if low is not None:
        assert low <= port <= high
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", port))
