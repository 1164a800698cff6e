"""Progress of long model fitting: which candidate, how many fits, time left.

Model selection and the hyperparameter search spend minutes in a few
scikit-learn calls (``cross_validate``, ``SearchCV.fit``) that fan the fits
out to joblib workers, or to a Dask cluster. `Progress` counts finished fits
and logs, at most every ``every`` seconds, a line such as::

    model selection: candidate 3/5 extra_trees; 12/25 fits (48%), 0:31 elapsed, about 0:34 left

`observe_fits` feeds it: while it is active, every joblib call that the
enclosed code makes *from this thread, at the outermost level*, whose tasks
fit and score one setting on one fold (scikit-learn's ``_fit_and_score``),
reports each finished batch of tasks. The report comes from joblib's own bookkeeping in the
calling process (``Parallel.print_progress``, run after every finished batch
for every backend: sequential, threads, loky processes, Dask), so it costs a
counter update per batch and changes neither the fits nor their results.
Joblib has no public callback for this, hence the patch of that method
(restored on exit). scikit-learn's callback API (``sklearn.callback``, 1.9+)
covers only some estimators and not ``cross_validate``. Calls nested inside a
fit (an estimator's own ``n_jobs``), a search's final refit (a forest's trees
are joblib tasks too) and calls from other threads are not counted. If joblib
ever lacks the method, or scikit-learn renames its task function, only
explicit `Progress.advance` calls count.

The time left is the mean time per finished fit times the fits left, counted
from the first finished fit so that worker start-up does not inflate it:
rough while folds of different candidates differ, and absent while the total
is unknown (successive halving decides its rounds as it goes).
"""

from __future__ import annotations

import itertools
import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import joblib

logger = logging.getLogger(__name__)
DEFAULT_EVERY = 10.0  # seconds between two progress lines
# The functions scikit-learn's cross-validation and searches hand to joblib,
# one call per setting and fold (model_selection._validation).
FIT_TASKS = frozenset({"_fit_and_score"})


def clock_text(seconds: float) -> str:
    """``0:07``, ``12:34`` or ``1:02:03``."""
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


class Progress:
    """Finished fits out of a total, with the elapsed time and time left.

    ``stage`` names what runs now (``candidate 2/5 ridge``); ``advance`` and
    ``set_done`` count fits, from any thread. A line is logged when a stage
    starts, at the first fit, at most every ``every`` seconds after, and when
    the last fit is done.
    """

    def __init__(
        self,
        label: str,
        total: int | None,
        every: float = DEFAULT_EVERY,
        clock: Callable[[], float] = time.monotonic,
        log: logging.Logger = logger,
    ) -> None:
        self.label = label
        self.total = total
        self.done = 0
        self.detail = ""
        self._every = every
        self._clock = clock
        self._log = log
        self._started = clock()
        self._last_line: float | None = None
        self._first_at: float | None = None  # when the first fits finished
        self._first_done = 0
        self._lock = threading.Lock()

    def elapsed(self) -> float:
        return self._clock() - self._started

    def seconds_left(self) -> float | None:
        """Mean time per finished fit × fits left; None before the first fit or
        without a total.

        Once two more fits have finished after the first, the mean is taken
        from the first one on, which leaves out the start-up before it
        (worker processes starting and importing), otherwise spread over
        every estimate.
        """
        if not self.total or not self.done:
            return None
        left = max(self.total - self.done, 0)
        since_first = self.done - self._first_done
        if self._first_at is not None and since_first >= 2:
            return (self._clock() - self._first_at) / since_first * left
        return self.elapsed() / self.done * left

    def message(self) -> str:
        """The progress line, e.g. ``search: 3/20 fits (15%), 0:09 elapsed, about 0:51 left``."""
        where = f"{self.label}: {self.detail}; " if self.detail else f"{self.label}: "
        if self.total:
            count = f"{self.done}/{self.total} fits ({self.done / self.total:.0%})"
        else:
            count = f"{self.done} fits"
        text = f"{where}{count}, {clock_text(self.elapsed())} elapsed"
        left = self.seconds_left()
        return text if left is None else f"{text}, about {clock_text(left)} left"

    def stage(self, detail: str) -> None:
        """Name what runs now and log it."""
        with self._lock:
            self.detail = detail
            self._emit()

    def advance(self, fits: int = 1) -> None:
        """Count ``fits`` more finished fits."""
        self.set_done(self.done + fits)

    def set_done(self, done: int) -> None:
        """Set the count of finished fits (it never goes down)."""
        with self._lock:
            if done <= self.done:
                return
            first = self.done == 0
            self.done = done
            now = self._clock()
            if first:
                self._first_at, self._first_done = now, done
            due = self._last_line is None or now - self._last_line >= self._every
            if first or due or done == self.total:
                self._emit()

    def _emit(self) -> None:
        self._last_line = self._clock()
        self._log.info("%s", self.message())


