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

If a batch fails (a model that cannot score some record, e.g. a value beyond
float32 for a tree), each request of the batch is scored again on its own, so
only the request that holds the record fails.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from threadpoolctl import threadpool_limits

# records -> (one prediction row per record, the model that scored them)
Scorer = Callable[[list[Any]], tuple[list[dict[str, Any]], str | None]]
Scored = tuple[list[dict[str, Any]], str | None]


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

    async def predict(self, records: list[Any]) -> Scored:
        """The prediction rows of ``records``, in order, and the model that scored them."""
        future = asyncio.get_running_loop().create_future()
        self._waiting.append((records, future))
        if not self._draining:
            self._draining = True
            self._task = asyncio.ensure_future(self._drain())
        return await future

    async def _run(self, records: list[Any]) -> Scored:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, self._score, records)

    async def _score_alone(self, batch: list[tuple[list[Any], asyncio.Future]]) -> None:
        """Score each request on its own, so one bad request fails alone."""
        for chunk, future in batch:
            try:
                result = await self._run(chunk)
            except Exception as failure:  # noqa: BLE001 - handed to its request
                if not future.done():
                    future.set_exception(failure)
            else:
                if not future.done():
                    future.set_result(result)

    async def _drain(self) -> None:
        while True:
            batch, self._waiting = self._waiting, []
            records = [record for chunk, _ in batch for record in chunk]
            try:
                rows, scored_by = await self._run(records)
                error = None
            except Exception as failure:  # noqa: BLE001 - handed to each request
                rows, scored_by, error = [], None, failure
            if error is not None and len(batch) > 1:
                await self._score_alone(batch)
                batch = []  # answered
            # Decide before waking the requests, so that a new request never
            # finds the flag set by a batcher that is about to stop.
            self._draining = bool(self._waiting)
            start = 0
            for chunk, future in batch:
                if not future.done():
                    if error is not None:
                        future.set_exception(error)
                    else:
                        future.set_result((rows[start : start + len(chunk)], scored_by))
                start += len(chunk)
            if not self._draining:
                return


__all__ = ["PredictionBatcher", "model_executor"]
