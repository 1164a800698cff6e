"""The seeded subsample of the training split that model selection works on.

Comparing candidates and searching hyperparameters costs K fits per setting;
on millions of rows that is hours, while the ranking of candidates settles on
far fewer rows. ``model_selection.max_rows`` caps the rows those steps see;
the chosen model is still fitted on the WHOLE training split afterwards.
"""

from __future__ import annotations

import pandas as pd
from sklearn.model_selection import train_test_split

from ml_workflow.core.config import ModelSelection, Problem
from ml_workflow.core.task import task_for


def selection_rows(
    train: pd.DataFrame, problem: Problem, model_selection: ModelSelection
) -> pd.DataFrame:
    """At most ``model_selection.max_rows`` training rows (all if null).

    The sample is seeded (``model_selection.seed``) and stratified on the
    target when the task stratifies, so every class keeps its share.
    """
    max_rows = model_selection.max_rows
    if max_rows is None or len(train) <= max_rows:
        return train
    target = train[problem.target]
    sample, _ = train_test_split(
        train,
        train_size=max_rows,
        random_state=model_selection.seed,
        stratify=target if task_for(problem).STRATIFIES else None,
    )
    return sample
