"""Where cross-validation fits run: local joblib workers or a Dask cluster.

``compute.cluster.scheduler`` names a Dask scheduler (``tcp://host:8786``);
when it is null the fits run locally with ``compute.n_jobs`` workers. With a
scheduler, every joblib call that scikit-learn makes inside `compute_backend`
(cross-validation, the hyperparameter search, threshold tuning) is sent to the
cluster through joblib's Dask backend. Folds and seeds come from parameters,
so the results do not depend on where the fits ran (docs/scaling_out.md).

Nothing is left behind: the client is closed and joblib's previous backend
restored on exit, even when a fit fails.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import joblib

from ml_workflow.core.config import Compute
from ml_workflow.errors import ConfigurationError

_PARAMETER = "compute.cluster.scheduler"


def _connect(address: str, timeout: float) -> Any:
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
def compute_backend(compute: Compute) -> Iterator[int]:
    """Run the enclosed scikit-learn fits where ``compute`` says.

    Yields the ``n_jobs`` to give scikit-learn: ``compute.n_jobs`` locally,
    ``-1`` (every worker thread of the cluster) on Dask.
    """
    scheduler = compute.cluster.scheduler
    if scheduler is None:
        yield compute.n_jobs
        return
    client = _connect(scheduler, compute.cluster.connect_timeout)
    try:
        with joblib.parallel_config(backend="dask", client=client):
            yield -1
    finally:
        client.close()
