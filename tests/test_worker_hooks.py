"""The cross-validation workers are started, warm, before the first fit."""

from __future__ import annotations

import os
import sys
from typing import Any

import joblib
import pytest
from kedro.io import DataCatalog, MemoryDataset
from kedro.pipeline import Node, Pipeline

from ml_workflow.core.config import Compute
from ml_workflow.worker_hooks import WarmWorkersHooks, workers_to_warm


def _node(name: str) -> Node:
    return Node(lambda x: x, "a", "b", name=name, namespace=None)


SELECTS = Pipeline(
    [Node(lambda x: x, "a", "b", name="select_model", namespace="housing")]
)
CLEANS = Pipeline([_node("clean_raw_data")])


def _catalog(compute: Any) -> DataCatalog:
    return DataCatalog({"params:compute": MemoryDataset(compute)})


@pytest.mark.parametrize(
    ("pipeline", "compute", "workers"),
    [
        (SELECTS, {"n_jobs": 2}, 2),
        (SELECTS, Compute(n_jobs=2), 2),  # as the run's catalog holds it
        (SELECTS, Compute(), joblib.cpu_count()),  # n_jobs -1: every core
        (SELECTS, {"n_jobs": -1}, joblib.cpu_count()),
        (SELECTS, {"n_jobs": 1}, 0),  # fits in the run's own process
        (SELECTS, None, 0),
        (SELECTS, {"n_jobs": 2, "cluster": {"scheduler": "tcp://h:8786"}}, 0),
        (SELECTS, {"n_jobs": "two"}, 0),  # invalid: the nodes report it
        (CLEANS, {"n_jobs": 2}, 0),  # nothing is cross-validated
    ],
)
def test_workers_are_warmed_only_for_local_cross_validation(
    pipeline: Pipeline, compute: Any, workers: int
) -> None:
    expected = workers if workers > 1 else 0
    assert workers_to_warm(pipeline, compute) == expected


def _worker_state() -> tuple[int, bool]:
    return os.getpid(), "ml_workflow.core.model_builder" in sys.modules


def test_the_hook_starts_workers_that_have_imported_the_model_code() -> None:
    hooks = WarmWorkersHooks()
    hooks.before_pipeline_run(pipeline=SELECTS, catalog=_catalog(Compute(n_jobs=2)))
    assert hooks.thread is not None
    hooks.thread.join(timeout=120)
    assert not hooks.thread.is_alive()
    # the fits' own Parallel call reuses the warmed workers (joblib's reusable
    # executor): every worker has the model code imported before its first fit
    states = joblib.Parallel(n_jobs=2)(
        joblib.delayed(_worker_state)() for _ in range(8)
    )
    assert os.getpid() not in {pid for pid, _ in states}
    assert all(imported for _, imported in states)


def test_the_hook_starts_nothing_for_a_run_without_model_selection() -> None:
    hooks = WarmWorkersHooks()
    hooks.before_pipeline_run(pipeline=CLEANS, catalog=_catalog({"n_jobs": 2}))
    hooks.before_pipeline_run(pipeline=SELECTS, catalog=DataCatalog({}))
    assert hooks.thread is None
