"""One pass or two: a binary model's predictions with their scores.

Evaluation, batch scoring and the API want both the label and the positive
class's score of each row. A model whose threshold was tuned used to give them
by two calls, ``predict`` and then ``predict_proba`` / ``decision_function``,
each running the whole pipeline (text vectorized twice); the task now reads
the label off the score (``BinaryClassificationTask.predictions``). This script
times both on a trained project's latest model and test split, checks the
labels are the same, and prints a table.

    python benchmarks/binary_predictions.py                         # spam, here
    python benchmarks/binary_predictions.py --variant emails --project DIR
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as `python benchmarks/<script>.py`
    sys.path.insert(0, str(ROOT))

from benchmarks.harness import load_average, print_row  # noqa: E402
from ml_workflow.core.config import resolve_parameters  # noqa: E402
from ml_workflow.core.task import task_for  # noqa: E402
from ml_workflow.datasets import SkopsModelDataset  # noqa: E402
from ml_workflow.variants import load_raw_parameters  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variant", default="spam")
    parser.add_argument("--project", type=Path, default=ROOT, help="a trained project")
    parser.add_argument("--repeats", type=int, default=3)
    options = parser.parse_args()
    project, variant = options.project, options.variant
    problem = resolve_parameters(load_raw_parameters(project, env="base"))[variant][
        "problem"
    ]
    task = task_for(problem)
    versions = sorted((project / f"data/06_models/{variant}/model.skops").iterdir())
    model = SkopsModelDataset(filepath=str(versions[-1] / "model.skops")).load()
    test = pd.read_parquet(project / f"data/05_model_input/{variant}/test.parquet")
    rows = test[problem.feature_columns]

    print(f"load average before: {load_average()}")  # noqa: T201
    widths = (10, 8, 22, 12, 7)
    print_row(
        ("variant", "rows", "predict + scores (s)", "one pass (s)", "ratio"), widths
    )
    for _ in range(options.repeats):
        started = time.perf_counter()
        labels = model.predict(rows)
        task.positive_scores(model, rows)
        two_calls = time.perf_counter() - started
        started = time.perf_counter()
        frame = task.predictions(model, rows)
        one_pass = time.perf_counter() - started
        if list(frame["predicted"]) != list(labels):
            raise SystemExit("the one-pass labels differ from predict's")
        print_row(
            (
                variant,
                str(len(rows)),
                f"{two_calls:.3f}",
                f"{one_pass:.3f}",
                f"{two_calls / one_pass:.2f}",
            ),
            widths,
        )
    print(f"load average after: {load_average()}")  # noqa: T201


if __name__ == "__main__":
    main()
