"""Growth: wall time and peak memory of the housing workflow as the data grows.

For each size, generated housing-like rows (benchmarks/generate_housing.py,
written as Parquet into a throw-away copy of the project) replace the raw
data through a generated Kedro environment ``conf/growth/``, and
``kedro run --env growth --pipelines housing`` runs as its own process. The
parameters are the shipped ones plus only the scale settings given here
(printed with the table), by default ``model_selection.max_rows: 20000``:
candidates are compared and searched on a seeded 20,000-row sample of the
training split, the chosen model is fitted on the whole training split.

    python benchmarks/growth.py                           # 10k 100k 1M 5M
    python benchmarks/growth.py --rows 10000 100000       # quick
    python benchmarks/growth.py --candidates linear_regression hist_gradient_boosting

Prints one row per size (time, peak memory, test R², chosen model); asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys

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
RAW = "data/01_raw/housing_generated.parquet"
WIDTHS = (10, 9, 10, 12, 9, 24, 6)


def scaled_parameters(
    max_rows: int | None, candidates: list[str] | None, max_iter: int | None
) -> dict[str, object]:
    """The shipped housing parameters with the scale settings applied."""
    parameters = base_parameters(VARIANT)
    parameters.setdefault("model_selection", {})["max_rows"] = max_rows
    for candidate in parameters["candidates"]:
        if max_iter and "max_iter" in (candidate.get("hyperparameters") or {}):
            candidate["hyperparameters"]["max_iter"] = max_iter
            (candidate.get("search_space") or {}).pop("max_iter", None)
    if candidates:
        known = {candidate["name"]: candidate for candidate in parameters["candidates"]}
        missing = sorted(set(candidates) - set(known))
        if missing:
            sys.exit(f"unknown candidate(s) {missing}; shipped: {sorted(known)}")
        parameters["candidates"] = [known[name] for name in candidates]
    return parameters


def main() -> None:
    """Measure every requested size and print the table."""
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="\n".join(__doc__.splitlines()[1:]),
    )
    parser.add_argument(
        "--rows",
        type=int,
        nargs="+",
        default=[10_000, 100_000, 1_000_000, 5_000_000],
        help="data sizes in rows (default: 10k 100k 1M 5M)",
    )
    parser.add_argument(
        "--max-selection-rows",
        type=int,
        default=20_000,
        help="model_selection.max_rows (0: null, every training row)",
    )
    parser.add_argument(
        "--candidates", nargs="+", help="keep only these shipped candidates"
    )
    parser.add_argument(
        "--max-iter",
        type=int,
        help="pin boosting candidates' max_iter (and drop it from their search)",
    )
    parser.add_argument("--seed", type=int, default=0, help="generator seed")
    parser.add_argument("--keep", action="store_true", help="keep the project copy")
    arguments = parser.parse_args()

    parameters = scaled_parameters(
        arguments.max_selection_rows or None, arguments.candidates, arguments.max_iter
    )
    project = copy_project()
    write_environment(
        project,
        "growth",
        {
            f"{VARIANT}.raw": {
                "type": "ml_workflow.datasets.ReadOnlyParquetDataset",
                "filepath": RAW,
            }
        },
        {VARIANT: parameters},
    )
    print(f"project copy: {project}")  # noqa: T201
    print(  # noqa: T201
        "settings over the shipped parameters: model_selection.max_rows="
        f"{parameters['model_selection']['max_rows']}; candidates="
        f"{[c['name'] for c in parameters['candidates']]}; boosting max_iter="
        f"{arguments.max_iter or 'shipped'}"
    )
    print(f"memory: {MEMORY_METHOD}")  # noqa: T201
    print_row(
        ("rows", "seconds", "tree MB", "process MB", "test R2", "chosen", "load"),
        WIDTHS,
    )
    for rows in arguments.rows:
        generate_housing(rows, arguments.seed).to_parquet(project / RAW, index=False)
        shutil.rmtree(project / "data" / "08_reporting", ignore_errors=True)
        result = measure(
            kedro_run(["--env", "growth", "--pipelines", VARIANT]), project
        )
        load = load_average()
        metrics_path = project / "data" / "08_reporting" / VARIANT / "metrics.json"
        if result.returncode == 0 and metrics_path.exists():
            metrics = json.loads(metrics_path.read_text())
            r2, chosen = f"{metrics['test']['r2']:.4f}", metrics["model"]["name"]
        else:
            r2, chosen = "failed", f"exit code {result.returncode}"
        print_row(
            (
                f"{rows:,}",
                f"{result.seconds:.1f}",
                f"{result.tree_peak_mb:,.0f}",
                f"{result.process_peak_mb:,.0f}",
                r2,
                chosen,
                load,
            ),
            WIDTHS,
        )
    if not arguments.keep:
        shutil.rmtree(project, ignore_errors=True)


if __name__ == "__main__":
    main()
