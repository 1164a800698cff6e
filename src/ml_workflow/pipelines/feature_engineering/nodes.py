"""Nodes that derive features and split the data into train and test."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
from sklearn.model_selection import train_test_split

from ml_workflow.derived_features import add_derived_features, check_derived_features
from ml_workflow.errors import ConfigurationError, DataValidationError
from ml_workflow.problem import feature_columns, target_of, task_of


def build_features(
    cleaned: pd.DataFrame,
    problem: Mapping[str, Any],
    derived_features: Sequence[Mapping[str, Any]] | None,
) -> pd.DataFrame:
    """Add the declared derived features to the cleaned data.

    Refuses a derived feature that reads the target (it would leak the answer)
    or a column that is not a declared feature.
    """
    check_derived_features(
        derived_features, feature_columns(problem), target_of(problem)
    )
    return add_derived_features(cleaned, derived_features)


def split_train_test(
    features: pd.DataFrame, problem: Mapping[str, Any], split: Mapping[str, Any]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split rows into train and test, stratified on the target if asked.

    The seed comes from parameters, so the same parameters give the same split.
    """
    target = target_of(problem)
    if "seed" not in split:
        raise ConfigurationError(
            "split.seed is required: the split must be reproducible from parameters"
        )
    test_size = split.get("test_size", 0.2)
    stratify = bool(split.get("stratify", False))
    if stratify and task_of(problem) != "classification":
        raise ConfigurationError(
            "split.stratify is true, but stratifying needs classes: it only applies "
            "to a classification task"
        )
    n_test = (
        test_size if isinstance(test_size, int) else round(len(features) * test_size)
    )
    if len(features) - n_test < 2 or n_test < 1:
        raise DataValidationError(
            f"{len(features)} row(s) are too few to split with test_size={test_size}: "
            "both train and test need rows"
        )
    if stratify:
        smallest = features[target].value_counts().min()
        if smallest < 2:
            raise DataValidationError(
                f"a class of target {target!r} has {smallest} row(s); stratifying needs "
                "at least two of each class"
            )
    train, test = train_test_split(
        features,
        test_size=test_size,
        random_state=split["seed"],
        stratify=features[target] if stratify else None,
    )
    return train, test
