"""Nodes that profile the cleaned data (before the split) as Plotly figures.

What is drawn follows the declared feature kinds and task, never the variant.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from ml_workflow.plots import data_profile
from ml_workflow.plots.common import display_rows
from ml_workflow.problem import features_by_kind, target_of, task_of


def plot_column_profile(cleaned: pd.DataFrame, problem: Mapping[str, Any]) -> go.Figure:
    """Each declared column's kind and share of missing values."""
    kinds = {
        column: kind
        for kind, columns in features_by_kind(problem).items()
        for column in columns
    }
    kinds[target_of(problem)] = "target"
    return data_profile.column_profile_figure(cleaned, kinds)


def plot_feature_distributions(
    cleaned: pd.DataFrame, problem: Mapping[str, Any]
) -> go.Figure:
    """Distribution of every feature, text as length by class."""
    return data_profile.feature_distributions_figure(
        display_rows(cleaned),
        features_by_kind(problem),
        target_of(problem),
        task_of(problem),
    )


def plot_correlations(cleaned: pd.DataFrame, problem: Mapping[str, Any]) -> go.Figure:
    """Correlation heatmap of the numeric readings of the features and the target."""
    task = task_of(problem)
    view = data_profile.numeric_view(
        cleaned,
        features_by_kind(problem),
        target_of(problem),
        task,
        str(problem.get("positive_class")) if task == "classification" else None,
    )
    return data_profile.correlation_figure(view)


def plot_target(cleaned: pd.DataFrame, problem: Mapping[str, Any]) -> go.Figure:
    """The target's distribution (regression) or class balance (classification)."""
    return data_profile.target_figure(
        display_rows(cleaned[target_of(problem)]), task_of(problem)
    )
