"""The housing workflow written as one plain scikit-learn script (no Kedro).

What ``kedro run --pipelines housing`` does with one fixed estimator, done by
hand: load the raw file, clean it (declared columns, rows without a target
and exact duplicates dropped), split 80/20 with seed 42, fit ONE sklearn
Pipeline (the same derived features, median imputation + scaling, one-hot
``ocean_proximity``, the estimator) on train, predict the test split, score
train, test and a mean baseline (R², RMSE, MAE), and save the model
(joblib), the test predictions (CSV) and the metrics (JSON).
benchmarks/overhead.py times it against the project.

    python benchmarks/plain_housing.py --raw data/01_raw/california_housing.csv \\
        --out /tmp/plain --estimator sklearn.linear_model.Ridge
"""

from __future__ import annotations

import argparse
import importlib
import json
from pathlib import Path

import joblib
import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.dummy import DummyRegressor
from sklearn.impute import SimpleImputer
from sklearn.metrics import mean_absolute_error, mean_squared_error, r2_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import FunctionTransformer, OneHotEncoder, StandardScaler

NUMERIC = [
    "longitude",
    "latitude",
    "housing_median_age",
    "total_rooms",
    "total_bedrooms",
    "population",
    "households",
    "median_income",
]
CATEGORICAL = ["ocean_proximity"]
TARGET = "median_house_value"
CITIES = {
    "los_angeles": (34.05, -118.24),
    "san_francisco": (37.77, -122.42),
    "san_diego": (32.72, -117.16),
    "san_jose": (37.34, -121.89),
    "sacramento": (38.58, -121.49),
}
ANGLES = (15, 30, 45, 60, 75)


def add_features(frame: pd.DataFrame) -> pd.DataFrame:
    """The derived features of parameters_housing.yml, written out by hand."""
    out = frame.copy()
    for name, numerator, denominator in (
        ("rooms_per_household", "total_rooms", "households"),
        ("bedrooms_per_room", "total_bedrooms", "total_rooms"),
        ("population_per_household", "population", "households"),
    ):
        ratio = frame[numerator] / frame[denominator].where(frame[denominator] != 0)
        out[name] = ratio.where(np.isfinite(ratio))
    latitude, longitude = np.radians(frame["latitude"]), np.radians(frame["longitude"])
    for city, point in CITIES.items():
        to_latitude, to_longitude = np.radians(point)
        half_chord = (
            np.sin((latitude - to_latitude) / 2) ** 2
            + np.cos(latitude)
            * np.cos(to_latitude)
            * np.sin((longitude - to_longitude) / 2) ** 2
        )
        out[f"km_to_{city}"] = 2 * 6371.0 * np.arcsin(np.sqrt(half_chord))
    for angle in ANGLES:
        radians = np.radians(angle)
        out[f"coordinate_rotated_{angle}"] = frame["longitude"] * np.cos(
            radians
        ) + frame["latitude"] * np.sin(radians)
    return out


SEED = 42  # the split's, and the estimator's where it takes one (as the project)


def model(estimator: str, hyperparameters: dict) -> Pipeline:
    """Derived features -> impute/scale + one-hot -> the estimator, which gets
    the seed unless it sets one, as the project's candidates do."""
    module, _, name = estimator.rpartition(".")
    chosen = getattr(importlib.import_module(module), name)(**hyperparameters)
    if "random_state" in chosen.get_params() and "random_state" not in hyperparameters:
        chosen.set_params(random_state=SEED)
    numeric = NUMERIC + [
        "rooms_per_household",
        "bedrooms_per_room",
        "population_per_household",
        *(f"km_to_{city}" for city in CITIES),
        *(f"coordinate_rotated_{angle}" for angle in ANGLES),
    ]
    return Pipeline(
        [
            ("derive", FunctionTransformer(add_features)),
            (
                "preprocess",
                ColumnTransformer(
                    [
                        (
                            "numeric",
                            make_pipeline(
                                SimpleImputer(strategy="median"), StandardScaler()
                            ),
                            numeric,
                        ),
                        (
                            "categorical",
                            make_pipeline(
                                SimpleImputer(strategy="most_frequent"),
                                OneHotEncoder(handle_unknown="ignore"),
                            ),
                            CATEGORICAL,
                        ),
                    ]
                ),
            ),
            ("estimator", chosen),
        ]
    )


def scores(actual: pd.Series, predicted: np.ndarray) -> dict[str, float]:
    return {
        "r2": float(r2_score(actual, predicted)),
        "rmse": float(np.sqrt(mean_squared_error(actual, predicted))),
        "mae": float(mean_absolute_error(actual, predicted)),
    }


def main() -> None:
    """Load, clean, split, fit, evaluate and save; print the test R²."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--raw", type=Path, required=True, help=".csv or .parquet")
    parser.add_argument("--out", type=Path, required=True, help="output folder")
    parser.add_argument("--estimator", required=True, help="estimator import path")
    parser.add_argument("--hyperparameters", default="{}", help="JSON object")
    arguments = parser.parse_args()

    raw = (
        pd.read_parquet(arguments.raw)
        if arguments.raw.suffix == ".parquet"
        else pd.read_csv(arguments.raw)
    )
    data = raw[[*NUMERIC, *CATEGORICAL, TARGET]].dropna(subset=[TARGET])
    data = data[~data.duplicated()]
    train, test = train_test_split(data, test_size=0.2, random_state=SEED)
    features = NUMERIC + CATEGORICAL
    fitted = model(arguments.estimator, json.loads(arguments.hyperparameters)).fit(
        train[features], train[TARGET]
    )
    predicted = fitted.predict(test[features])
    baseline = DummyRegressor().fit(train[features], train[TARGET])
    metrics = {
        "train": scores(train[TARGET], fitted.predict(train[features])),
        "test": scores(test[TARGET], predicted),
        "baseline": scores(test[TARGET], baseline.predict(test[features])),
    }
    arguments.out.mkdir(parents=True, exist_ok=True)
    joblib.dump(fitted, arguments.out / "model.joblib")
    pd.DataFrame(
        {"actual": test[TARGET], "predicted": predicted}, index=test.index
    ).to_csv(arguments.out / "test_predictions.csv", index_label="row_id")
    (arguments.out / "metrics.json").write_text(json.dumps(metrics, indent=2))
    print(f"test r2 {metrics['test']['r2']:.4f}")  # noqa: T201


if __name__ == "__main__":
    main()
