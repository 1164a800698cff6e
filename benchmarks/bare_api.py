"""The plain reference for ``api_load.py``: FastAPI + uvicorn and the model, nothing else.

What a data scientist writes first: a synchronous endpoint (FastAPI runs it in
its thread pool) that turns the JSON body into a DataFrame and calls the
model's ``predict``. No validation, batching, metrics or logging. It loads the
same files as ``kedro serve`` (each variant's latest version, SHA-256 checked).

    BARE_PROJECT=. uvicorn benchmarks.bare_api:app --port 8001 --no-access-log
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
from fastapi import Body, FastAPI

from ml_workflow.datasets.model import SkopsModelDataset

app = FastAPI()
_models = Path(os.environ.get("BARE_PROJECT", ".")) / "data" / "06_models"
models = {
    folder.name: SkopsModelDataset(
        filepath=str(max((folder / "model.skops").iterdir()) / "model.skops")
    ).load()
    for folder in sorted(_models.iterdir())
    if (folder / "model.skops").is_dir()
}


@app.post("/variants/{name}/predict")
def predict(name: str, records: list[dict] = Body(...)) -> dict:  # noqa: B008 - FastAPI idiom
    """One prediction per record."""
    frame = pd.DataFrame.from_records(records)
    return {"predictions": models[name].predict(frame).tolist()}
