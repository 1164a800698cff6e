"""The cross-validation workers are started, warm, before the first fit."""

from __future__ import annotations

import os
import sys
from typing import Any

import joblib
import pytest
from kedro.io import DataCatalog, MemoryDataset
from kedro.pipeline import Node, Pipeline

from ml_workflow.core.config import Candidate, Compute, ModelSelection, Problem
from ml_workflow.worker_hooks import (
    WarmWorkersHooks,
    variant_fits_in_workers,
    workers_to_warm,
)


def _node(name: str) -> Node:
    return Node(lambda x: x, "a", "b", name=name, namespace=None)


SELECTS = Pipeline(
    [Node(lambda x: x, "a", "b", name="select_model", namespace="housing")]
)
CLEANS = Pipeline([_node("clean_raw_data")])
TRAINS = Pipeline(
    [
        Node(lambda x: x, "a", "b", name="select_model", namespace="housing"),
        Node(lambda x: x, "b", "c", name="tune_model", namespace="housing"),
    ]
)
DIAGNOSES = Pipeline(
    [Node(lambda x: x, "c", "d", name="compute_learning_curve", namespace="housing")]
)
ONE_FOREST = {"name": "forest", "estimator": "sklearn.ensemble.RandomForestRegressor"}
REGRESSION = {"task": "regression", "target": "y"}


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


FEATURES = {"numeric": ["x"]}
BINARY = {"task": "classification", "target": "y", "positive_class": 1}
MULTICLASS = {"task": "classification", "target": "y"}
SEARCHED_FOREST = {**ONE_FOREST, "search_space": {"max_depth": [2, 4]}}


def _raw(problem: dict[str, Any], *candidates: dict, **sections: Any) -> dict:
    """A variant's parameters as its YAML would give them."""
    return {
        "problem": {**problem, "features": FEATURES},
        "candidates": list(candidates),
        **sections,
    }


@pytest.mark.parametrize(
    ("variant", "fits_in_workers"),
    [
        (_raw(REGRESSION, ONE_FOREST, {**ONE_FOREST, "name": "other"}), True),
        (_raw(REGRESSION, ONE_FOREST), False),  # no space to search
        (_raw(REGRESSION, SEARCHED_FOREST), True),  # the default random search
        (
            _raw(
                REGRESSION,
                SEARCHED_FOREST,
                model_selection={"search": {"strategy": "none"}},
            ),
            False,
        ),
        # binary classification tunes its threshold by default, on folds
        (_raw(BINARY, ONE_FOREST), True),
        (_raw(BINARY, ONE_FOREST, model_selection={"threshold": None}), False),
        (_raw(MULTICLASS, ONE_FOREST), False),  # no threshold to tune
        (  # as the run's catalog holds them: validated, defaults filled
            {
                "problem": Problem.model_validate({**REGRESSION, "features": FEATURES}),
                "candidates": (Candidate.model_validate(ONE_FOREST),),
                "model_selection": ModelSelection.model_validate({}),
            },
            False,
        ),
        ({"problem": REGRESSION}, True),  # not a valid variant: warm as before
        (None, True),
    ],
)
def test_a_variant_fits_in_workers_unless_nothing_is_compared_searched_or_tuned(
    variant: Any, fits_in_workers: bool
) -> None:
    assert variant_fits_in_workers(variant) is fits_in_workers


def test_the_hook_and_the_nodes_read_one_decision(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The hook asks the modelling package's own predicate, so a change there
    (a new way to skip cross-validation) reaches the hook too."""
    from ml_workflow.pipelines.modelling import plan  # noqa: PLC0415

    monkeypatch.setattr(plan, "fits_in_workers", lambda *_: True)
    assert variant_fits_in_workers(_raw(REGRESSION, ONE_FOREST)) is True


def test_no_workers_are_warmed_for_a_run_that_fits_one_model_in_process() -> None:
    one_model = {"housing": _raw(REGRESSION, ONE_FOREST)}
    compared = {
        "housing": _raw(REGRESSION, ONE_FOREST, {**ONE_FOREST, "name": "other"})
    }
    assert workers_to_warm(TRAINS, {"n_jobs": 2}, one_model) == 0
    assert workers_to_warm(TRAINS, {"n_jobs": 2}, compared) == 2
    assert workers_to_warm(TRAINS, {"n_jobs": 2}, None) == 2  # parameters unknown
    # the learning curve always fits in workers
    assert workers_to_warm(TRAINS + DIAGNOSES, {"n_jobs": 2}, one_model) == 2


TEXT_FEATURES = {"text": ["message"]}


def test_no_workers_are_warmed_for_a_variant_that_reads_text() -> None:
    """A text variant's selection and search fit in threads when its text is
    long, which is known only once the data is loaded, and its diagnostics
    start their own workers late: warm ones could idle through the run. A
    tabular variant beside it still warms them."""
    text = {
        **_raw(BINARY, ONE_FOREST, {**ONE_FOREST, "name": "other"}),
        "problem": {**BINARY, "features": TEXT_FEATURES},
    }
    tabular = _raw(REGRESSION, ONE_FOREST, {**ONE_FOREST, "name": "other"})
    spam = Pipeline(
        [
            Node(lambda x: x, "s", "t", name="select_model", namespace="spam"),
            Node(
                lambda x: x, "t", "u", name="compute_learning_curve", namespace="spam"
            ),
        ]
    )
    assert variant_fits_in_workers(text) is False
    assert variant_fits_in_workers(tabular) is True
    assert workers_to_warm(spam, {"n_jobs": 2}, {"spam": text}) == 0
    assert (
        workers_to_warm(
            spam + TRAINS, {"n_jobs": 2}, {"spam": text, "housing": tabular}
        )
        == 2
    )
    # unsure (no parameters): warm as before
    assert workers_to_warm(spam, {"n_jobs": 2}, None) == 2


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
