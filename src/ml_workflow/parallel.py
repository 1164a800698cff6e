"""Where cross-validation fits run: local joblib workers or a Dask cluster.

``model_selection.cluster.scheduler`` names a Dask scheduler
(``tcp://host:8786``); when it is null the fits run locally with
``model_selection.n_jobs`` workers. With a scheduler, every joblib call that
scikit-learn makes inside `compute_backend` (cross-validation, the
hyperparameter search, threshold tuning) is sent to the cluster through
joblib's Dask backend. Folds and seeds come from parameters, so the results
do not depend on where the fits ran (docs/scaling_out.md).

Nothing is left behind: the client is closed and joblib's previous backend
restored on exit, even when a fit fails.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import joblib

from ml_workflow.errors import ConfigurationError

DEFAULT_CONNECT_TIMEOUT = 10  # seconds
_PARAMETER = "model_selection.cluster.scheduler"


def cluster_scheduler(model_selection: Mapping[str, Any]) -> str | None:
    """Return the configured scheduler address, or None to run locally."""
    cluster = model_selection.get("cluster") or {}
    if not isinstance(cluster, Mapping):
        raise ConfigurationError(
            "model_selection.cluster must be a mapping with a 'scheduler' key "
            f"(null to run locally), found {cluster!r}"
        )
    scheduler = cluster.get("scheduler")
    if scheduler is not None and (not isinstance(scheduler, str) or not scheduler):
        raise ConfigurationError(
            f"{_PARAMETER} must be a Dask scheduler address such as "
            f"'tcp://host:8786', or null to run locally; found {scheduler!r}"
        )
    return scheduler


def _connect(address: str, timeout: Any) -> Any:
    try:
        from distributed import Client  # noqa: PLC0415 - optional dependency
    except ImportError as error:  # pragma: no cover - dev installs it
        raise ConfigurationError(
            f"{_PARAMETER} is {address!r} but Dask is not installed: "
            "pip install 'ml_workflow[cluster]'"
        ) from error
    try:
        return Client(address, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError) as error:
        raise ConfigurationError(
            f"{_PARAMETER}: cannot reach the Dask scheduler at {address!r} within "
            f"{timeout} s ({error}); start one with `dask scheduler` or set the "
            "parameter to null to run locally"
        ) from error


@contextmanager
def compute_backend(model_selection: Mapping[str, Any]) -> Iterator[int | None]:
    """Run the enclosed scikit-learn fits where ``model_selection`` says.

    Yields the ``n_jobs`` to give scikit-learn: ``model_selection.n_jobs``
    locally, ``-1`` (every worker thread of the cluster) on Dask.
    """
    scheduler = cluster_scheduler(model_selection)
    if scheduler is None:
        yield model_selection.get("n_jobs", 1)
        return
    timeout = (model_selection.get("cluster") or {}).get(
        "connect_timeout", DEFAULT_CONNECT_TIMEOUT
    )
    client = _connect(scheduler, timeout)
    try:
        with joblib.parallel_config(backend="dask", client=client):
            yield -1
    finally:
        client.close()
