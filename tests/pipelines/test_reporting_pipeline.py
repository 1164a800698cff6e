"""Every stage through a Kedro runner, per variant: the plots and report come out."""

from __future__ import annotations

import copy
from typing import Any

import plotly.graph_objects as go
import pytest
from kedro.io import DataCatalog, MemoryDataset
from kedro.runner import SequentialRunner
from matplotlib.figure import Figure

from ml_workflow.pipeline_registry import build_pipelines
from tests.conftest import _flatten

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


class KeptDataset(MemoryDataset):
    """A MemoryDataset the runner cannot release, so intermediate outputs stay
    inspectable after the run (``conftest.run_pipeline`` keeps only free outputs).
    """

    def _release(self) -> None:
        pass


def _quick(parameters: dict[str, Any]) -> dict[str, Any]:
    """The real parameters with cheaper diagnostics (fewer folds and repeats)."""
    quick = copy.deepcopy(parameters)
    for section in quick.values():
        if isinstance(section, dict) and "evaluation" in section:
            section["evaluation"]["learning_curve"].update(cv=2, train_sizes=[0.5, 1.0])
            section["evaluation"]["permutation_importance"].update(n_repeats=2)
    return quick


@pytest.fixture(scope="module")
def outputs(parameters, housing_raw_sample, spam_raw_sample) -> dict[str, Any]:
    pipeline = build_pipelines(["housing", "spam"])["__default__"]
    inputs = {"housing.raw": housing_raw_sample, "spam.raw": spam_raw_sample}
    catalog = DataCatalog()
    for name, value in inputs.items():
        catalog[name] = MemoryDataset(value)
    for name, value in _flatten(_quick(parameters)).items():
        catalog[f"params:{name}"] = MemoryDataset(value, copy_mode="deepcopy")
    for name in pipeline.all_outputs():
        catalog[name] = KeptDataset(copy_mode="assign")
    SequentialRunner().run(pipeline, catalog)
    return {name: catalog.load(name) for name in pipeline.all_outputs()}


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
    assert "threshold 0.5" in [t.name for t in spam_errors.data]


def test_text_variant_gets_informative_tokens(outputs) -> None:
    assert outputs["spam.feature_importance"]["tokens"]["items"]
    assert outputs["housing.feature_importance"]["tokens"] is None
    housing_ranked = [
        r["feature"] for r in outputs["housing.feature_importance"]["permutation"]
    ]
    assert housing_ranked[0] == "median_income"


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
