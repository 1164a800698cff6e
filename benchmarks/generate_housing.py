"""Generate housing-like data of any size from the shipped California housing CSV.

Each generated row is a real block group (drawn with replacement, seeded)
perturbed so that rows are new yet realistic:

- location: moved by ~2 km (Gaussian, 0.02 degrees), rounded to 0.01 degree
  like the original and kept inside the original bounding box; the block
  group keeps its ``ocean_proximity``;
- size: households, population, rooms and bedrooms scaled by ONE log-normal
  factor (sd 0.25), rooms and bedrooms per household jittered by 5 %, so
  the per-household ratios stay those of a real place; bedrooms <= rooms,
  every count >= 1; missing ``total_bedrooms`` stays missing (~1 %);
- income: jittered by 10 % (clipped to the original 0.4999-15.0001), and the
  value follows it (elasticity 0.6, plus 5 % noise), capped at 500001 like the
  original survey (a capped original stays capped);
- age: +/- 2 years, within the original 1-52.

    python benchmarks/generate_housing.py --rows 1000000 --out /tmp/h1m.parquet

The output format follows the suffix (.parquet or .csv).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "data" / "01_raw" / "california_housing.csv"
VALUE_CAP = 500001.0
COUNTS = ("total_rooms", "total_bedrooms", "population", "households")


def generate_housing(
    rows: int, seed: int = 0, source: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Return ``rows`` housing-like rows with the source's columns and dtypes."""
    real = pd.read_csv(SOURCE) if source is None else source
    generator = np.random.default_rng(seed)
    base = real.iloc[generator.integers(0, len(real), size=rows)].reset_index(drop=True)
    out = pd.DataFrame(index=base.index)
    for column, low, high in (
        ("longitude", real["longitude"].min(), real["longitude"].max()),
        ("latitude", real["latitude"].min(), real["latitude"].max()),
    ):
        moved = base[column].to_numpy() + generator.normal(0.0, 0.02, rows)
        out[column] = np.clip(np.round(moved, 2), low, high)
    age = base["housing_median_age"].to_numpy() + generator.integers(-2, 3, rows)
    out["housing_median_age"] = np.clip(age, 1, 52).astype("float64")

    scale = generator.lognormal(0.0, 0.25, rows)
    households = np.maximum(1.0, np.round(base["households"].to_numpy() * scale))
    per_household = households / base["households"].to_numpy()
    rooms = np.maximum(
        1.0,
        np.round(
            base["total_rooms"].to_numpy()
            * per_household
            * generator.lognormal(0.0, 0.05, rows)
        ),
    )
    bedrooms = np.round(
        base["total_bedrooms"].to_numpy()
        * per_household
        * generator.lognormal(0.0, 0.05, rows)
    )
    bedrooms = np.minimum(np.maximum(bedrooms, 1.0), rooms)  # NaN stays NaN
    population = np.maximum(
        1.0,
        np.round(
            base["population"].to_numpy()
            * per_household
            * generator.lognormal(0.0, 0.05, rows)
        ),
    )
    out["total_rooms"] = rooms
    out["total_bedrooms"] = bedrooms
    out["population"] = population
    out["households"] = households

    income_old = base["median_income"].to_numpy()
    income = np.clip(
        income_old * generator.lognormal(0.0, 0.10, rows),
        real["median_income"].min(),
        real["median_income"].max(),
    )
    out["median_income"] = np.round(income, 4)
    value_old = base["median_house_value"].to_numpy()
    value = (
        value_old * (income / income_old) ** 0.6 * generator.lognormal(0.0, 0.05, rows)
    )
    value = np.round(np.clip(value, real["median_house_value"].min(), VALUE_CAP), -2)
    out["median_house_value"] = np.where(value_old >= VALUE_CAP, VALUE_CAP, value)
    out["ocean_proximity"] = base["ocean_proximity"].to_numpy()
    return out[list(real.columns)]


def main() -> None:
    """Write the generated rows to ``--out`` (Parquet or CSV by suffix)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, required=True, help="rows to generate")
    parser.add_argument("--out", type=Path, required=True, help=".parquet or .csv")
    parser.add_argument("--seed", type=int, default=0, help="random seed")
    arguments = parser.parse_args()
    frame = generate_housing(arguments.rows, arguments.seed)
    arguments.out.parent.mkdir(parents=True, exist_ok=True)
    if arguments.out.suffix == ".parquet":
        frame.to_parquet(arguments.out, index=False)
    else:
        frame.to_csv(arguments.out, index=False)
    print(f"wrote {len(frame):,} rows to {arguments.out}")  # noqa: T201


if __name__ == "__main__":
    main()
