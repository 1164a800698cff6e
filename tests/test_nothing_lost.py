"""Nothing lost: raw data is read-only, a failed run keeps earlier results, and
every model records the data and code that produced it.

The failure tests use a copy of the session's trained project
(``tests.shared_run``). A failure after training runs the real ``kedro run``
in a subprocess, as does the CLI's message for a bad parameter; the other
failures run the same Kedro session in the test's process (``tests.sessions``),
without a new interpreter's start-up for each.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml
from kedro.framework.project import pipelines
from kedro.framework.session import KedroSession
from kedro.framework.startup import bootstrap_project
from kedro.io.core import DatasetError

from ml_workflow.datasets import ReadOnlyCSVDataset, SkopsModelDataset, is_read_only
from ml_workflow.errors import ConfigurationError
from tests.sessions import failing_session_run, nested
from tests.shared_run import HOUSING_ROWS, TrainedRun, copy_trained, run_kedro

# These tests are about the shipped variants; a fork that removes one skips them.
pytestmark = pytest.mark.requires_variants("housing", "spam")

PROJECT_ROOT = Path(__file__).resolve().parents[1]
RAW_FILES = {"housing": "california_housing.csv", "spam": "sms_spam.tsv"}
# The shared run's raw rows: the housing sample, and the whole SMS file.
RAW_ROWS = {"housing": HOUSING_ROWS, "spam": 5574}


# --- raw data is never written -----------------------------------------------------


@pytest.fixture(scope="module")
def project_catalog():
    bootstrap_project(PROJECT_ROOT)
    with KedroSession.create(project_path=PROJECT_ROOT, env="base") as session:
        context = session.load_context()
        yield context.catalog, context.config_loader["catalog"]


def _under_raw(dataset: Any) -> bool:
    filepath = getattr(dataset, "_filepath", None)
    return filepath is not None and "01_raw" in Path(str(filepath)).parts


def test_no_catalog_entry_can_save_to_raw(project_catalog, tmp_path) -> None:
    catalog, config = project_catalog

    names = set(catalog.keys())
    for pipeline in pipelines.values():
        names |= pipeline.datasets()
    # every factory pattern, resolved for the shipped variants and a new one
    for pattern in (key for key in config if "{" in key):
        for variant in ("housing", "spam", "example"):
            names.add(pattern.replace("{variant}", variant))
    raw_entries = []
    for name in sorted(names):
        if name.startswith("params:") or name == "parameters":
            continue
        try:
            dataset = catalog[name]
        except Exception:  # noqa: BLE001 - a name no pattern matches
            continue
        if _under_raw(dataset):
            raw_entries.append(name)
            assert is_read_only(dataset), f"{name} writes to 01_raw"
            with pytest.raises(DatasetError, match="raw datasets are read-only"):
                dataset.save(pd.DataFrame({"a": [1]}))
        else:
            assert "01_raw" not in str(getattr(dataset, "_filepath", "")), name
    assert {"housing.raw", "spam.raw"} <= set(raw_entries)


def test_read_only_dataset_refuses_to_save_and_leaves_the_file(tmp_path) -> None:
    path = tmp_path / "raw.csv"
    path.write_text("a,b\n1,2\n")
    dataset = ReadOnlyCSVDataset(filepath=str(path))
    with pytest.raises(DatasetError, match=r"refusing to write raw data to .*raw.csv"):
        dataset.save(pd.DataFrame({"a": [9], "b": [9]}))
    assert path.read_text() == "a,b\n1,2\n"


# --- a failed run leaves earlier results unchanged --------------------------------


def _kedro(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_kedro(project, "run", *args, timeout=300)


def _snapshot(project: Path) -> dict[str, str]:
    """Every file under 06_models and 08_reporting with its SHA-256."""
    found = {}
    for layer in ("06_models", "08_reporting"):
        for path in sorted((project / "data" / layer).rglob("*")):
            if path.is_file():
                found[str(path.relative_to(project))] = hashlib.sha256(
                    path.read_bytes()
                ).hexdigest()
    return found


def _one_line(text: str) -> str:
    """Kedro's rich logging wraps lines: join them to search messages."""
    return " ".join(text.split())


