"""Connect to the tracking backend, failing fast when it cannot be reached.

Before any node runs, ``choose_uri`` checks (one TCP connection, without
importing MLflow) that a tracking server accepts connections: an unreachable
one stops the run at once with a clear message, never after a long fit, or,
with ``tracking.on_unreachable: local``, the run is tracked in the project's
own SQLite file instead, with a warning. ``connect`` then makes the client
and checks it with one MLflow call (credentials, a database that opens);
serving and the ``kedro experiments`` commands call it directly.
"""

from __future__ import annotations

import logging
import os
import re
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import urlparse

from ml_workflow.core.config import Tracking
from ml_workflow.errors import TrackingError

from .location import (
    is_local_uri,
    local_artifact_root,
    local_tracking_uri,
    resolve_tracking_uri,
)

logger = logging.getLogger(__name__)

_PROBE_ENDPOINT = "/api/2.0/mlflow/experiments/search"


def import_mlflow() -> ModuleType:
    """``mlflow``, imported on first use, with its usage telemetry off unless
    the user set ``MLFLOW_DISABLE_TELEMETRY`` (the project opts out of Kedro's
    telemetry the same way, in ``.telemetry``)."""
    os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
    import mlflow  # noqa: PLC0415 - seconds to import: only when tracking is used

    return mlflow


@dataclass
class Tracker:
    """An MLflow client bound to one backend, plus the project it tracks."""

    uri: str
    client: Any  # mlflow.MlflowClient
    settings: Tracking
    project_path: Path

    @property
    def local(self) -> bool:
        """Whether this is the project's own SQLite file."""
        return is_local_uri(self.uri, self.project_path)

    def experiment_id(self, variant: str) -> str:
        """The id of the variant's experiment, created on first use.

        On the local backend its artifacts go under ``tracking.artifact_root``
        of the project (absolute, as MLflow stores it).
        """
        name = self.settings.registered_name(variant)
        experiment = self.client.get_experiment_by_name(name)
        if experiment is not None:
            return experiment.experiment_id
        location = None
        if self.local:
            folder = re.sub(r"[^\w.-]", "_", name)
            root = local_artifact_root(self.settings, self.project_path)
            location = (root / folder).as_uri()
        try:
            return self.client.create_experiment(name, artifact_location=location)
        except Exception:  # noqa: BLE001 - created meanwhile by another run?
            experiment = self.client.get_experiment_by_name(name)
            if experiment is None:
                raise
            return experiment.experiment_id

    @contextmanager
    def process_wide(self) -> Iterator[None]:
        """Point MLflow's process-wide tracking URI at this backend meanwhile.

        Some MLflow calls use the process-wide client whatever client they
        are given (``Model.log``; resolving a ``models:/`` source when a version
        is registered). ``mlflow.set_tracking_uri`` also sets
        ``MLFLOW_TRACKING_URI``, so both are put back afterwards.
        """
        mlflow = import_mlflow()
        previous = os.environ.get("MLFLOW_TRACKING_URI")
        mlflow.set_tracking_uri(self.uri)
        try:
            yield
        finally:
            mlflow.set_tracking_uri(previous)  # None unsets both


def check_reachable(uri: str, timeout: float) -> None:
    """Raise ``TrackingError`` now if an HTTP(S) tracking server does not accept
    connections within ``timeout`` seconds (one TCP connection, no MLflow import).

    Other backends (the project's SQLite file, a database URI) are checked when
    the client first uses them.
    """
    parsed = urlparse(uri)
    if parsed.scheme not in ("http", "https"):
        return
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    try:
        socket.create_connection((parsed.hostname, port), timeout=timeout).close()
    except OSError as error:
        raise TrackingError(
            f"the MLflow tracking server {uri} is unreachable ({type(error).__name__}: "
            f"{error}). Start it, fix tracking.uri or MLFLOW_TRACKING_URI, set "
            "tracking.on_unreachable: local to track in the project instead, or "
            "tracking.enabled: false"
        ) from None


def _probe_http(uri: str, timeout: float) -> None:
    """One MLflow API request, no retries: is it a tracking server that lets us in?"""
    from mlflow.utils.credentials import get_default_host_creds  # noqa: PLC0415
    from mlflow.utils.rest_utils import http_request  # noqa: PLC0415

    check_reachable(uri, timeout)
    try:
        response = http_request(
            get_default_host_creds(uri),
            _PROBE_ENDPOINT,
            "GET",
            max_retries=0,
            timeout=timeout,
            raise_on_status=False,
            params={"max_results": 1},
        )
    except Exception as error:  # noqa: BLE001 - a timeout, a broken TLS setup...
        raise TrackingError(
            f"the MLflow tracking server {uri} did not answer {_PROBE_ENDPOINT} "
            f"({type(error).__name__}: {error}); check tracking.uri and the server"
        ) from None
    if response.status_code in (401, 403):
        raise TrackingError(
            f"the MLflow tracking server {uri} refused the connection "
            f"(HTTP {response.status_code}): set MLFLOW_TRACKING_USERNAME and "
            "MLFLOW_TRACKING_PASSWORD, or MLFLOW_TRACKING_TOKEN"
        )
    if response.status_code != 200:
        raise TrackingError(
            f"the MLflow tracking server {uri} answered HTTP {response.status_code} "
            f"to {_PROBE_ENDPOINT}: is it an MLflow tracking server?"
        )


def _client(uri: str, timeout: float) -> Any:
    """An ``MlflowClient`` for ``uri``, checked with one cheap call."""
    mlflow = import_mlflow()
    if uri.startswith(("http://", "https://")):
        _probe_http(uri, timeout)
    client = mlflow.MlflowClient(tracking_uri=uri)
    if not uri.startswith(("http://", "https://")):
        try:
            client.search_experiments(max_results=1)
        except Exception as error:  # noqa: BLE001 - a database we cannot open
            raise TrackingError(
                f"the MLflow tracking backend {uri} cannot be used "
                f"({type(error).__name__}: {error}). Fix tracking.uri or "
                "MLFLOW_TRACKING_URI, or set tracking.enabled: false"
            ) from None
    return client


def choose_uri(settings: Tracking, project_path: Path) -> str:
    """The backend to use: the configured one if it accepts connections, else
    (with ``tracking.on_unreachable: local``) the project's SQLite file, with a
    warning. Cheap: no MLflow import; raises ``TrackingError`` when unreachable."""
    uri = resolve_tracking_uri(settings, project_path)
    try:
        check_reachable(uri, settings.connect_timeout)
    except TrackingError as error:
        if settings.on_unreachable != "local":
            raise
        local = local_tracking_uri(project_path)
        logger.warning("%s; tracking in the project's own %s instead", error, local)
        return local
    return uri


def connect(settings: Tracking, project_path: Path, uri: str | None = None) -> Tracker:
    """A ``Tracker`` for the configured backend (or ``uri``), or a ``TrackingError``.

    With ``tracking.on_unreachable: local`` a backend that cannot be used is
    replaced by the project's own SQLite file, with a warning.
    """
    uri = uri or choose_uri(settings, project_path)
    try:
        client = _client(uri, settings.connect_timeout)
    except TrackingError as error:
        local = local_tracking_uri(project_path)
        if settings.on_unreachable != "local" or uri == local:
            raise
        logger.warning("%s; tracking in the project's own %s instead", error, local)
        uri, client = local, _client(local, settings.connect_timeout)
    return Tracker(uri=uri, client=client, settings=settings, project_path=project_path)


__all__ = ["Tracker", "check_reachable", "choose_uri", "connect", "import_mlflow"]
