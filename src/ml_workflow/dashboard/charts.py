"""The dashboard's figures (Plotly, the project's chart library): class
probabilities with the decision threshold, and a prediction's local effects."""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go

_HEIGHT_PER_BAR, _MIN_HEIGHT = 34, 220
_LABEL_LENGTH = 32  # a long text value is cut in the bar's label


def _short(value: Any) -> str:
    text = f"{value:.4g}" if isinstance(value, float) else str(value)
    return text if len(text) <= _LABEL_LENGTH else text[: _LABEL_LENGTH - 1] + "…"


def probability_figure(
    probabilities: dict[str, float], threshold: float | None, positive: str | None
) -> go.Figure:
    """One bar per class; a binary model's decision threshold as a dashed line
    (the positive class is predicted when its probability reaches it)."""
    classes = list(probabilities)
    figure = go.Figure(
        go.Bar(
            x=[probabilities[c] for c in classes],
            y=classes,
            orientation="h",
            text=[f"{probabilities[c]:.1%}" for c in classes],
            textposition="auto",
        )
    )
    title = "probability"
    if threshold is not None and positive is not None:
        figure.add_vline(x=threshold, line_dash="dash")
        title += f"; dashed: threshold {threshold:.2f} for {positive}"
    figure.update_layout(
        xaxis={"range": [0, 1], "tickformat": ".0%", "title": title},
        height=max(_MIN_HEIGHT, _HEIGHT_PER_BAR * len(classes) + 120),
        margin={"t": 20, "b": 40},
    )
    return figure


def effects_figure(
    effects: pd.DataFrame, what: str, top: int = 10, percent: bool = False
) -> go.Figure:
    """The ``top`` largest changes of ``local_effects`` as horizontal bars, the
    largest on top; red pushes up, blue down. ``percent``: the changes are
    of a probability."""
    shown = effects.head(top).iloc[::-1]
    labels: list[Any] = [
        f"{row.feature} = {_short(row.value)}" for row in shown.itertuples(index=False)
    ]
    figure = go.Figure(
        go.Bar(
            x=shown["change"],
            y=labels,
            orientation="h",
            marker_color=["#c0392b" if c > 0 else "#2e86c1" for c in shown["change"]],
            hovertext=[f"typical: {_short(t)}" for t in shown["typical"]],
        )
    )
    figure.update_layout(
        xaxis={"title": f"change in {what}", "tickformat": ".0%" if percent else "~s"},
        height=max(_MIN_HEIGHT, _HEIGHT_PER_BAR * len(shown) + 100),
        margin={"t": 20, "b": 40},
    )
    return figure


__all__ = ["effects_figure", "probability_figure"]