class _Observer:
    """Counts the finished tasks of the outermost joblib calls of one thread."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.thread = threading.get_ident()
        self.depth = 0
        self.base = progress.done
        self.per_call: dict[int, int] = {}
        self.lock = threading.Lock()

    def finished(self, call: Any) -> None:
        with self.lock:
            self.per_call[id(call)] = int(getattr(call, "n_completed_tasks", 0))
            done = self.base + sum(self.per_call.values())
        self.progress.set_done(done)


class _Patch:
    """The one observation active in this process, if any."""

    active: _Observer | None = None
    lock = threading.Lock()


@contextmanager
def observe_fits(progress: Progress) -> Iterator[Progress]:
    """Count the tasks of the joblib calls made inside as fits of ``progress``.

    Only one observation is active at a time in a process; a nested one, or one
    from another thread meanwhile, observes nothing (its ``advance`` calls still
    count).
    """
    parallel = joblib.Parallel
    original_call = parallel.__call__
    original_print = getattr(parallel, "print_progress", None)
    with _Patch.lock:
        busy = _Patch.active is not None or original_print is None
        if not busy:
            observer = _Observer(progress)
            _Patch.active = observer
            parallel.__call__ = _observed_call(original_call, observer)
            parallel.print_progress = _observed_print(original_print, observer)
    if busy:
        yield progress
        return
    try:
        yield progress
    finally:
        with _Patch.lock:
            parallel.__call__ = original_call
            parallel.print_progress = original_print
            _Patch.active = None


def _first_task(iterable: Any) -> tuple[Any, Any]:
    """The first task of a joblib call, and the tasks with it put back."""
    if isinstance(iterable, list | tuple):
        return (iterable[0] if iterable else None), iterable
    tasks = iter(iterable)
    try:
        first = next(tasks)
    except StopIteration:
        return None, []
    return first, itertools.chain([first], tasks)


def _is_fit_task(task: Any) -> bool:
    """Whether a joblib task fits and scores one setting on one fold.

    scikit-learn's ``delayed`` wraps the function (``.function``); a search's
    final refit, or an estimator's own parallel trees, are other functions.
    """
    function = task[0] if isinstance(task, tuple) and task else None
    function = getattr(function, "function", function)
    return getattr(function, "__name__", None) in FIT_TASKS


def _observed_call(original: Any, observer: _Observer) -> Any:
    def __call__(self: Any, iterable: Any) -> Any:  # noqa: N807 - joblib's name
        outermost = threading.get_ident() == observer.thread and observer.depth == 0
        if outermost:
            first, iterable = _first_task(iterable)
            if _is_fit_task(first):
                self._ml_workflow_observer = observer
        if threading.get_ident() == observer.thread:
            observer.depth += 1
        try:
            return original(self, iterable)
        finally:
            if threading.get_ident() == observer.thread:
                observer.depth -= 1

    return __call__


def _observed_print(original: Any, observer: _Observer) -> Any:
    def print_progress(self: Any) -> None:
        original(self)
        if getattr(self, "_ml_workflow_observer", None) is observer:
            observer.finished(self)

    return print_progress


def planned_fits(search: Any, n_splits: int) -> int | None:
    """The fits a scikit-learn search will make before its refit, if known in
    advance: settings × folds for a grid or random search; None for successive
    halving, which chooses its rounds as it goes."""
    if hasattr(search, "n_iter") and not hasattr(search, "factor"):
        return int(search.n_iter) * n_splits
    grid = getattr(search, "param_grid", None)
    if grid is not None and not hasattr(search, "factor"):
        from sklearn.model_selection import ParameterGrid  # noqa: PLC0415

        return len(ParameterGrid(grid)) * n_splits
    return None


@contextmanager
def search_progress(label: str, search: Any) -> Iterator[Progress]:
    """Log the progress of ``search.fit`` (a scikit-learn search) inside."""
    n_splits = search.cv.get_n_splits() if hasattr(search.cv, "get_n_splits") else None
    total = planned_fits(search, n_splits) if n_splits else None
    with observe_fits(Progress(label, total)) as progress:
        yield progress
