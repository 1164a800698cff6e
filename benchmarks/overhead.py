"""Overhead: ``kedro run --pipelines housing`` with one fixed estimator against
the same work as a plain scikit-learn script (benchmarks/plain_housing.py).

The project runs in a throw-away copy (``--env overhead`` for the data) whose
housing parameters are the shipped ones with ONE candidate (its shipped
hyperparameters) and ``model_selection.search.strategy: none``, so no
cross-validation or search is spent (a single candidate is chosen without
one). Three project runs are timed:

- like-for-like: ``--to-outputs housing.metrics`` (validate, clean, derive,
  split, fit, predict, evaluate, save model/predictions/metrics), the work
  the plain script does; once as shipped (MLflow tracking on) and once with
  ``tracking.enabled=false``, to show what tracking costs;
- full: the whole housing pipeline, which adds the data profile and model
  plots, permutation importance, the learning curve and the report.

    python benchmarks/overhead.py                      # shipped CSV
    python benchmarks/overhead.py --rows 1000000       # generated rows
    python benchmarks/overhead.py --skip-full --repeats 3

Prints wall time and CPU time (user + system) with their ratios to plain, and
peak memory, of each; asserts nothing. On a shared machine the CPU ratio is
the steadier of the two.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

from generate_housing import generate_housing
from harness import (
    MEMORY_METHOD,
    base_parameters,
    copy_project,
    kedro_run,
    load_average,
    measure,
    print_row,
    write_environment,
)

VARIANT = "housing"
WIDTHS = (34, 9, 7, 7, 7, 10, 11, 8, 6)


def main() -> None:
    """Time the plain script and both project runs; print the table."""
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="\n".join(__doc__.splitlines()[1:]),
    )
    parser.add_argument(
        "--rows", type=int, default=0, help="generated rows (0: the shipped CSV)"
    )
    parser.add_argument(
        "--candidate",
        default="extra_trees",
        help="the shipped candidate used as the fixed estimator",
    )
    parser.add_argument("--repeats", type=int, default=1, help="runs of each")
    parser.add_argument(
        "--skip-full", action="store_true", help="time the like-for-like run only"
    )
    arguments = parser.parse_args()

    parameters = base_parameters(VARIANT)
    chosen = [c for c in parameters["candidates"] if c["name"] == arguments.candidate]
    if not chosen:
        sys.exit(f"no shipped candidate is named {arguments.candidate!r}")
    parameters["candidates"] = chosen
    parameters.setdefault("model_selection", {})["search"] = {"strategy": "none"}
    project = copy_project()
    raw = "data/01_raw/california_housing.csv"
    catalog = {}
    if arguments.rows:
        raw = "data/01_raw/housing_generated.parquet"
        generate_housing(arguments.rows).to_parquet(project / raw, index=False)
        catalog[f"{VARIANT}.raw"] = {
            "type": "ml_workflow.datasets.ReadOnlyParquetDataset",
            "filepath": raw,
        }
    write_environment(project, "overhead", catalog, {VARIANT: parameters})
    plain = [sys.executable, str(Path(__file__).with_name("plain_housing.py"))]
    plain += ["--raw", raw, "--out", "plain_output"]
    plain += ["--estimator", chosen[0]["estimator"]]
    plain += ["--hyperparameters", json.dumps(chosen[0].get("hyperparameters") or {})]
    runs = {
        "plain scikit-learn script": plain,
        "kedro, like-for-like (to metrics)": kedro_run(
            ["--env", "overhead", "--pipelines", VARIANT]
            + ["--to-outputs", f"{VARIANT}.metrics"]
        ),
        # the same without MLflow: what tracking (on by default) costs
        "  same, tracking.enabled=false": kedro_run(
            ["--env", "overhead", "--pipelines", VARIANT]
            + ["--to-outputs", f"{VARIANT}.metrics"]
            + ["--params", "tracking.enabled=false"]
        ),
        "kedro, full housing pipeline": kedro_run(
            ["--env", "overhead", "--pipelines", VARIANT]
        ),
    }
    if arguments.skip_full:
        del runs["kedro, full housing pipeline"]
    print(  # noqa: T201
        f"data: {arguments.rows or 'shipped'} rows; fixed estimator "
        f"{arguments.candidate} {chosen[0].get('hyperparameters')}; search: none"
    )
    print(f"memory: {MEMORY_METHOD}")  # noqa: T201
    print_row(
        (
            "run",
            "seconds",
            "ratio",
            "cpu s",
            "ratio",
            "tree MB",
            "process MB",
            "test R2",
            "load",
        ),
        WIDTHS,
    )
    plain_seconds = plain_cpu = None
    for _ in range(arguments.repeats):
        for name, command in runs.items():
            result = measure(command, project)
            load = load_average()
            if name.startswith("plain"):
                plain_seconds, plain_cpu = result.seconds, result.cpu_seconds
                metrics_path = project / "plain_output" / "metrics.json"
            else:
                metrics_path = project / "data/08_reporting" / VARIANT / "metrics.json"
            r2 = (
                f"{json.loads(metrics_path.read_text())['test']['r2']:.4f}"
                if result.returncode == 0 and metrics_path.exists()
                else f"exit {result.returncode}"
            )
            print_row(
                (
                    name,
                    f"{result.seconds:.1f}",
                    f"{result.seconds / plain_seconds:.2f}",
                    f"{result.cpu_seconds:.1f}",
                    f"{result.cpu_seconds / plain_cpu:.2f}",
                    f"{result.tree_peak_mb:,.0f}",
                    f"{result.process_peak_mb:,.0f}",
                    r2,
                    load,
                ),
                WIDTHS,
            )
    shutil.rmtree(project, ignore_errors=True)


if __name__ == "__main__":
    main()