@pytest.fixture(scope="module")
def trained_project(trained_run: TrainedRun, tmp_path_factory) -> Path:
    """This module's copy of the shared trained project (``tests.shared_run``)."""
    return copy_trained(trained_run, tmp_path_factory.mktemp("project"))


@pytest.mark.slow
def test_a_run_failing_after_training_keeps_the_previous_results(
    trained_project,
) -> None:
    project = trained_project
    before = _snapshot(project)
    assert any("06_models/housing/model.skops" in name for name in before)
    # The metrics cannot be written (their folder is a file), so the run fails
    # in evaluation, after tune_model has saved a new model version. (A bad
    # parameter no longer gets this far: see the next test.)
    blocked = project / "data" / "blocked"
    blocked.write_text("a file where a folder should be\n")
    local_catalog = project / "conf" / "local" / "catalog.yml"
    local_catalog.write_text(
        yaml.safe_dump(
            {
                "housing.metrics": {
                    "type": "json.JSONDataset",
                    "filepath": "data/blocked/metrics.json",
                }
            }
        )
    )
    try:
        result = _kedro(project, "--pipelines", "housing")
    finally:
        local_catalog.unlink()
        blocked.unlink()
    output = _one_line(result.stdout + result.stderr)
    assert result.returncode != 0
    assert "Completed node: housing.tune_model" in output  # it failed *after* training
    assert "Failed while saving data to dataset" in output  # housing.metrics
    assert "File exists" in output  # the folder that is a file
    assert "earlier results are unchanged" in output
    assert _snapshot(project) == before  # byte-identical, no new model version

    model_path = next(
        (project / "data/06_models/housing/model.skops").rglob("model.skops")
    )
    model = SkopsModelDataset(filepath=str(model_path)).load()
    sample = pd.read_csv(project / "data/01_raw" / RAW_FILES["housing"]).head(5)
    assert len(model.predict(sample.drop(columns=["median_house_value"]))) == 5
    metrics = json.loads(
        (project / "data/08_reporting/housing/metrics.json").read_text()
    )
    assert {"task", "primary_metric", "train", "test", "baseline", "diagnosis"} <= set(
        metrics
    )


BAD_PARAMETERS = [
    (  # the examples: ignored silently, and failed after 2.5 minutes
        {
            "housing.split.test_sise": 0.5,
            "housing.evaluation.learning_curve.cv": "one",
        },
        [
            "housing.split.test_sise: unknown key (misspelt?) (found 0.5)",
            "housing.evaluation.learning_curve.cv: Input should be a valid integer "
            "(found 'one')",
        ],
    ),
    (  # used to fail in evaluate_model, after a new model version was saved
        {"housing.evaluation.baseline_strategy": "bogus"},
        [
            "housing.evaluation.baseline_strategy: found 'bogus'; expected one of "
            "['mean', 'median'] for regression"
        ],
    ),
]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("overrides", "lines"), BAD_PARAMETERS, ids=["misspelt-and-mistyped", "bad-value"]
)
def test_a_bad_parameter_fails_before_any_node_and_changes_nothing(
    trained_project, overrides: dict[str, Any], lines: list[str], monkeypatch
) -> None:
    """The run stops before its first node, naming the variant and each key
    path with the value found."""
    project = trained_project
    before = _snapshot(project)
    error, started = failing_session_run(
        project, "housing", monkeypatch, nested(overrides), ConfigurationError
    )
    message = str(error)
    assert "Invalid parameters for variant 'housing'" in message
    assert f"{len(lines)} problem(s)" in message
    for line in lines:
        assert line in message
    assert started == []
    assert _snapshot(project) == before


