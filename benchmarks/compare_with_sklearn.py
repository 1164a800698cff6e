"""Compare the project's default run with the plain scikit-learn reference workflow.

The reference is the "seed-style" workflow a notebook would start from, on the
same data and the same 80/20 split (seed 42): housing, one LinearRegression on
imputed numeric columns plus one-hot ``ocean_proximity``; SMS spam, duplicates
dropped, TF-IDF + MultinomialNB (alpha 0.1), split stratified on the label.
The project's figures come from a real ``kedro run`` (every variant, model
selection and search included) and its ``metrics.json`` files.

Run from the project root::

    python benchmarks/compare_with_sklearn.py            # reference + kedro run
    python benchmarks/compare_with_sklearn.py --no-project   # reference only

Prints test metrics and wall times; asserts nothing.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LinearRegression
from sklearn.metrics import f1_score, precision_score, r2_score, recall_score
from sklearn.model_selection import train_test_split
from sklearn.naive_bayes import MultinomialNB
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "01_raw"
SEED = 42


def housing_reference() -> tuple[dict[str, float], float]:
    """LinearRegression on the raw housing columns; returns test R² and seconds."""
    start = time.perf_counter()
    data = pd.read_csv(RAW / "california_housing.csv").dropna(
        subset=["median_house_value"]
    )
    features = data.drop(columns="median_house_value")
    target = data["median_house_value"]
    x_train, x_test, y_train, y_test = train_test_split(
        features, target, test_size=0.2, random_state=SEED
    )
    numeric = [column for column in features if column != "ocean_proximity"]
    model = make_pipeline(
        ColumnTransformer(
            [
                ("numeric", SimpleImputer(strategy="median"), numeric),
                (
                    "categorical",
                    OneHotEncoder(handle_unknown="ignore"),
                    ["ocean_proximity"],
                ),
            ]
        ),
        LinearRegression(),
    ).fit(x_train, y_train)
    r2 = float(r2_score(y_test, model.predict(x_test)))
    return {"r2": r2}, time.perf_counter() - start


def spam_reference() -> tuple[dict[str, float], float]:
    """TF-IDF + MultinomialNB on deduplicated SMS; returns test metrics and seconds."""
    start = time.perf_counter()
    data = pd.read_csv(
        RAW / "sms_spam.tsv",
        sep="\t",
        quoting=csv.QUOTE_NONE,
        keep_default_na=False,
        na_values=[""],
    ).drop_duplicates()
    x_train, x_test, y_train, y_test = train_test_split(
        data["message"],
        data["label"],
        test_size=0.2,
        random_state=SEED,
        stratify=data["label"],
    )
    model = make_pipeline(TfidfVectorizer(), MultinomialNB(alpha=0.1)).fit(
        x_train, y_train
    )
    predicted = model.predict(x_test)
    binary = {"pos_label": "spam", "zero_division": 0}
    metrics = {
        "f1": float(f1_score(y_test, predicted, **binary)),
        "precision": float(precision_score(y_test, predicted, **binary)),
        "recall": float(recall_score(y_test, predicted, **binary)),
    }
    return metrics, time.perf_counter() - start


def project_run(extra_arguments: list[str]) -> tuple[dict[str, dict], float]:
    """Run the default ``kedro run``; return each variant's metrics.json and seconds."""
    environment = {**os.environ, "KEDRO_DISABLE_TELEMETRY": "1"}
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "kedro", "run", *extra_arguments],
        cwd=ROOT,
        env=environment,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    seconds = time.perf_counter() - start
    reports = {
        path.parent.name: json.loads(path.read_text())
        for path in sorted((ROOT / "data" / "08_reporting").glob("*/metrics.json"))
    }
    return reports, seconds


def main() -> None:
    """Print the reference's and the project's test metrics and wall times."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--no-project", action="store_true", help="only run the reference workflow"
    )
    parser.add_argument(
        "kedro_arguments", nargs="*", help="passed to kedro run (after --)"
    )
    arguments = parser.parse_args()

    housing, housing_seconds = housing_reference()
    spam, spam_seconds = spam_reference()
    print("plain scikit-learn reference (80/20 split, seed 42)")  # noqa: T201
    print(  # noqa: T201
        f"  housing LinearRegression        r2 {housing['r2']:.4f}"
        f"   ({housing_seconds:.1f} s)"
    )
    print(  # noqa: T201
        f"  spam    TF-IDF + MultinomialNB  f1 {spam['f1']:.4f}  precision "
        f"{spam['precision']:.4f}  recall {spam['recall']:.4f}   ({spam_seconds:.1f} s)"
    )
    if arguments.no_project:
        return
    reports, seconds = project_run(arguments.kedro_arguments)
    print(f"project: kedro run (all variants, selection + search)  {seconds:.1f} s")  # noqa: T201
    for variant, report in reports.items():
        model = report["model"]
        test = report["test"]
        shown = {
            metric: test[metric]
            for metric in ("r2", "rmse", "f1", "precision", "recall")
            if metric in test
        }
        figures = "  ".join(f"{metric} {value:.4f}" for metric, value in shown.items())
        threshold = (
            f"  threshold {model['threshold']:.3f}" if "threshold" in model else ""
        )
        print(f"  {variant:<8}{model.get('name', model['estimator']):<24}{figures}")  # noqa: T201
        print(f"  {'':<8}tuned {model['hyperparameters']}{threshold}")  # noqa: T201


if __name__ == "__main__":
    main()
