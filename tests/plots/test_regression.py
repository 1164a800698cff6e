"""Regression figures plot predictions against the truth and the residuals."""

from __future__ import annotations

import numpy as np

from ml_workflow.plots import regression

ACTUAL = [1.0, 2.0, 3.0, 10.0]
PREDICTED = [1.5, 2.0, 2.0, 8.0]


def test_predicted_vs_actual_has_points_and_identity_line() -> None:
    figure = regression.predicted_vs_actual_figure(ACTUAL, PREDICTED, "price")
    points, identity = figure.data
    assert points.mode == "markers"
    assert list(points.x) == ACTUAL
    assert list(points.y) == PREDICTED
    assert identity.mode == "lines"
    assert list(identity.x) == [1.0, 10.0] == list(identity.y)
    assert figure.layout.xaxis.title.text == "actual price"
    assert figure.layout.yaxis.title.text == "predicted price"


def test_residuals_are_actual_minus_predicted_in_two_panels() -> None:
    figure = regression.residuals_figure(ACTUAL, PREDICTED, "price")
    scatter, zero, histogram = figure.data
    expected = np.array(ACTUAL) - np.array(PREDICTED)
    assert scatter.type == "scatter"
    assert list(scatter.x) == PREDICTED
    np.testing.assert_allclose(scatter.y, expected)
    assert list(zero.y) == [0.0, 0.0]
    assert histogram.type == "histogram"
    assert histogram.xaxis == "x2"
    np.testing.assert_allclose(histogram.x, expected)
    assert figure.layout.yaxis.title.text == "residual (actual - predicted)"
    assert [a.text for a in figure.layout.annotations] == [
        "Residuals vs predicted",
        "Residual distribution",
    ]
