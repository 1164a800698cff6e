"""How housing's blend earns its weights: out-of-fold R² of each member and blend.

Runs the shipped housing data processing and feature engineering in memory
(the project's own split), takes the members of the shipped
``forest_boosting_and_neighbours`` candidate with their preprocessing, and
prints, for each member and for four weightings of them, the R² of 5-fold
out-of-fold predictions on the training split (what the weights may be chosen
on) beside the test R² (what the run reports; never used to choose). The random
forest that was the blend's forest (and a candidate of its own) before extra
trees replaced it runs beside them as the reference. The weightings: the plain
average of forest and boosting, the earlier blend (the random forest in the
forest's place, 2:2:1), the shipped weights, and least-squares weights fitted
to the out-of-fold predictions (non-negative, no intercept, as a vote weighs).

    python benchmarks/housing_blend.py          # about 3 minutes on 2 cores
"""

from __future__ import annotations

import logging
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.base import clone
from sklearn.ensemble import RandomForestRegressor
from sklearn.linear_model import LinearRegression
from sklearn.metrics import r2_score
from sklearn.model_selection import KFold, cross_val_predict
from sklearn.pipeline import Pipeline

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as `python benchmarks/<script>.py`
    sys.path.insert(0, str(ROOT))

from benchmarks.harness import load_average, print_row  # noqa: E402
from ml_workflow.core.config import resolve_parameters  # noqa: E402
from ml_workflow.core.model_builder import (  # noqa: E402
    candidate_pipeline,
    feature_transform,
)
from ml_workflow.pipeline_registry import build_pipelines  # noqa: E402
from ml_workflow.variants import load_raw_parameters  # noqa: E402
from tests.conftest import load_raw, run_pipeline  # noqa: E402

BLEND = "forest_boosting_and_neighbours"
REFERENCE = "random_forest"  # the blend's forest until extra trees replaced it
# ... with the hyperparameters it had as housing's `random_forest` candidate
REFERENCE_HYPERPARAMETERS = {
    "n_estimators": 60,
    "max_features": 0.25,
    "min_samples_leaf": 2,
}
FOLDS = 5


def project_split(parameters: dict[str, Any]) -> tuple[Any, Any]:
    """The housing train and test splits, as a run of the project makes them."""
    upstream = build_pipelines(["housing"])["housing"].to_outputs(
        "housing.train", "housing.test"
    )
    raw = {"housing.raw": load_raw("housing")}
    outputs = run_pipeline(upstream, raw, parameters)
    return outputs["housing.train"], outputs["housing.test"]


def main() -> None:
    logging.getLogger("kedro").setLevel(logging.WARNING)  # the table only
    print(f"load average before: {load_average()}")  # noqa: T201
    parameters = resolve_parameters(load_raw_parameters(ROOT, env="base"))
    housing = parameters["housing"]
    target = housing["problem"].target
    train, test = project_split(parameters)
    seed = housing["model_selection"].seed
    blend = candidate_pipeline(
        housing["problem"],
        feature_transform(housing["derived_features"]),
        housing["preprocessing"],
        next(c for c in housing["candidates"] if c.name == BLEND),
        seed=seed,
    )
    reference = RandomForestRegressor(**REFERENCE_HYPERPARAMETERS, random_state=seed)
    rows, labels = train.drop(columns=target), train[target]
    folds = KFold(FOLDS, shuffle=True, random_state=seed)

    out_of_fold, on_test = {}, {}
    widths = (34, 12, 9, 8)
    print_row(("member or blend", "OOF R² (5)", "test R²", "time s"), widths)
    for name, member in [*blend[-1].estimators, (REFERENCE, reference)]:
        # each fold fits its own derived features and preprocessing, as a run does
        alone = Pipeline([*clone(blend[:-1]).steps, ("member", clone(member))])
        started = time.perf_counter()
        out_of_fold[name] = cross_val_predict(alone, rows, labels, cv=folds)
        on_test[name] = alone.fit(rows, labels).predict(test.drop(columns=target))
        print_row(
            (
                name,
                f"{r2_score(labels, out_of_fold[name]):.4f}",
                f"{r2_score(test[target], on_test[name]):.4f}",
                f"{time.perf_counter() - started:.1f}",
            ),
            widths,
        )
    names = [name for name, _ in blend[-1].estimators]
    least_squares = LinearRegression(positive=True, fit_intercept=False)
    fitted = least_squares.fit(
        np.column_stack([out_of_fold[name] for name in names]), labels
    ).coef_
    earlier = [REFERENCE if name == "forest" else name for name in names]
    weightings = {
        "average of forest and boosting": (
            names,
            [float(name in ("forest", "boosting")) for name in names],
        ),
        "earlier: random forest 2:2:1": (earlier, [2, 2, 1]),
        f"shipped {blend[-1].weights}": (names, list(blend[-1].weights)),
        "least squares " + ":".join(f"{w:.2f}" for w in fitted / fitted.sum()): (
            names,
            fitted,
        ),
    }
    for label, (columns, weights) in weightings.items():
        stacked = np.column_stack([out_of_fold[name] for name in columns])
        stacked_test = np.column_stack([on_test[name] for name in columns])
        share = np.asarray(weights, dtype=float) / np.sum(weights)
        print_row(
            (
                label,
                f"{r2_score(labels, stacked @ share):.4f}",
                f"{r2_score(test[target], stacked_test @ share):.4f}",
                "",
            ),
            widths,
        )
    print(f"load average after: {load_average()}")  # noqa: T201


if __name__ == "__main__":
    main()
