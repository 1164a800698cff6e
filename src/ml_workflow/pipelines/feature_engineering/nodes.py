"""Nodes that build the model's feature transform and split the data into train and test.

The derived features are computed inside the model, by the transform this
stage builds, so serving needs nothing but raw records; the split holds the
raw declared columns the model reads.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from sklearn.model_selection import train_test_split

from ml_workflow.core.config import DerivedFeature, Problem, Split
from ml_workflow.core.features import DerivedFeatures
from ml_workflow.core.model_builder import feature_transform
from ml_workflow.errors import DataValidationError


def build_feature_transform(
    cleaned: pd.DataFrame, derived_features: Sequence[DerivedFeature]
) -> DerivedFeatures:
    """The transform from raw columns to raw plus derived features.

    It is the first step of every candidate model (modelling fits it again
    inside each model, on each training fold), one scikit-learn transformer
    per derived feature; it reads raw feature columns only, never the target.
    Fitting it here, on the cleaned data, checks that every column it reads
    is there: nothing is learned, the transformers are stateless.
    """
    return feature_transform(derived_features).fit(cleaned)


def split_train_test(
    cleaned: pd.DataFrame, problem: Problem, split: Split
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split rows into train and test, stratified on the target if asked.

    The seed comes from parameters, so the same parameters give the same split.
    """
    target = problem.target
    test_size = split.test_size
    n_test = (
        test_size if isinstance(test_size, int) else round(len(cleaned) * test_size)
    )
    if len(cleaned) - n_test < 2 or n_test < 1:
        raise DataValidationError(
            f"{len(cleaned)} row(s) are too few to split with test_size={test_size}: "
            "both train and test need rows"
        )
    if split.stratify:
        smallest = cleaned[target].value_counts().min()
        if smallest < 2:
            raise DataValidationError(
                f"a class of target {target!r} has {smallest} row(s); stratifying needs "
                "at least two of each class"
            )
    return train_test_split(
        cleaned,
        test_size=test_size,
        random_state=split.seed,
        stratify=cleaned[target] if split.stratify else None,
    )
