"""Where selection, search and threshold fits run: threads for long text,
processes otherwise (`ml_workflow.parallel.fit_workers`), with two local
workers."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ml_workflow import parallel
from ml_workflow.core.config import (
    Candidate,
    Compute,
    Evaluation,
    ModelSelection,
    Preprocessing,
    Problem,
)
from ml_workflow.core.model_builder import feature_transform
from ml_workflow.parallel import fit_workers
from ml_workflow.pipelines.modelling import nodes
from tests.estimators import fitted_where

TEXT = Problem.model_validate(
    {
        "task": "classification",
        "target": "label",
        "positive_class": "spam",
        "features": {"numeric": ["length"], "text": ["message"]},
    }
)
TABULAR = Problem.model_validate(
    {
        "task": "classification",
        "target": "label",
        "positive_class": "spam",
        "features": {"numeric": ["length"]},
    }
)
SELECTION = ModelSelection.model_validate(
    {
        "cv_folds": 2,
        "seed": 3,
        "search": {"strategy": "grid", "cv_folds": 2},
        "threshold": {"objective": "f1", "cv_folds": 2},
    }
)


def _frame() -> pd.DataFrame:
    rng = np.random.default_rng(1)
    spam = [f"win cash prize {i} call now" for i in range(12)]
    ham = [f"lunch at {i} see you" for i in range(18)]
    return pd.DataFrame(
        {
            "message": spam + ham,
            "length": rng.integers(10, 40, 30),
            "label": ["spam"] * 12 + ["ham"] * 18,
        }
    )


def _candidates(log: Path) -> list[Candidate]:
    where = {"estimator": "tests.estimators.WhereItFits"}
    return [
        Candidate(name="first", hyperparameters={"log": str(log)}, **where),
        Candidate(
            name="second",
            hyperparameters={"log": str(log)},
            search_space={"C": [1.0, 2.0]},
            **where,
        ),
    ]


def test_text_is_long_beyond_a_number_of_characters_over_its_columns() -> None:
    two_columns = TEXT.model_copy(
        update={"features": TEXT.features.model_copy(update={"text": ["a", "b"]})}
    )
    limit = parallel.THREADED_TEXT_CHARACTERS
    at_limit = pd.DataFrame({"a": ["x" * (limit // 2)], "b": ["y" * (limit // 2)]})
    over = at_limit.assign(b=at_limit["b"] + "y")
    assert fit_workers(two_columns, at_limit) == "processes"
    assert fit_workers(two_columns, over) == "threads"
    assert fit_workers(two_columns, over.assign(b=None)) == "processes"  # missing
    assert fit_workers(TABULAR, over) == "processes"
    assert fit_workers(TEXT) == "threads"  # length unknown: the memory-safe way


@pytest.mark.parametrize(
    ("problem", "long_text", "in_this_process"),
    [(TEXT, True, True), (TEXT, False, False), (TABULAR, False, False)],
)
def test_long_text_fits_in_this_process_threads_and_the_rest_in_processes(
    problem: Problem,
    long_text: bool,
    in_this_process: bool,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Comparing, searching and tuning the threshold of a variant with long
    text fits in threads of the run's process (no worker process holds
    another copy of the texts); short text and tabular data go to worker
    processes. "Long" is lowered to this frame's 30 messages."""
    if long_text:
        monkeypatch.setattr(parallel, "THREADED_TEXT_CHARACTERS", 100)
    selecting, tuning = tmp_path / "select.log", tmp_path / "tune.log"
    two_jobs = Compute(n_jobs=2)
    train = _frame()
    settings = (Preprocessing(), _candidates(selecting), SELECTION)
    _, report = nodes.select_model(
        train, feature_transform([]), problem, *settings, Evaluation(), two_jobs
    )
    report["chosen"] = "second"  # searched and threshold-tuned
    nodes.tune_model(
        train,
        feature_transform([]),
        report,
        problem,
        Preprocessing(),
        _candidates(tuning),
        SELECTION,
        Evaluation(),
        two_jobs,
    )
    expected = "threads" if in_this_process else "processes"
    assert fit_workers(problem, train) == expected
    for log in (selecting, tuning):
        processes = {pid for pid, _ in fitted_where(str(log))}
        if in_this_process:
            assert processes == {os.getpid()}
        else:
            assert processes - {os.getpid()}
    # two threads took the text variant's folds side by side
    if in_this_process:
        assert len({thread for _, thread in fitted_where(str(selecting))}) > 1
