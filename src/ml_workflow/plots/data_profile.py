"""Figures that profile the cleaned data before it is split.

Each builder takes the cleaned frame and the declared feature kinds, so the same
code profiles any variant: numeric columns get histograms, categorical columns
bar charts of their levels, text columns their length (by class when the target
is a class).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from .common import COLOURS, new_figure, panel_grid, position

MAX_LEVELS = 20


def column_profile_figure(frame: pd.DataFrame, kinds: Mapping[str, str]) -> go.Figure:
    """Bar chart of each column's missing share, coloured and labelled by kind.

    ``kinds`` maps every column to show to its declared kind (``numeric``,
    ``categorical``, ``text`` or ``target``); the hover shows the pandas dtype.
    """
    figure = new_figure(
        f"Columns: kind and missing share ({len(frame)} rows)",
        "missing share",
        "column",
    )
    shares = {column: float(frame[column].isna().mean()) for column in kinds}
    for index, kind in enumerate(dict.fromkeys(kinds.values())):
        columns = [column for column, k in kinds.items() if k == kind]
        figure.add_trace(
            go.Bar(
                name=kind,
                orientation="h",
                y=columns,
                x=[shares[column] for column in columns],
                text=[f"{shares[column]:.1%}" for column in columns],
                textposition="outside",
                customdata=[str(frame[column].dtype) for column in columns],
                hovertemplate="%{y}: %{x:.1%} missing (dtype %{customdata})",
                marker_color=COLOURS[index % len(COLOURS)],
            )
        )
    # Small shares must stay visible: the axis ends just past the largest one.
    top = max([*shares.values(), 0.0])
    figure.update_xaxes(range=[0, min(1.0, max(0.05, top * 1.25))], tickformat=".0%")
    return figure


def text_length(values: pd.Series) -> pd.Series:
    """Return the length in characters of each text, missing texts as 0."""
    return values.fillna("").astype(str).str.len()


def feature_distributions_figure(
    frame: pd.DataFrame,
    by_kind: Any,
    target: str,
    by_class: bool,
) -> go.Figure:
    """One panel per feature: histogram (numeric), level counts (categorical),
    or message length in characters, split by class when ``by_class`` (text).

    ``by_kind`` has one sequence of columns per kind as attributes (``numeric``,
    ``categorical``, ``text``): the problem's ``features``.
    """
    columns = [
        (c, kind)
        for kind in ("numeric", "categorical", "datetime", "text")
        for c in getattr(by_kind, kind, ())
    ]
    titles = [
        f"{column} length (characters)" if kind == "text" else column
        for column, kind in columns
    ]
    grid_columns = 3 if len(columns) > 4 else 2
    figure = panel_grid("Feature distributions", titles, columns=grid_columns)
    for index, (column, kind) in enumerate(columns):
        row, col = position(index, grid_columns)
        if kind in ("numeric", "datetime"):  # dates: a histogram over time
            values = frame[column].dropna()
            figure.add_trace(
                go.Histogram(
                    x=values,
                    name=column,
                    nbinsx=40,
                    showlegend=False,
                    marker_color=COLOURS[0],
                ),
                row=row,
                col=col,
            )
            figure.update_yaxes(title_text="rows", row=row, col=col)
        elif kind == "categorical":
            counts = frame[column].fillna("(missing)").value_counts().head(MAX_LEVELS)
            figure.add_trace(
                go.Bar(
                    x=counts.index.astype(str).tolist(),
                    y=counts.to_numpy(),
                    name=column,
                    showlegend=False,
                    marker_color=COLOURS[0],
                ),
                row=row,
                col=col,
            )
            figure.update_yaxes(title_text="rows", row=row, col=col)
        else:
            lengths = text_length(frame[column])
            groups = (
                [
                    (str(label), lengths[frame[target] == label])
                    for label in sorted(frame[target].dropna().unique(), key=str)
                ]
                if by_class
                else [("all", lengths)]
            )
            # one set of bins for every class, so their shapes compare
            bins = {
                "start": 0,
                "end": int(lengths.max()) + 1,
                "size": max(1, -(-int(lengths.max()) // 40)),
            }
            for group_index, (label, values) in enumerate(groups):
                figure.add_trace(
                    go.Histogram(
                        x=values,
                        name=f"{target}={label}" if by_class else column,
                        histnorm="probability",
                        xbins=bins,
                        opacity=0.6,
                        marker_color=COLOURS[group_index % len(COLOURS)],
                        legendgroup=label,
                    ),
                    row=row,
                    col=col,
                )
            figure.update_yaxes(title_text="share of rows", row=row, col=col)
            figure.update_xaxes(title_text="characters", row=row, col=col)
    figure.update_layout(barmode="overlay")
    return figure


def numeric_view(
    frame: pd.DataFrame, by_kind: Any, target: tuple[str, pd.Series] | None
) -> pd.DataFrame:
    """Return the columns that have a numeric reading, for correlations.

    Numeric features as they are, text as its length (``<column> length``),
    dates as days since 1970 (``<column> (days)``), and the target's numeric
    reading ``(label, values)`` - the value itself, or 1/0 for the positive
    class - when it has one. Categorical features have no order and are left
    out.
    """
    view = pd.DataFrame(index=frame.index)
    for column in getattr(by_kind, "numeric", ()):
        view[column] = frame[column].astype(float)
    for column in getattr(by_kind, "datetime", ()):
        days = pd.to_datetime(frame[column])
        view[f"{column} (days)"] = (
            days.astype("int64").where(days.notna()) / 86_400e9
        ).astype(float)
    for column in getattr(by_kind, "text", ()):
        view[f"{column} length"] = text_length(frame[column]).astype(float)
    if target is not None:
        label, values = target
        view[label] = values.astype(float)
    return view


def correlation_figure(view: pd.DataFrame) -> go.Figure:
    """Heatmap of the Pearson correlations between the columns of ``view``."""
    correlations = view.corr(method="pearson").round(2)
    labels = correlations.columns.tolist()
    figure = new_figure("Correlations (Pearson)", "", "")
    figure.add_trace(
        go.Heatmap(
            z=correlations.to_numpy(),
            x=labels,
            y=labels,
            zmin=-1,
            zmax=1,
            colorscale="RdBu",
            reversescale=True,
            text=np.vectorize(lambda v: f"{v:.2f}")(correlations.to_numpy()),
            texttemplate="%{text}",
            name="correlation",
        )
    )
    figure.update_yaxes(autorange="reversed")
    figure.update_layout(height=max(450, 40 * len(labels) + 200))
    return figure


def target_figure(target: pd.Series, as_classes: bool) -> go.Figure:
    """The target's class balance (``as_classes``) or its distribution."""
    name = str(target.name)
    if as_classes:
        counts = target.value_counts()
        figure = new_figure(f"Class balance of {name}", name, "rows")
        figure.add_trace(
            go.Bar(
                x=counts.index.astype(str).tolist(),
                y=counts.to_numpy(),
                name=name,
                text=[f"{share:.1%}" for share in counts / counts.sum()],
                textposition="outside",
                marker_color=COLOURS[0],
            )
        )
        return figure
    figure = new_figure(f"Distribution of {name}", name, "rows")
    figure.add_trace(
        go.Histogram(x=target.dropna(), nbinsx=50, name=name, marker_color=COLOURS[0])
    )
    return figure
