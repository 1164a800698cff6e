"""Every stage through a Kedro runner, per variant: the plots and report come out.

Uses the shared full run of each variant on its sample (the shipped parameters
with small budgets, ``variant_outputs`` in tests/conftest.py).
"""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go
import pytest
from matplotlib.figure import Figure

# These tests are about the shipped variants; a fork that removes one skips them.
pytestmark = pytest.mark.requires_variants("housing", "spam")

PLOTS = (
    "column_profile_plot",
    "feature_distribution_plot",
    "correlation_plot",
    "target_plot",
    "prediction_plot",
    "error_plot",
    "feature_importance_plot",
    "learning_curve_plot",
)


@pytest.fixture(scope="module")
def outputs(variant_outputs) -> dict[str, Any]:
    """Every dataset of both variants' full runs (``variant_outputs``, tests/conftest.py)."""
    return {
        name: value for run in variant_outputs.values() for name, value in run.items()
    }


@pytest.mark.parametrize("variant", ["housing", "spam"])
def test_every_plot_is_a_plotly_figure_with_data(outputs, variant) -> None:
    for name in PLOTS:
        figure = outputs[f"{variant}.{name}"]
        assert isinstance(figure, go.Figure), name
        assert figure.data, name


def test_plots_follow_the_task(outputs) -> None:
    housing_errors = outputs["housing.error_plot"]
    assert [t.type for t in housing_errors.data] == ["scatter", "scatter", "histogram"]
    spam_predictions = outputs["spam.prediction_plot"]
    assert [t.type for t in spam_predictions.data] == ["heatmap", "heatmap"]
    spam_errors = outputs["spam.error_plot"]
    # the operating point marked is the threshold the saved model predicts with
    threshold = outputs["spam.model"].best_threshold_
    assert threshold != 0.5
    assert f"threshold {threshold:g}" in [t.name for t in spam_errors.data]


def test_text_variant_gets_informative_tokens(outputs) -> None:
    assert outputs["spam.feature_importance"]["tokens"]["items"]
    assert outputs["housing.feature_importance"]["tokens"] is None
    housing_ranked = outputs["housing.feature_importance"]["permutation"]
    importances = [row["mean"] for row in housing_ranked]
    assert importances == sorted(importances, reverse=True)
    # permutation importance is reported per raw column, the model's input
    assert {row["feature"] for row in housing_ranked} <= {
        "longitude",
        "latitude",
        "housing_median_age",
        "total_rooms",
        "total_bedrooms",
        "population",
        "households",
        "median_income",
        "ocean_proximity",
    }


@pytest.mark.parametrize("variant", ["housing", "spam"])
def test_report_and_static_copies(outputs, variant) -> None:
    figures = outputs[f"{variant}.report_figures"]
    assert sorted(figures) == sorted(f"{name}.png" for name in PLOTS)
    assert all(isinstance(figure, Figure) for figure in figures.values())
    report = outputs[f"{variant}.report"]
    metrics = outputs[f"{variant}.metrics"]
    assert f"Diagnosis: **{metrics['diagnosis']}**" in report
    for name in PLOTS:
        assert f"(figures/{name}.png)" in report
