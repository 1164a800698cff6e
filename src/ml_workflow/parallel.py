"""Where cross-validation fits run: local joblib workers or a Dask cluster.

``compute.cluster.scheduler`` names a Dask scheduler (``tcp://host:8786``);
when it is null the fits run locally with ``compute.n_jobs`` workers: worker
processes, or this process's threads for a variant that reads free text
(`fit_workers`). With a scheduler, every joblib call that scikit-learn makes
inside `compute_backend` (cross-validation, the hyperparameter search,
threshold tuning) is sent to the cluster through joblib's Dask backend. Folds
and seeds come from parameters, so the results do not depend on where the
fits ran (docs/scaling_out.md).

Nothing is left behind: the client is closed and joblib's previous backend
restored on exit, even when a fit fails.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Literal

import joblib
from threadpoolctl import threadpool_limits

from ml_workflow.core.config import Compute, Problem
from ml_workflow.errors import ConfigurationError

_PARAMETER = "compute.cluster.scheduler"

Workers = Literal["threads", "processes"]


def fit_workers(problem: Problem) -> Workers:
    """Where a variant's model selection, search and threshold fits run
    locally: threads of this process when it reads free text, worker
    processes otherwise.

    Each worker process holds its own copy of the libraries (about 200 MB)
    and of the training texts it is sent, and keeps the memory its largest
    fold needed: in a run on 6,046 e-mails the two workers held 520-560 MB
    each beside the run's own 630 MB. Their linear SVM's search alone took
    1.42-1.47 GB in two processes and 0.77-0.79 GB in two threads, in about
    the same time (measured on a loaded machine). Threads keep pace on text
    because a fold's fitted vectorizer is read back from the step cache
    (`pipelines.modelling.caching`) and the linear models, naive Bayes and
    trees fit in native code that releases the GIL; tokenizing, which holds
    it, is what is left to share. Tabular variants keep the processes:
    their many small fits in Python-heavy estimators would queue on the GIL.
    The diagnostics choose for themselves (`pipelines.evaluation.diagnostics`):
    their fits have no step cache, so a text model's would queue on the GIL.
    A hint only (joblib's ``prefer``): a backend set by the caller, such as
    the Dask cluster, wins.
    """
    return "threads" if problem.features.text else "processes"


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
def compute_backend(compute: Compute, workers: Workers = "processes") -> Iterator[int]:
    """Run the enclosed scikit-learn fits where ``compute`` says: locally in
    ``workers`` (`fit_workers`), or on the Dask cluster.

    Yields the ``n_jobs`` to give scikit-learn: ``compute.n_jobs`` locally,
    ``-1`` (every worker thread of the cluster) on Dask.
    """
    scheduler = compute.cluster.scheduler
    if scheduler is None and workers == "processes":
        # joblib's default; not stated as a preference, which would clash with
        # the estimators' own calls that require shared memory (forests)
        yield compute.n_jobs
        return
    if scheduler is None:
        # each fit thread gets its share of the cores for native (BLAS,
        # OpenMP) threads, as joblib gives each worker process
        share = max(1, joblib.cpu_count() // joblib.effective_n_jobs(compute.n_jobs))
        with (
            joblib.parallel_config(prefer="threads"),
            threadpool_limits(limits=share),
        ):
            yield compute.n_jobs
        return
    client = _connect(scheduler, compute.cluster.connect_timeout)
    try:
        with joblib.parallel_config(backend="dask", client=client):
            yield -1
    finally:
        client.close()
