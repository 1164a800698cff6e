"""Nodes that profile the cleaned data (before the split) as Plotly figures.

What is drawn follows the declared feature kinds and task, never the variant.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ml_workflow.core.config import Problem
from ml_workflow.core.task import task_for
from ml_workflow.plots import data_profile
from ml_workflow.plots.common import display_rows


def plot_column_profile(cleaned: pd.DataFrame, problem: Problem) -> go.Figure:
    """Each declared column's kind and share of missing values."""
    kinds = {
        column: problem.features.kind_of(column) for column in problem.feature_columns
    }
    kinds[problem.target] = "target"
    return data_profile.column_profile_figure(cleaned, kinds)


def plot_feature_distributions(cleaned: pd.DataFrame, problem: Problem) -> go.Figure:
    """Distribution of every feature, text as length by class."""
    return data_profile.feature_distributions_figure(
        display_rows(cleaned),
        problem.features,
        problem.target,
        by_class=task_for(problem).CATEGORICAL_TARGET,
    )


def plot_correlations(cleaned: pd.DataFrame, problem: Problem) -> go.Figure:
    """Correlation heatmap of the numeric readings of the features and the target."""
    reading = task_for(problem).target_reading(cleaned[problem.target])
    view = data_profile.numeric_view(cleaned, problem.features, reading)
    return data_profile.correlation_figure(view)


def plot_target(cleaned: pd.DataFrame, problem: Problem) -> go.Figure:
    """The target's distribution (regression) or class balance (classification)."""
    return data_profile.target_figure(
        display_rows(cleaned[problem.target]),
        as_classes=task_for(problem).CATEGORICAL_TARGET,
    )
