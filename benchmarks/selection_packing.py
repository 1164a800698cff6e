"""Model selection of the shipped housing candidates: every candidate's folds in
one parallel pass (the default, ``folds.packed_outcomes``) against one
``cross_validate`` call per candidate (``folds.one_by_one_outcomes``, what a
``model_selection.max_seconds`` budget uses), in one process, alternating.

    python benchmarks/selection_packing.py [--repeats 3] [--n-jobs -1]

The data is the shipped CSV, cleaned as the pipeline does (missing target and
duplicate rows dropped) and split 80/20 with the variant's seed. The first
comparison is run once untimed, so both start with warm workers. Prints wall
time, the ratio packed / one-by-one and the load average per repeat, and
checks that both give the same leaderboard means; asserts nothing else.
"""

from __future__ import annotations

import argparse
import os
import time

import pandas as pd
from harness import ROOT, base_parameters, print_row
from sklearn.model_selection import train_test_split

from ml_workflow.core.config.loading import load_variant
from ml_workflow.core.model_builder import candidate_pipeline, feature_transform
from ml_workflow.core.task import task_for
from ml_workflow.pipelines.modelling.selection import cross_validate_candidates

WIDTHS = (14, 9, 7, 6)
NO_BUDGET_SPENT = 1e9  # a budget never spent: the one-by-one path, no skips


def main() -> None:
    """Time both ways of cross-validating the housing candidates."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--n-jobs", type=int, default=-1)
    arguments = parser.parse_args()
    config = load_variant("housing", base_parameters("housing"))
    problem, selection = config.problem, config.model_selection
    data = pd.read_csv(ROOT / "data/01_raw/california_housing.csv")
    data = data.dropna(subset=[problem.target]).drop_duplicates()
    train, _ = train_test_split(data, test_size=0.2, random_state=config.seed)
    derived = feature_transform(config.derived_features)
    task = task_for(problem)

    def board(max_seconds: float | None) -> tuple[float, list[float]]:
        started = time.perf_counter()
        leaderboard = cross_validate_candidates(
            train[problem.feature_columns],
            train[problem.target],
            config.candidates,
            lambda candidate: candidate_pipeline(
                problem, derived, config.preprocessing, candidate, selection.seed
            ),
            task,
            config.evaluation.primary_metric,
            task.fold_splitter(selection.cv_folds, selection.seed),
            arguments.n_jobs,
            None,
            max_seconds,
        )
        return time.perf_counter() - started, leaderboard["mean"].tolist()

    board(None)  # start and warm the workers
    print(  # noqa: T201
        f"housing: {len(config.candidates)} candidates x {selection.cv_folds} "
        f"folds on {len(train):,} rows, n_jobs {arguments.n_jobs} "
        f"({os.cpu_count()} cores)"
    )
    print_row(("way", "seconds", "ratio", "load"), WIDTHS)
    for _ in range(arguments.repeats):
        one_by_one, expected = board(NO_BUDGET_SPENT)
        print_row(
            ("one by one", f"{one_by_one:.1f}", "1.00", f"{os.getloadavg()[0]:.2f}"),
            WIDTHS,
        )
        packed, means = board(None)
        print_row(
            (
                "packed",
                f"{packed:.1f}",
                f"{packed / one_by_one:.2f}",
                f"{os.getloadavg()[0]:.2f}",
            ),
            WIDTHS,
        )
        if means != expected:
            print(f"leaderboards differ: {means} != {expected}")  # noqa: T201


if __name__ == "__main__":
    main()
