"""Figures that judge a regression model's predictions on the test split."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from .common import COLOURS, new_figure, panel_grid


def predicted_vs_actual_figure(
    actual: Sequence[float], predicted: Sequence[float], target: str = "target"
) -> go.Figure:
    """Scatter of predicted against actual values, with the identity line.

    Points on the line are perfect predictions; a cloud bending away from it
    shows where the model is biased.
    """
    actual = np.asarray(actual, dtype=float)
    predicted = np.asarray(predicted, dtype=float)
    low = float(min(actual.min(), predicted.min()))
    high = float(max(actual.max(), predicted.max()))
    figure = new_figure(
        f"Predicted vs actual {target} (test split)",
        f"actual {target}",
        f"predicted {target}",
    )
    figure.add_trace(
        go.Scatter(
            x=actual,
            y=predicted,
            mode="markers",
            name="test rows",
            marker={"size": 4, "opacity": 0.4, "color": COLOURS[0]},
        )
    )
    figure.add_trace(
        go.Scatter(
            x=[low, high],
            y=[low, high],
            mode="lines",
            name="perfect prediction",
            line={"dash": "dash", "color": COLOURS[1]},
        )
    )
    return figure


def residuals_figure(
    actual: Sequence[float], predicted: Sequence[float], target: str = "target"
) -> go.Figure:
    """Two panels: residuals (actual - predicted) against predictions, and their
    distribution. A funnel or a curve in the first panel, or a skewed second
    panel, shows errors the model makes systematically.
    """
    actual = np.asarray(actual, dtype=float)
    predicted = np.asarray(predicted, dtype=float)
    residuals = actual - predicted
    figure = panel_grid(
        f"Residuals of {target} (test split)",
        ["Residuals vs predicted", "Residual distribution"],
    )
    figure.add_trace(
        go.Scatter(
            x=predicted,
            y=residuals,
            mode="markers",
            name="test rows",
            marker={"size": 4, "opacity": 0.4, "color": COLOURS[0]},
        ),
        row=1,
        col=1,
    )
    figure.add_trace(
        go.Scatter(
            x=[float(predicted.min()), float(predicted.max())],
            y=[0.0, 0.0],
            mode="lines",
            name="zero error",
            line={"dash": "dash", "color": COLOURS[1]},
        ),
        row=1,
        col=1,
    )
    figure.add_trace(
        go.Histogram(
            x=residuals,
            nbinsx=50,
            name="residuals",
            marker_color=COLOURS[0],
            showlegend=False,
        ),
        row=1,
        col=2,
    )
    figure.update_xaxes(title_text=f"predicted {target}", row=1, col=1)
    figure.update_yaxes(title_text="residual (actual - predicted)", row=1, col=1)
    figure.update_xaxes(title_text="residual (actual - predicted)", row=1, col=2)
    figure.update_yaxes(title_text="rows", row=1, col=2)
    return figure
