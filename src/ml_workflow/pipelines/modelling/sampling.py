"""The seeded subsample of the training split that model selection works on.

Comparing candidates and searching hyperparameters costs K fits per setting;
on millions of rows that is hours, while the ranking of candidates settles on
far fewer rows. ``model_selection.max_rows`` caps the rows those steps see;
the chosen model is still fitted on the WHOLE training split afterwards.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
from sklearn.model_selection import train_test_split

from ml_workflow.errors import ConfigurationError
from ml_workflow.problem import target_of, task_of


def selection_rows(
    train: pd.DataFrame, problem: Mapping[str, Any], model_selection: Mapping[str, Any]
) -> pd.DataFrame:
    """Return at most ``model_selection.max_rows`` training rows (all if null).

    The sample is seeded (``model_selection.seed``) and, for classification,
    stratified on the target so every class keeps its share.
    """
    max_rows = model_selection.get("max_rows")
    if max_rows is None:
        return train
    if not isinstance(max_rows, int) or isinstance(max_rows, bool) or max_rows < 2:
        raise ConfigurationError(
            "model_selection.max_rows must be null (every training row) or an "
            f"integer of at least 2, found {max_rows!r}"
        )
    if len(train) <= max_rows:
        return train
    target = train[target_of(problem)]
    sample, _ = train_test_split(
        train,
        train_size=max_rows,
        random_state=model_selection.get("seed"),
        stratify=target if task_of(problem) == "classification" else None,
    )
    return sample
