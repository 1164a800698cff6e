"""Small helpers shared by the figure builders."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

TEMPLATE = "plotly_white"
COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b")
# Figures embed their points in JSON: above this many rows a seeded sample is
# drawn (a histogram or scatter of 50,000 points looks the same as of millions,
# and the figure stays a few MB instead of hundreds).
MAX_PLOT_ROWS = 50_000
_Frame = TypeVar("_Frame", pd.DataFrame, pd.Series)


def display_rows(data: _Frame, max_rows: int = MAX_PLOT_ROWS, seed: int = 0) -> _Frame:
    """Return ``data`` itself, or a seeded sample of ``max_rows`` rows if larger."""
    if len(data) <= max_rows:
        return data
    return data.sample(n=max_rows, random_state=seed)


def new_figure(title: str, x_title: str, y_title: str) -> go.Figure:
    """Return an empty single-panel figure with a title and axis labels."""
    figure = go.Figure()
    figure.update_layout(
        title=title, template=TEMPLATE, xaxis_title=x_title, yaxis_title=y_title
    )
    return figure


def panel_grid(
    title: str, panel_titles: Sequence[str], columns: int = 2, **kwargs
) -> go.Figure:
    """Return a figure with one titled panel per entry, ``columns`` panels a row."""
    columns = max(1, min(columns, len(panel_titles)))
    rows = -(-len(panel_titles) // columns)
    figure = make_subplots(
        rows=rows, cols=columns, subplot_titles=list(panel_titles), **kwargs
    )
    figure.update_layout(
        title=title, template=TEMPLATE, height=max(400, 300 * rows), showlegend=True
    )
    return figure


def position(index: int, columns: int) -> tuple[int, int]:
    """Return the 1-based (row, col) of the ``index``-th panel of a grid."""
    return index // columns + 1, index % columns + 1


def no_skill_diagonal() -> go.Scatter:
    """The ROC curve of a model that ranks at random, drawn beside a real one."""
    return go.Scatter(
        x=[0, 1],
        y=[0, 1],
        mode="lines",
        name="no skill",
        line={"dash": "dash", "color": "grey"},
    )
