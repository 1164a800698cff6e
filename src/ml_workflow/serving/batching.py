"""Score concurrent requests together: one model call for all waiting records.

Predicting one row through the model (derived features, ColumnTransformer,
estimator) costs a few milliseconds of fixed pandas/scikit-learn overhead, and
predicting fifty costs about the same. So while the model scores one batch,
requests that arrive queue up, and the next call scores all of them at once
("natural" batching: no added wait when the server is idle). Rows are scored
independently, so a record's prediction does not depend on its batch-mates.

The model runs in one dedicated thread limited to one native (OpenMP/BLAS)
thread: the event loop keeps accepting requests meanwhile, and per-tree OpenMP
thread start-up (costly for one row) is avoided.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from threadpoolctl import threadpool_limits

Scorer = Callable[[list[Any]], list[dict[str, Any]]]


def _one_native_thread() -> None:
    threadpool_limits(limits=1)


def model_executor() -> ThreadPoolExecutor:
    """The single thread every model call runs in."""
    return ThreadPoolExecutor(
        max_workers=1,
        thread_name_prefix="ml_workflow-model",
        initializer=_one_native_thread,
    )


class PredictionBatcher:
    """Coalesce the records of concurrent requests into one ``score`` call."""

    def __init__(self, score: Scorer, executor: ThreadPoolExecutor) -> None:
        self._score = score
        self._executor = executor
        self._waiting: list[tuple[list[Any], asyncio.Future]] = []
        self._draining = False
        self._task: asyncio.Future | None = None

    async def predict(self, records: list[Any]) -> list[dict[str, Any]]:
        """The prediction rows of ``records``, in order."""
        future = asyncio.get_running_loop().create_future()
        self._waiting.append((records, future))
        if not self._draining:
            self._draining = True
            self._task = asyncio.ensure_future(self._drain())
        return await future

    async def _drain(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            batch, self._waiting = self._waiting, []
            records = [record for chunk, _ in batch for record in chunk]
            try:
                rows = await loop.run_in_executor(self._executor, self._score, records)
                error = None
            except Exception as failure:  # noqa: BLE001 - handed to each request
                rows, error = [], failure
            # Decide before waking the requests, so that a new request never
            # finds the flag set by a batcher that is about to stop.
            self._draining = bool(self._waiting)
            start = 0
            for chunk, future in batch:
                if not future.done():
                    if error is not None:
                        future.set_exception(error)
                    else:
                        future.set_result(rows[start : start + len(chunk)])
                start += len(chunk)
            if not self._draining:
                return


__all__ = ["PredictionBatcher", "model_executor"]
