"""The test suite. Imported before any test module, so it sizes thread pools first.

Under pytest-xdist every worker process runs its own fits, and the ``kedro
run`` subprocesses it starts inherit its environment. OpenMP (scikit-learn's
histogram gradient boosting) and BLAS would each start one thread per core in
every worker, so two workers on two cores ran four busy threads that spin
while waiting for each other. Each worker gets its share of the cores instead:
``OMP_NUM_THREADS`` and friends, unless the caller set them. Set before
scikit-learn, NumPy or SciPy load their thread pools; a single-process run
(``-n 0``) keeps every core.
"""

from __future__ import annotations

import os

THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def _threads_per_worker() -> int | None:
    """Cores per xdist worker, or None outside xdist."""
    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "0"))
    if workers < 1:
        return None
    return max(1, (os.cpu_count() or 1) // workers)


_THREADS = _threads_per_worker()
if _THREADS is not None:
    for _name in THREAD_VARIABLES:
        os.environ.setdefault(_name, str(_THREADS))
