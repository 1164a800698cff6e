"""Run a server command in its own process group, and stop the whole group.

``kedro viz run`` and ``kedro serve`` fork child processes, so signalling only
the parent leaves servers behind. The kedro-viz and API tests, the load
benchmark and the docs' render script all start and stop servers this way; the
runtime package does not, so this helper lives with the tests.
"""

from __future__ import annotations

import os
import random
import signal
import socket
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any


def start_process_group(
    command: Sequence[str],
    cwd: Path,
    stdout: int | IO[Any] | None = subprocess.DEVNULL,
    stderr: int | IO[Any] | None = subprocess.DEVNULL,
    environment: dict[str, str] | None = None,
) -> subprocess.Popen:
    """Start ``command`` in a new session (its own process group), telemetry
    off, with ``environment`` added to this process's."""
    return subprocess.Popen(
        list(command),
        cwd=cwd,
        env={**os.environ, "KEDRO_DISABLE_TELEMETRY": "1", **(environment or {})},
        stdout=stdout,
        stderr=stderr,
        start_new_session=True,
    )


def stop_process_group(process: subprocess.Popen, timeout: float = 20.0) -> int | None:
    """SIGTERM the process group, SIGKILL it if it outlives ``timeout``; return the code."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=timeout)
    return process.returncode


def free_loopback_port(low: int | None = None, high: int | None = None) -> int:
    """A free port on 127.0.0.1: the OS's choice, or a random one in ``[low, high]``.

    kedro-viz refuses ports in the ephemeral range, where the OS's choice lands,
    so its callers ask for a range below it.
    """
    if low is None or high is None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            return probe.getsockname()[1]
    chooser = random.SystemRandom()
    for _ in range(100):
        port = chooser.randint(low, high)
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free loopback port in [{low}, {high}]")
