"""The dashboard's figures: the decision threshold is marked where it is, and
the largest effects come first."""

from __future__ import annotations

import pandas as pd

from ml_workflow.dashboard.charts import effects_figure, probability_figure
from ml_workflow.dashboard.widgets import training_categories


def test_a_binary_threshold_is_a_line_at_its_value() -> None:
    figure = probability_figure({"ham": 0.3, "spam": 0.7}, 0.42, "spam")
    (line,) = figure.layout.shapes
    assert line.x0 == line.x1 == 0.42
    assert "threshold 0.42 for spam" in figure.layout.xaxis.title.text
    assert list(figure.data[0].x) == [0.3, 0.7]
    assert not probability_figure(
        {"a": 0.2, "b": 0.5, "c": 0.3}, None, None
    ).layout.shapes


def test_effects_are_drawn_largest_on_top_and_long_values_cut() -> None:
    effects = pd.DataFrame(
        {
            "feature": ["big", "small", "text"],
            "value": [3.0, 1.0, "word " * 40],
            "typical": [1.0, 0.5, ""],
            "change": [-5.0, 0.5, 0.1],
        }
    )
    bars = effects_figure(effects, "price", top=2).data[0]
    assert list(bars.x) == [0.5, -5.0]  # plotly draws the first bar at the bottom
    assert bars.y[-1] == "big = 3"
    assert bars.marker.color[-1] != bars.marker.color[0]  # down and up differ
    assert all(len(label) < 50 for label in effects_figure(effects, "p").data[0].y)


def test_training_categories_come_from_the_drift_reference() -> None:
    reference = {
        "features": {
            "town": {"kind": "categorical", "categories": ["a", "b"]},
            "size": {"kind": "numeric", "edges": [1.0]},
        }
    }
    assert training_categories(reference) == {"town": ["a", "b"]}
    assert training_categories(None) == {}
