"""The Matplotlib renderer redraws a Plotly figure's data, panels and titles."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from ml_workflow.core.config import Features
from ml_workflow.plots import classification, data_profile, regression
from ml_workflow.plots.static import (
    MAX_PANELS,
    UnsupportedFigureError,
    plain,
    to_matplotlib,
)


def test_single_panel_scatter_keeps_data_and_labels() -> None:
    figure = regression.predicted_vs_actual_figure(
        [1.0, 2.0, 3.0], [1.5, 2.0, 2.5], "price"
    )
    result = to_matplotlib(figure)
    (ax,) = [ax for ax in result.axes if ax.get_visible()]
    assert ax.get_xlabel() == "actual price"
    assert ax.get_ylabel() == "predicted price"
    points = ax.collections[0].get_offsets()
    np.testing.assert_allclose(points, [[1.0, 1.5], [2.0, 2.0], [3.0, 2.5]])
    (line,) = ax.get_lines()
    assert line.get_linestyle() == "--"
    assert result.get_suptitle() == "Predicted vs actual price (test split)"
    buffer = io.BytesIO()
    result.savefig(buffer, format="png")
    assert buffer.getvalue()[:4] == b"\x89PNG"


def test_subplots_become_panels_with_their_titles() -> None:
    figure = classification.confusion_matrix_figure(
        ["a", "b", "b"], ["a", "a", "b"], ["a", "b"]
    )
    result = to_matplotlib(figure)
    axes = [ax for ax in result.axes if ax.get_visible()]
    assert [ax.get_title() for ax in axes] == ["Counts", "Normalised by actual class"]
    counts = axes[0].images[0].get_array()
    np.testing.assert_array_equal(counts, [[1, 0], [1, 1]])
    assert [t.get_text() for t in axes[0].texts] == ["1", "0", "1", "1"]
    assert [label.get_text() for label in axes[0].get_xticklabels()] == ["a", "b"]


def test_a_grid_of_many_panels_keeps_the_first_ones_readable_and_says_so() -> None:
    # 48 features, as a team's table with dozens of columns gives: Plotly's
    # figure is 16 rows of 3 panels, 4,800 px high
    columns = [f"column_{i:02d}" for i in range(48)]
    frame = pd.DataFrame(np.arange(10 * 48).reshape(10, 48), columns=columns)
    frame["target"] = 1.0
    figure = data_profile.feature_distributions_figure(
        frame, Features(numeric=tuple(columns)), target="target", by_class=False
    )
    result = to_matplotlib(figure)
    result.savefig(io.BytesIO(), format="png", dpi=50)  # lays the panels out
    axes = [ax for ax in result.axes if ax.get_visible()]
    assert [ax.get_title() for ax in axes] == columns[:MAX_PANELS]
    assert "the first 12 of 48 panels" in result.get_suptitle()
    # every panel keeps a readable share of the page (at 48 panels, the
    # constrained layout had collapsed them to nothing)
    width, height = result.get_size_inches()
    assert height <= 14
    for ax in axes:
        box = ax.get_position()
        assert box.height * height > 1.5 and box.width * width > 3
    # a small grid is drawn whole, without the note
    few = data_profile.feature_distributions_figure(
        frame, Features(numeric=tuple(columns[:5])), target="target", by_class=False
    )
    small = to_matplotlib(few)
    assert len([ax for ax in small.axes if ax.get_visible()]) == 5
    assert "panels" not in small.get_suptitle()


def test_a_big_heatmap_keeps_its_colours_without_a_number_in_every_cell() -> None:
    # the correlations of a 200-column table: 40,000 numbers took a minute to
    # draw and none could be read
    names = [f"sensor_{i:03d}" for i in range(50)]
    values = np.eye(50)
    figure = go.Figure(
        go.Heatmap(z=values, x=names, y=names, text=np.round(values, 2).astype(str))
    )
    ax = to_matplotlib(figure).axes[0]
    np.testing.assert_array_equal(ax.images[0].get_array(), values)
    assert not ax.texts
    labels = [label.get_text() for label in ax.get_xticklabels()]
    assert labels == names[::2]  # 25 evenly spaced of 50
    assert [label.get_text() for label in ax.get_yticklabels()] == names[::2]


def test_horizontal_bars_and_histograms_are_drawn() -> None:
    figure = go.Figure([go.Bar(orientation="h", y=["x", "y"], x=[1.0, 3.0])])
    ax = to_matplotlib(figure).axes[0]
    assert [patch.get_width() for patch in ax.patches] == [1.0, 3.0]
    histogram = to_matplotlib(
        go.Figure([go.Histogram(x=[1.0, 1.0, 2.0], nbinsx=2)])
    ).axes[0]
    assert sorted(patch.get_height() for patch in histogram.patches) == [1.0, 2.0]


def test_bar_text_and_fixed_histogram_bins_are_kept() -> None:
    bars = go.Figure([go.Bar(x=["a", "b"], y=[1.0, 2.0], text=["10%", "20%"])])
    ax = to_matplotlib(bars).axes[0]
    assert [text.get_text() for text in ax.texts] == ["10%", "20%"]
    histogram = go.Histogram(
        x=[0.5, 1.5, 1.6, 3.5], xbins={"start": 0, "end": 4, "size": 1}
    )
    ax = to_matplotlib(go.Figure([histogram])).axes[0]
    assert [patch.get_height() for patch in ax.patches] == [1.0, 2.0, 0.0, 1.0]


def test_unsupported_trace_is_refused_with_its_type() -> None:
    with pytest.raises(UnsupportedFigureError, match="'pie'"):
        to_matplotlib(go.Figure([go.Pie(values=[1, 2])]))


def test_plain_strips_plotly_rich_text() -> None:
    assert plain("Title<br><sup>note</sup>") == "Title\nnote"
