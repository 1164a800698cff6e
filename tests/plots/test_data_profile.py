"""The data-profile figures draw the right data for each declared column kind."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ml_workflow.core.config import Features, Problem
from ml_workflow.core.task import task_for
from ml_workflow.plots import data_profile


@pytest.fixture
def frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "size": [1.0, 2.0, np.nan, 4.0],
            "colour": ["red", "red", "blue", None],
            "note": ["hi", "hello there", None, "buy now!!"],
            "label": ["ham", "ham", "spam", "spam"],
        }
    )


BY_KIND = Features(numeric=("size",), categorical=("colour",), text=("note",))


def test_column_profile_shows_missing_share_per_kind(frame: pd.DataFrame) -> None:
    kinds = {
        "size": "numeric",
        "colour": "categorical",
        "note": "text",
        "label": "target",
    }
    figure = data_profile.column_profile_figure(frame, kinds)
    bars = {trace.name: trace for trace in figure.data}
    assert set(bars) == {"numeric", "categorical", "text", "target"}
    assert all(
        trace.type == "bar" and trace.orientation == "h" for trace in figure.data
    )
    assert list(bars["numeric"].y) == ["size"]
    assert list(bars["numeric"].x) == [0.25]
    assert list(bars["target"].x) == [0.0]
    assert list(bars["categorical"].customdata) == [str(frame["colour"].dtype)]
    assert figure.layout.xaxis.title.text == "missing share"
    assert list(bars["numeric"].text) == ["25.0%"]
    # the axis ends just past the largest share, so small shares stay visible
    assert figure.layout.xaxis.range == (0, 0.3125)


def test_feature_distributions_one_panel_per_feature_by_kind(
    frame: pd.DataFrame,
) -> None:
    figure = data_profile.feature_distributions_figure(
        frame, BY_KIND, target="label", by_class=True
    )
    titles = [annotation.text for annotation in figure.layout.annotations]
    assert titles == ["size", "colour", "note length (characters)"]
    numeric, categorical, *lengths = figure.data
    assert numeric.type == "histogram"
    assert list(numeric.x) == [1.0, 2.0, 4.0]
    assert categorical.type == "bar"
    assert dict(zip(categorical.x, categorical.y, strict=True)) == {
        "red": 2,
        "(missing)": 1,
        "blue": 1,
    }
    # text: message length, one histogram per class
    assert [trace.name for trace in lengths] == ["label=ham", "label=spam"]
    assert list(lengths[0].x) == [2, 11]
    assert list(lengths[1].x) == [0, 9]
    # both classes share one set of bins, so their shapes compare
    assert lengths[0].xbins == lengths[1].xbins
    assert (lengths[0].xbins.start, lengths[0].xbins.end) == (0, 12)


def test_text_length_is_not_split_for_regression(frame: pd.DataFrame) -> None:
    figure = data_profile.feature_distributions_figure(
        frame, Features(text=("note",)), target="size", by_class=False
    )
    assert len(figure.data) == 1
    assert list(figure.data[0].x) == [2, 11, 0, 9]


def test_numeric_view_reads_text_as_length_and_class_as_indicator(
    frame: pd.DataFrame,
) -> None:
    problem = Problem(
        task="classification", target="label", positive_class="spam", features=BY_KIND
    )
    reading = task_for(problem).target_reading(frame["label"])
    view = data_profile.numeric_view(frame, BY_KIND, reading)
    assert list(view.columns) == ["size", "note length", "label=spam"]
    assert view["label=spam"].tolist() == [0.0, 0.0, 1.0, 1.0]
    assert view["note length"].tolist() == [2.0, 11.0, 0.0, 9.0]


def test_correlation_heatmap_holds_pearson_correlations() -> None:
    view = pd.DataFrame(
        {"a": [1.0, 2.0, 3.0], "b": [2.0, 4.0, 6.0], "c": [3.0, 2.0, 1.0]}
    )
    figure = data_profile.correlation_figure(view)
    (heatmap,) = figure.data
    assert heatmap.type == "heatmap"
    assert list(heatmap.x) == ["a", "b", "c"]
    z = np.asarray(heatmap.z)
    assert z[0, 1] == pytest.approx(1.0)
    assert z[0, 2] == pytest.approx(-1.0)
    assert (heatmap.zmin, heatmap.zmax) == (-1, 1)


def test_target_figure_is_class_balance_or_distribution() -> None:
    labels = pd.Series(["ham", "ham", "ham", "spam"], name="label")
    (bar,) = data_profile.target_figure(labels, as_classes=True).data
    assert bar.type == "bar"
    assert dict(zip(bar.x, bar.y, strict=True)) == {"ham": 3, "spam": 1}
    assert list(bar.text) == ["75.0%", "25.0%"]
    values = pd.Series([1.0, 2.0, None], name="price")
    figure = data_profile.target_figure(values, as_classes=False)
    assert figure.data[0].type == "histogram"
    assert list(figure.data[0].x) == [1.0, 2.0]
    assert figure.layout.xaxis.title.text == "price"
