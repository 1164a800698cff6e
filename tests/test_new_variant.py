"""A fork's two paths, run for real in temporary copies of the project.

- ``kedro variant create`` on datasets that ship inside scikit-learn (written
  out to CSV here), then ``kedro run`` of the new variants, end to end;
- ``kedro variant remove`` + ``kedro fork rename``: the renamed project still
  lists and runs its pipelines and its tests pass.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sklearn.datasets import load_breast_cancer, load_diabetes

from tests.project_copy import PROJECT_FILES, copy_project, write_fast_budgets

pytestmark = pytest.mark.slow


def _run(
    project: Path, *command: str, timeout: int = 900
) -> subprocess.CompletedProcess[str]:
    binary = Path(sys.executable).with_name(command[0])
    result = subprocess.run(
        [str(binary) if binary.exists() else command[0], *command[1:]],
        cwd=project,
        env={**os.environ, "KEDRO_DISABLE_TELEMETRY": "1"},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert result.returncode == 0, (
        command,
        result.stdout[-3000:],
        result.stderr[-3000:],
    )
    return result


@pytest.fixture(scope="module")
def project_with_new_variants(tmp_path_factory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("variants"))
    incoming = project.parent / "incoming"
    incoming.mkdir()
    load_diabetes(as_frame=True).frame.to_csv(
        incoming / "diabetes.csv"
    )  # with its index
    cancer = load_breast_cancer(as_frame=True).frame
    cancer["diagnosis"] = cancer.pop("target").map({0: "malignant", 1: "benign"})
    cancer.to_parquet(incoming / "cancer.parquet")
    _run(
        project,
        "kedro",
        "variant",
        "create",
        "diabetes",
        "--data",
        str(incoming / "diabetes.csv"),
        "--target",
        "target",
    )
    _run(
        project,
        "kedro",
        "variant",
        "create",
        "cancer",
        "--data",
        str(incoming / "cancer.parquet"),
        "--target",
        "diagnosis",
    )
    # the generated files keep the default budgets; small ones are enough here
    write_fast_budgets(project)
    _run(project, "kedro", "run", "--pipelines", "diabetes,cancer")
    return project


@pytest.mark.parametrize(
    ("new_variant", "task", "metrics"),
    [
        ("diabetes", "regression", {"mse", "rmse", "mae", "r2"}),
        (
            "cancer",
            "classification",
            {"accuracy", "precision", "recall", "f1", "roc_auc"},
        ),
    ],
)
def test_a_created_variant_runs_end_to_end(
    project_with_new_variants: Path, new_variant: str, task: str, metrics: set[str]
) -> None:
    # not named "variant": that parameter name marks tests about shipped variants
    variant = new_variant
    project = project_with_new_variants
    result = json.loads(
        (project / "data/08_reporting" / variant / "metrics.json").read_text()
    )
    assert result["task"] == task
    for split in ("train", "test", "baseline"):
        assert metrics <= set(result[split])
    primary = result["primary_metric"]
    assert result["test"][primary] > result["baseline"][primary] + 0.1
    assert (project / "data/08_reporting" / variant / "report.md").is_file()
    assert (project / "data/08_reporting" / variant / "leaderboard.csv").is_file()
    assert any((project / "data/06_models" / variant).iterdir())
    # no code was written: only configuration and the copied data
    assert not (project / "src/ml_workflow/pipelines" / variant).exists()


def test_created_classification_variant_found_its_positive_class(
    project_with_new_variants: Path,
) -> None:
    result = json.loads(
        (
            project_with_new_variants / "data/08_reporting/cancer/metrics.json"
        ).read_text()
    )
    assert result["confusion_matrix"]["labels"] == ["benign", "malignant"]
    parameters = (
        project_with_new_variants / "conf/base/parameters_cancer.yml"
    ).read_text()
    assert "positive_class: malignant" in parameters
    assert "- id" not in parameters


def test_the_registry_lists_the_new_variants(project_with_new_variants: Path) -> None:
    listing = _run(project_with_new_variants, "kedro", "registry", "list").stdout
    assert (
        "- diabetes\n" in listing
        and "- cancer\n" in listing
        and "- housing\n" in listing
    )


@pytest.mark.requires_variants("housing", "spam")
def test_a_renamed_fork_without_spam_runs_and_its_tests_pass(tmp_path: Path) -> None:
    project = copy_project(
        tmp_path / "fork", (*PROJECT_FILES, "tests", "README.md", ".gitignore")
    )
    _run(project, "kedro", "variant", "remove", "spam")
    _run(
        project,
        "kedro",
        "fork",
        "rename",
        "churn_model",
        "--project-name",
        "churn-model",
    )
    assert (project / "src/churn_model/pipeline_registry.py").is_file()
    listing = _run(project, "kedro", "registry", "list").stdout
    assert "- housing\n" in listing and "- spam\n" not in listing
    _run(project, "kedro", "run", "--pipelines", "data_processing")
    assert (project / "data/02_intermediate/housing/cleaned.parquet").is_file()
    tests = _run(
        project,
        "python",
        "-m",
        "pytest",
        "-q",
        "-n",
        "0",  # one process: this test already runs inside a worker
        "-p",
        "no:cacheprovider",
        "-m",
        "not slow",
        "tests/test_pipeline_registry.py",
        "tests/pipelines/data_processing",
        "tests/scaffold/test_variant.py",
    )
    assert " passed" in tests.stdout and " failed" not in tests.stdout