@pytest.mark.slow
def test_the_cli_prints_a_bad_parameter_as_its_own_error(trained_project) -> None:
    """``kedro run --params`` with the mistakes above: the CLI's own error
    message, no traceback, no data loaded, nothing changed."""
    project = trained_project
    overrides, lines = BAD_PARAMETERS[0]
    before = _snapshot(project)
    arguments = ",".join(f"{key}={value}" for key, value in overrides.items())
    result = _kedro(project, "--pipelines", "housing", "--params", arguments)
    output = _one_line(result.stdout + result.stderr)
    assert result.returncode != 0
    assert "Error: Invalid parameters for variant 'housing'" in output
    assert "Traceback" not in output
    for line in lines:
        assert line in output
    assert "Loading data from" not in output and "Running node" not in output
    assert _snapshot(project) == before


@pytest.mark.slow
def test_provenance_records_data_and_code_of_each_model(trained_project) -> None:
    project = trained_project
    for variant, filename in RAW_FILES.items():
        models = sorted((project / f"data/06_models/{variant}/model.skops").iterdir())
        records = sorted(
            (project / f"data/08_reporting/{variant}/provenance.json").iterdir()
        )
        assert [m.name for m in models] == [r.name for r in records]
        record = json.loads((records[-1] / "provenance.json").read_text())
        raw_path = project / "data/01_raw" / filename
        (data,) = record["data"]
        assert data["dataset"] == f"{variant}.raw"
        assert data["sha256"] == hashlib.sha256(raw_path.read_bytes()).hexdigest()
        assert data["rows"] == RAW_ROWS[variant]
        assert record["model"] == {
            "dataset": f"{variant}.model",
            "version": models[-1].name,
        }
        assert record["code"]["package"] == "ml_workflow"
        assert record["code"]["version"]
        assert "git_commit" in record["code"]


def _non_utf8(text: bytes) -> bytes:
    cut = text.index(b"\n", 500) + 1
    return text[:cut] + b"caf\xe9 " + text[cut:]


def _header_only(text: bytes) -> bytes:
    return text.split(b"\n", 1)[0] + b"\n"


def _text_in_numeric(text: bytes) -> bytes:
    lines = text.split(b"\n")
    fields = lines[3].split(b",")
    fields[7] = b"high"  # median_income
    lines[3] = b",".join(fields)
    return b"\n".join(lines)


def _saved_as_csv(text: bytes) -> bytes:
    lines = text.decode().splitlines()
    return ("\n".join(line.replace("\t", ",", 1) for line in lines) + "\n").encode()


def _unknown_label(text: bytes) -> bytes:
    return text.replace(b"\nham\t", b"\nhma\t", 1)


CORRUPTIONS = [
    ("housing", _non_utf8, "is not valid utf-8 text: byte(s) b'\\xe9 "),
    (
        "housing",
        _header_only,
        "ERROR dataset [rows] expected at least one data row; the file has a header only",
    ),
    (
        "housing",
        _text_in_numeric,
        "ERROR column 'median_income' [is_number] expected a number (float64): 1 row(s) fail, e.g. row 2: 'high'",
    ),
    ("spam", lambda text: b"", "is empty: expected a header line naming the columns"),
    ("spam", _saved_as_csv, "was read as ONE column 'label,message'"),
    (
        "spam",
        _unknown_label,
        "ERROR column 'label' [allowed] expected one of ['ham', 'spam']: 1 row(s) fail, e.g. row 0: 'hma'",
    ),
]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("variant", "corrupt", "message"),
    CORRUPTIONS,
    ids=[f"{v}-{c.__name__.strip('_')}" for v, c, _ in CORRUPTIONS],
)
def test_a_corrupted_raw_file_fails_fast_and_changes_nothing(
    trained_project, variant, corrupt, message, monkeypatch
) -> None:
    project = trained_project
    path = project / "data/01_raw" / RAW_FILES[variant]
    original = path.read_bytes()
    before = _snapshot(project)
    path.write_bytes(corrupt(original))
    try:
        error, started = failing_session_run(project, variant, monkeypatch)
    finally:
        path.write_bytes(original)
    assert _one_line(message) in _one_line(str(error))
    assert f"{variant}.clean_raw_data" not in started  # failed fast
    assert _snapshot(project) == before
