"""A real ``mlflow server`` on a free loopback port, in its own process group."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.process_group import (
    free_loopback_port,
    start_process_group,
    stop_process_group,
)

STARTUP_SECONDS = 300  # migrations and a worker process, on a loaded machine
STOP_GRACE_SECONDS = 2
# Tracking, the registry and the artifact proxy only: without this, MLflow 3
# also starts a job runner and a pool of Huey consumers (GenAI jobs, trace
# roll-ups) that the project never uses, ~15 s of CPU while it comes up.
SERVER_ENVIRONMENT = {"MLFLOW_SERVER_ENABLE_JOB_EXECUTION": "false"}


class MlflowServer:
    """Starts at once; ``url()`` waits until ``/health`` answers."""

    def __init__(self, folder: Path) -> None:
        self.port = free_loopback_port()
        self.artifacts = folder / "artifacts"
        self.log = folder / "server.log"
        mlflow = Path(sys.executable).with_name("mlflow")
        with self.log.open("w") as output:
            self.process = start_process_group(
                [
                    str(mlflow),
                    "server",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(self.port),
                    "--workers",
                    "1",
                    "--backend-store-uri",
                    f"sqlite:///{folder / 'server.db'}",
                    "--artifacts-destination",
                    str(self.artifacts),
                ],
                folder,
                stdout=output,
                stderr=subprocess.STDOUT,
                environment=SERVER_ENVIRONMENT,
            )
        self._ready = False

    def url(self) -> str:
        address = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + STARTUP_SECONDS
        while not self._ready:
            if self.process.poll() is not None:
                raise AssertionError(
                    f"mlflow server exited: {self.log.read_text()[-3000:]}"
                )
            try:
                self._ready = (
                    httpx.get(f"{address}/health", timeout=2).status_code == 200
                )
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"mlflow server did not start in {STARTUP_SECONDS} s"
                )
            time.sleep(0.5)
        return address

    def stop(self) -> None:
        """SIGTERM, then SIGKILL after a short grace: the tests have read what
        they need, and a graceful shutdown of the server's workers took 8-14 s."""
        stop_process_group(self.process, timeout=STOP_GRACE_SECONDS)
