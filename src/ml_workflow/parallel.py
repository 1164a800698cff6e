"""Where cross-validation fits run: local joblib workers or a Dask cluster.

``compute.cluster.scheduler`` names a Dask scheduler (``tcp://host:8786``);
when it is null the fits run locally with ``compute.n_jobs`` workers: worker
processes, or this process's threads for a variant that reads long free text
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
import pandas as pd
from threadpoolctl import threadpool_limits

from ml_workflow.core.config import Compute, Problem
from ml_workflow.core.text import LONG_TEXT_CHARACTERS, text_characters
from ml_workflow.errors import ConfigurationError

_PARAMETER = "compute.cluster.scheduler"

Workers = Literal["threads", "processes"]


THREADED_TEXT_CHARACTERS = LONG_TEXT_CHARACTERS
"""Training text above this many characters fits in threads (`fit_workers`):
the line above which `kedro variant create` hashes a text's words."""


def fit_workers(problem: Problem, features: pd.DataFrame | None = None) -> Workers:
    """Where a variant's model selection, search and threshold fits run
    locally: worker processes, or threads of this process when it reads more
    than `THREADED_TEXT_CHARACTERS` of free text in ``features`` (all of
    ``problem``'s text columns; without ``features``, any text).

    Each worker process holds its own copy of the libraries (about 200 MB)
    and of the training texts it is sent, and keeps the memory its largest
    fold needed: in a run on 6,046 e-mails (33 million characters) the two
    workers held 520-560 MB each beside the run's own 630 MB. Their linear
    SVM's search alone took 1.42-1.47 GB in two processes and 0.77-0.79 GB in
    two threads, in about the same time (measured on a loaded machine).
    Threads keep pace on long text because a fold's fitted vectorizer is read
    back from the step cache (`pipelines.modelling.caching`) and the linear
    models, naive Bayes and trees fit in native code that releases the GIL.
    On short text the copies are small and tokenizing, which holds the GIL,
    is most of the work: processes run it on every core. Tabular variants
    keep the processes: their many small fits in Python-heavy estimators
    would queue on the GIL. The diagnostics choose for themselves
    (`pipelines.evaluation.diagnostics`): their fits have no step cache, so a
    text model's would queue on the GIL.

    A hint only (joblib's ``prefer``): a backend set by the caller, such as
    the Dask cluster, wins.
    """
    columns = list(problem.features.text)
    if not columns:
        return "processes"
    if features is None:
        return "threads"
    long_text = text_characters(features, columns) > THREADED_TEXT_CHARACTERS
    return "threads" if long_text else "processes"


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
def prefer_workers(workers: Workers) -> Iterator[None]:
    """joblib's hint that the calls inside run in ``workers``.

    Threads are asked for by name. Processes are joblib's default and are not:
    a stated preference holds for every joblib call inside, and a random
    forest's own prediction requires shared memory (threads), which
    ``prefer="processes"`` contradicts ("inconsistent settings"). A hint
    only: a backend the caller set wins.
    """
    if workers == "threads":
        with joblib.parallel_config(prefer="threads"):
            yield
    else:
        yield


@contextmanager
def compute_backend(compute: Compute, workers: Workers = "processes") -> Iterator[int]:
    """Run the enclosed scikit-learn fits where ``compute`` says: locally in
    ``workers`` (`fit_workers`), or on the Dask cluster.

    Yields the ``n_jobs`` to give scikit-learn: ``compute.n_jobs`` locally,
    ``-1`` (every worker thread of the cluster) on Dask.
    """
    scheduler = compute.cluster.scheduler
    if scheduler is None and workers == "processes":
        yield compute.n_jobs  # joblib's default, not stated (`prefer_workers`)
        return
    if scheduler is None:
        # each fit thread gets its share of the cores for native (BLAS,
        # OpenMP) threads, as joblib gives each worker process
        share = max(1, joblib.cpu_count() // joblib.effective_n_jobs(compute.n_jobs))
        with prefer_workers(workers), threadpool_limits(limits=share):
            yield compute.n_jobs
        return
    client = _connect(scheduler, compute.cluster.connect_timeout)
    try:
        with joblib.parallel_config(backend="dask", client=client):
            yield -1
    finally:
        client.close()
