"""Figures that explain any model: feature importance and the learning curve.

They draw tables computed elsewhere (``pipelines/evaluation/diagnostics.py``),
so they work for every estimator and are cheap to test.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import plotly.graph_objects as go

from .common import COLOURS, new_figure, panel_grid


def _permutation_bar(importance: Mapping[str, Any], top_n: int) -> go.Bar:
    rows = sorted(importance["permutation"], key=lambda row: row["mean"], reverse=True)
    rows = rows[:top_n][::-1]  # largest at the top of a horizontal bar chart
    return go.Bar(
        orientation="h",
        y=[row["feature"] for row in rows],
        x=[row["mean"] for row in rows],
        error_x={"type": "data", "array": [row["std"] for row in rows]},
        name="permutation importance",
        marker_color=COLOURS[0],
    )


def _token_bar(tokens: Mapping[str, Any]) -> go.Bar:
    items = sorted(tokens["items"], key=lambda item: item["weight"])
    return go.Bar(
        orientation="h",
        y=[f"{item['token']} ({item['column']})" for item in items],
        x=[item["weight"] for item in items],
        marker_color=[
            COLOURS[1] if item["weight"] > 0 else COLOURS[0] for item in items
        ],
        name="token weight",
    )


def feature_importance_figure(
    importance: Mapping[str, Any], top_n: int = 20
) -> go.Figure:
    """Permutation importance of the top ``top_n`` features (drop in the metric when
    a feature's values are shuffled), and, when the model reads text and has
    per-token weights, its most informative tokens in a second panel.
    """
    metric = importance["metric"]
    x_title = f"drop in {metric} when shuffled"
    tokens = importance.get("tokens")
    title = f"Feature importance (permutation on {importance['scored_rows']} test rows)"
    if importance.get("note"):
        title += f"<br><sup>{importance['note']}</sup>"
    if not tokens:
        figure = new_figure(title, x_title, "feature")
        figure.add_trace(_permutation_bar(importance, top_n))
        figure.update_layout(
            height=max(400, 28 * min(top_n, len(importance["permutation"])) + 200)
        )
        return figure
    figure = panel_grid(
        title,
        [
            f"Top {top_n} features",
            f"Most informative tokens ({tokens['weight_meaning']})",
        ],
        horizontal_spacing=0.25,
    )
    figure.add_trace(_permutation_bar(importance, top_n), row=1, col=1)
    figure.add_trace(_token_bar(tokens), row=1, col=2)
    figure.update_xaxes(title_text=x_title, row=1, col=1)
    figure.update_xaxes(title_text=f"weight ({tokens['source']})", row=1, col=2)
    figure.update_layout(height=max(500, 22 * len(tokens["items"]) + 200))
    return figure


def learning_curve_figure(curve: Mapping[str, Any]) -> go.Figure:
    """Training and cross-validated score against the training-set size.

    A wide gap that stays open means overfitting; both curves low and close
    means underfitting; a validation curve still rising means more data helps.
    """
    metric = curve["metric"]
    figure = new_figure(
        f"Learning curve ({curve['cv']}-fold CV on {curve['rows_used']} training rows)",
        "training rows",
        metric,
    )
    for index, (key, name) in enumerate(
        [("train", "training score"), ("validation", "cross-validated score")]
    ):
        figure.add_trace(
            go.Scatter(
                x=curve["train_sizes"],
                y=curve[f"{key}_mean"],
                error_y={"type": "data", "array": curve[f"{key}_std"]},
                mode="lines+markers",
                name=name,
                line={"color": COLOURS[index]},
            )
        )
    return figure
