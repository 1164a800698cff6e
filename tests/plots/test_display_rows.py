"""Figures draw a seeded sample of big data, and all of small data."""

from __future__ import annotations

import pandas as pd

from ml_workflow.core.config import Problem
from ml_workflow.pipelines.data_processing.profile_nodes import plot_target
from ml_workflow.plots.common import MAX_PLOT_ROWS, display_rows


def test_small_data_is_drawn_whole() -> None:
    frame = pd.DataFrame({"a": range(100)})
    assert display_rows(frame) is frame


def test_big_data_is_a_seeded_sample_of_the_cap() -> None:
    frame = pd.DataFrame({"a": range(1000)})
    sample = display_rows(frame, max_rows=100)
    assert len(sample) == 100
    assert set(sample["a"]) <= set(frame["a"])
    assert sample.index.equals(display_rows(frame, max_rows=100).index)


def test_a_target_histogram_of_many_rows_embeds_at_most_the_cap() -> None:
    rows = MAX_PLOT_ROWS + 5000
    cleaned = pd.DataFrame({"y": [float(i % 97) for i in range(rows)]})
    problem = Problem(task="regression", target="y", features={"numeric": ["x"]})
    figure = plot_target(cleaned, problem)
    drawn = sum(len(trace.x) for trace in figure.data if trace.x is not None)
    assert 0 < drawn <= MAX_PLOT_ROWS
