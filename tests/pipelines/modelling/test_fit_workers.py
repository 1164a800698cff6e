"""Where selection, search and threshold fits run: threads for text, processes
otherwise (`ml_workflow.parallel.fit_workers`), with two local workers."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

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


@pytest.mark.parametrize(
    ("problem", "in_this_process"), [(TEXT, True), (TABULAR, False)]
)
def test_text_fits_in_this_process_threads_and_tabular_in_worker_processes(
    problem: Problem, in_this_process: bool, tmp_path: Path
) -> None:
    """Comparing, searching and tuning the threshold of a text variant fits
    in threads of the run's process (no worker process holds another copy of
    the texts); a tabular variant's fits go to worker processes."""
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
    assert fit_workers(problem) == ("threads" if in_this_process else "processes")
    for log in (selecting, tuning):
        processes = {pid for pid, _ in fitted_where(str(log))}
        if in_this_process:
            assert processes == {os.getpid()}
        else:
            assert processes - {os.getpid()}
    # two threads took the text variant's folds side by side
    if in_this_process:
        assert len({thread for _, thread in fitted_where(str(selecting))}) > 1
