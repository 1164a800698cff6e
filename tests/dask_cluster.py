"""A Dask ``LocalCluster`` of worker processes for the tests, cheap to start.

Its workers are real processes on loopback: fits are pickled and sent to
them, as to another machine. They are forked from a fork server that has
already imported what the fits need (Dask, scikit-learn, the project's
modelling code) instead of being spawned as new interpreters that import it
all again, each: Dask's default (``spawn``) cost ~5 s of CPU per worker
before its first fit. Dask's own test suite starts its workers this way.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import dask
import distributed

# Imported once by the fork server; every worker forked from it has them.
PRELOAD = (
    "distributed",
    "numpy",
    "pandas",
    "sklearn.ensemble",
    "sklearn.pipeline",
    "ml_workflow.pipeline_registry",
)
FORKSERVER = {"distributed.worker.multiprocessing-method": "forkserver"}


@contextmanager
def local_cluster(n_workers: int) -> Iterator[distributed.LocalCluster]:
    """``n_workers`` worker processes with one thread each, on 127.0.0.1."""
    with dask.config.set(FORKSERVER):
        # Dask sets its own preload list on the first call; this one replaces
        # it before the fork server starts (with the first worker).
        distributed.utils.get_mp_context().set_forkserver_preload(list(PRELOAD))
        with distributed.LocalCluster(
            n_workers=n_workers,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
        ) as cluster:
            yield cluster
