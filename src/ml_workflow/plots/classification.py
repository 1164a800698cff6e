"""Figures that judge a binary classifier's predictions on the test split."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go
from sklearn import metrics

from .common import COLOURS, no_skill_diagonal, panel_grid


def confusion_matrix_figure(
    actual: Sequence[str], predicted: Sequence[str], labels: Sequence[str]
) -> go.Figure:
    """Two heatmaps: counts, and counts normalised by the actual class (recall per
    class on the diagonal). Rows are actual classes, columns predicted ones.
    """
    labels = [str(label) for label in labels]
    counts = metrics.confusion_matrix(
        np.asarray(actual, dtype=str), np.asarray(predicted, dtype=str), labels=labels
    )
    totals = counts.sum(axis=1, keepdims=True)
    normalised = np.divide(counts, totals, out=np.zeros(counts.shape), where=totals > 0)
    figure = panel_grid(
        "Confusion matrix (test split)", ["Counts", "Normalised by actual class"]
    )
    for col, (values, text) in enumerate(
        [
            (counts, [[str(v) for v in row] for row in counts]),
            (normalised, [[f"{v:.1%}" for v in row] for row in normalised]),
        ],
        start=1,
    ):
        figure.add_trace(
            go.Heatmap(
                z=values,
                x=labels,
                y=labels,
                text=text,
                texttemplate="%{text}",
                colorscale="Blues",
                showscale=False,
                name="counts" if col == 1 else "normalised",
            ),
            row=1,
            col=col,
        )
        figure.update_xaxes(title_text="predicted class", row=1, col=col)
        figure.update_yaxes(
            title_text="actual class", autorange="reversed", row=1, col=col
        )
    return figure


def operating_point(
    is_positive: Sequence[bool], score: Sequence[float], threshold: float
) -> dict[str, float]:
    """Return precision, recall and false-positive rate when predicting positive
    for ``score >= threshold``.
    """
    is_positive = np.asarray(is_positive, dtype=bool)
    flagged = np.asarray(score, dtype=float) >= threshold
    true_positives = int((flagged & is_positive).sum())
    return {
        "threshold": float(threshold),
        "precision": true_positives / flagged.sum() if flagged.any() else 1.0,
        "recall": true_positives / is_positive.sum() if is_positive.any() else 0.0,
        "false_positive_rate": int((flagged & ~is_positive).sum())
        / (~is_positive).sum()
        if (~is_positive).any()
        else 0.0,
    }


def roc_pr_figure(
    is_positive: Sequence[bool],
    score: Sequence[float],
    threshold: float = 0.5,
    positive_class: str = "positive",
) -> go.Figure:
    """Two panels: the ROC curve and the precision-recall curve of the positive
    class, each with the model's operating point (``score >= threshold``) marked
    and the no-skill reference drawn.
    """
    is_positive = np.asarray(is_positive, dtype=bool)
    score = np.asarray(score, dtype=float)
    fpr, tpr, _ = metrics.roc_curve(is_positive, score)
    precision, recall, _ = metrics.precision_recall_curve(is_positive, score)
    auc = metrics.roc_auc_score(is_positive, score)
    average_precision = metrics.average_precision_score(is_positive, score)
    point = operating_point(is_positive, score, threshold)
    prevalence = float(is_positive.mean())
    figure = panel_grid(
        f"ROC and precision-recall curves for {positive_class!r} (test split)",
        [
            f"ROC curve (AUC {auc:.3f})",
            f"Precision-recall (AP {average_precision:.3f})",
        ],
    )
    marker = {"size": 12, "color": COLOURS[1], "symbol": "x"}
    figure.add_trace(
        go.Scatter(
            x=fpr, y=tpr, mode="lines", name="ROC curve", line={"color": COLOURS[0]}
        ),
        row=1,
        col=1,
    )
    figure.add_trace(
        no_skill_diagonal(),
        row=1,
        col=1,
    )
    figure.add_trace(
        go.Scatter(
            x=[point["false_positive_rate"]],
            y=[point["recall"]],
            mode="markers",
            name=f"threshold {threshold:g}",
            marker=marker,
            legendgroup="threshold",
        ),
        row=1,
        col=1,
    )
    figure.add_trace(
        go.Scatter(
            x=recall,
            y=precision,
            mode="lines",
            name="precision-recall curve",
            line={"color": COLOURS[2]},
        ),
        row=1,
        col=2,
    )
    figure.add_trace(
        go.Scatter(
            x=[0, 1],
            y=[prevalence, prevalence],
            mode="lines",
            name="no skill (prevalence)",
            line={"dash": "dot", "color": "grey"},
        ),
        row=1,
        col=2,
    )
    figure.add_trace(
        go.Scatter(
            x=[point["recall"]],
            y=[point["precision"]],
            mode="markers",
            name=f"threshold {threshold:g}",
            marker=marker,
            legendgroup="threshold",
            showlegend=False,
        ),
        row=1,
        col=2,
    )
    figure.update_xaxes(title_text="false positive rate", range=[0, 1], row=1, col=1)
    figure.update_yaxes(
        title_text="true positive rate (recall)", range=[0, 1.02], row=1, col=1
    )
    figure.update_xaxes(title_text="recall", range=[0, 1], row=1, col=2)
    figure.update_yaxes(title_text="precision", range=[0, 1.02], row=1, col=2)
    return figure
