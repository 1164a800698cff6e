"""The real ``kedro run`` in a subprocess, on a temporary copy of the project.

The run is the session's shared one (``tests.shared_run``): both variants
with small CV, search and diagnostics budgets, on the whole SMS file (its row
counts are checked) and a seeded sample of the housing file. These tests are
about outputs, not model quality. The README's first Quick start line, which
CI runs, is the full-data run at the shipped budgets.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from ml_workflow.datasets import SkopsModelDataset
from tests.shared_run import TrainedRun, copy_trained, run_kedro

# These tests are about the shipped variants; a fork that removes one skips them.
pytestmark = pytest.mark.requires_variants("housing", "spam")

EXPECTED = {
    "housing": {"mse", "rmse", "mae", "r2"},
    "spam": {"accuracy", "precision", "recall", "f1", "roc_auc"},
}


@pytest.fixture(scope="module")
def project(trained_run: TrainedRun, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This module's copy of the shared trained project."""
    return copy_trained(trained_run, tmp_path_factory.mktemp("project"))


@pytest.mark.slow
def test_kedro_run_produces_every_output_of_both_variants(
    trained_run: TrainedRun, project: Path
) -> None:
    result = trained_run.result  # `kedro run`, every variant
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    for variant, metric_names in EXPECTED.items():
        reporting = project / "data" / "08_reporting" / variant
        metrics = json.loads((reporting / "metrics.json").read_text())
        for split in ("train", "test", "baseline"):
            assert metric_names <= set(metrics[split]), (variant, split)
            assert all(isinstance(value, float) for value in metrics[split].values())
        assert metrics["diagnosis"] in {"overfitting", "underfitting", "good fit"}
        primary = metrics["primary_metric"]
        assert metrics["test"][primary] > metrics["baseline"][primary]

        report = json.loads((reporting / "cleaning_report.json").read_text())
        assert report["rows_in"] == report["rows_out"] + sum(report["removed"].values())
        predictions = pd.read_csv(
            project / "data" / "07_model_output" / variant / "test_predictions.csv"
        )
        assert len(predictions) == metrics["rows"]["test"]
        assert {"row_id", "actual", "predicted"} <= set(predictions.columns)

    spam_report = json.loads(
        (project / "data/08_reporting/spam/cleaning_report.json").read_text()
    )
    assert (
        spam_report["rows_in"] == 5574
    )  # the SMS file read with quoting=3, no merged rows
    assert spam_report["removed"]["duplicates"] == 403


@pytest.mark.slow
def test_a_second_run_adds_a_model_version_and_keeps_the_first(project: Path) -> None:
    models = project / "data" / "06_models" / "housing" / "model.skops"
    before = sorted(path.name for path in models.iterdir())
    assert len(before) == 1, "the full run above saved one housing model version"
    first = models / before[0] / "model.skops"
    first_bytes = first.read_bytes()

    result = run_kedro(project, "run", "--pipelines", "housing")
    assert result.returncode == 0, result.stderr[-3000:]
    after = sorted(path.name for path in models.iterdir())
    assert len(after) == 2 and before[0] in after
    assert first.read_bytes() == first_bytes
    # the first version still loads (hash verified, trusted types only)
    assert hasattr(SkopsModelDataset(filepath=str(first)).load(), "predict")
    # only the housing variant ran
    assert len(list((project / "data/06_models/spam/model.skops").iterdir())) == 1


@pytest.mark.slow
def test_registry_lists_variants_and_stages(project: Path) -> None:
    result = run_kedro(project, "registry", "list")
    assert result.returncode == 0, result.stderr[-2000:]
    for name in (
        "housing",
        "spam",
        "data_processing",
        "feature_engineering",
        "modelling",
        "evaluation",
    ):
        assert f"- {name}\n" in result.stdout


REPORTING_FILES = [
    "report.md",
    "feature_importance.json",
    "learning_curve.json",
    *(
        f"{plot}_plot.json"
        for plot in (
            "column_profile",
            "feature_distribution",
            "correlation",
            "target",
            "prediction",
            "error",
            "feature_importance",
            "learning_curve",
        )
    ),
]


@pytest.mark.slow
@pytest.mark.parametrize("variant", ["housing", "spam"])
def test_kedro_run_leaves_plots_and_report(project: Path, variant: str) -> None:
    """Runs after the full ``kedro run`` above (module order)."""
    reporting = project / "data" / "08_reporting" / variant
    for name in REPORTING_FILES:
        assert (reporting / name).is_file(), name
    report = (reporting / "report.md").read_text()
    for name in REPORTING_FILES[3:]:
        png = reporting / "figures" / name.replace(".json", ".png")
        assert png.read_bytes()[:4] == b"\x89PNG", png
        assert f"(figures/{png.name})" in report
    figure = json.loads((reporting / "error_plot.json").read_text())
    assert figure["data"], "error_plot has no traces"


@pytest.fixture(scope="module")
def scored(project: Path) -> Path:
    """Both variants' batch scoring, in one ``kedro run`` of their two
    inference pipelines, with the trained models."""
    pipelines = ",".join(f"{variant}_inference" for variant in EXPECTED)
    result = run_kedro(project, "run", "--pipelines", pipelines)
    assert result.returncode == 0, result.stderr[-3000:]
    return project


@pytest.mark.slow
@pytest.mark.parametrize("variant", ["housing", "spam"])
def test_inference_pipeline_scores_the_example_records(
    scored: Path, variant: str
) -> None:
    output = scored / "data" / "07_model_output" / variant
    predictions = pd.read_csv(output / "predictions.csv")
    rejects = pd.read_csv(output / "rejects.csv")
    assert len(predictions) == 20 and predictions["predicted"].notna().all()
    assert (
        rejects["row"].tolist() == [20, 21] and rejects["reasons"].str.len().gt(0).all()
    )
    if variant == "spam":
        assert predictions["probability_spam"].between(0, 1).all()
