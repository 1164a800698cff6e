"""Figures that judge a multiclass classifier per class, on the test split."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from sklearn import metrics

from .common import COLOURS, no_skill_diagonal, panel_grid


def per_class_figure(
    actual: Sequence[str], predicted: Sequence[str], probabilities: pd.DataFrame | None
) -> go.Figure:
    """Per class: precision, recall and F1 bars and, when the model gives
    probabilities (one column per class), its one-vs-rest ROC curve."""
    actual = np.asarray(actual, dtype=str)
    predicted = np.asarray(predicted, dtype=str)
    labels = sorted(set(actual) | set(predicted))
    precision, recall, f1, support = metrics.precision_recall_fscore_support(
        actual, predicted, labels=labels, zero_division=0
    )
    panels = ["Precision, recall and F1 per class"]
    if probabilities is not None:
        panels.append("One-vs-rest ROC curve per class")
    figure = panel_grid("Per-class quality (test split)", panels)
    for index, (name, values) in enumerate(
        (("precision", precision), ("recall", recall), ("F1", f1))
    ):
        figure.add_trace(
            go.Bar(
                x=labels,
                y=values,
                name=name,
                marker_color=COLOURS[index],
                text=[f"{v:.2f}" for v in values],
                customdata=support,
                hovertemplate="%{x}: %{y:.3f} (%{customdata} rows)",
            ),
            row=1,
            col=1,
        )
    figure.update_yaxes(title_text="score", range=[0, 1.05], row=1, col=1)
    figure.update_layout(barmode="group")
    if probabilities is None:
        return figure
    for index, label in enumerate(labels):
        is_class = actual == label
        if label not in probabilities or is_class.all() or not is_class.any():
            continue  # no curve without both sides
        fpr, tpr, _ = metrics.roc_curve(is_class, probabilities[label])
        auc = metrics.roc_auc_score(is_class, probabilities[label])
        figure.add_trace(
            go.Scatter(
                x=fpr,
                y=tpr,
                mode="lines",
                name=f"{label} (AUC {auc:.3f})",
                line={"color": COLOURS[index % len(COLOURS)]},
            ),
            row=1,
            col=2,
        )
    figure.add_trace(
        no_skill_diagonal(),
        row=1,
        col=2,
    )
    figure.update_xaxes(title_text="false positive rate", range=[0, 1], row=1, col=2)
    figure.update_yaxes(title_text="true positive rate", range=[0, 1.02], row=1, col=2)
    return figure


__all__ = ["per_class_figure"]
