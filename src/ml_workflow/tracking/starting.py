"""Start a tracked run: one MLflow run per trained variant, with its parameters.

``run_spec`` reads what a run starts with from the catalog, in the hook's own
thread (the catalog is not shared with the background); ``open_runs`` then
connects and starts the runs, in a background thread while the first nodes
run (importing MLflow and opening its store take seconds).
"""

from __future__ import annotations

import getpass
import json
import logging
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kedro.io import AbstractVersionedDataset

from ml_workflow.core.config import Tracking

logger = logging.getLogger(__name__)

MAX_TAG_LENGTH = 5000


@dataclass
class StartedRun:
    """An MLflow run started for one variant."""

    variant: str
    run_id: str
    experiment_id: str


def start_tags(
    run_params: dict[str, Any], variant: str, model_version: str | None
) -> dict[str, str]:
    """What a run is, as tags: the Kedro run and model version, the code."""
    from ml_workflow.hooks import code_version  # noqa: PLC0415

    code = code_version(Path(run_params["project_path"]))
    tags = {
        "variant": variant,
        "kedro.run_id": run_params["run_id"],
        "kedro.pipelines": ",".join(run_params["pipeline_names"] or ["__default__"]),
        "kedro.env": run_params["env"],
        "kedro.runtime_params": json.dumps(run_params["runtime_params"] or {}),
        "kedro.model_version": model_version,
        "ml_workflow.version": code["version"],
        "git_commit": code["git_commit"],
        "git_dirty": code["git_dirty"],
        "mlflow.source.git.commit": code["git_commit"],
        "mlflow.source.name": "kedro run",
        "mlflow.source.type": "LOCAL",
        "mlflow.user": getpass.getuser(),
    }
    return {k: str(v)[:MAX_TAG_LENGTH] for k, v in tags.items() if v is not None}


@dataclass
class RunSpec:
    """What a variant's MLflow run starts with, read from the catalog up front."""

    variant: str
    tags: dict[str, str]
    params: dict[str, str]
    parameters: dict[str, Any]


def open_runs(
    settings: Tracking, project: Path, uri: str, specs: list[RunSpec]
) -> tuple[Any, list[StartedRun]]:
    """Connect, then start one run per variant with its tags and parameters.

    Runs in a background thread while the first nodes run: importing MLflow and
    opening its store take seconds.
    """
    from .tracker import connect, import_mlflow  # noqa: PLC0415

    started = time.perf_counter()
    import_mlflow()  # first: it sets MLflow's telemetry default before the import
    from mlflow.entities import Param  # noqa: PLC0415

    tracker = connect(settings, project, uri)
    runs = []
    for spec in specs:
        experiment_id = tracker.experiment_id(spec.variant)
        run_id = tracker.client.create_run(experiment_id, tags=spec.tags).info.run_id
        tracker.client.log_batch(
            run_id, params=[Param(key, value) for key, value in spec.params.items()]
        )
        tracker.client.log_dict(run_id, spec.parameters, "parameters.json")
        runs.append(StartedRun(spec.variant, run_id, experiment_id))
    logger.info(
        "Tracking %s in MLflow at %s (%.1f s to connect and start, alongside the run)",
        ", ".join(spec.variant for spec in specs),
        tracker.uri,
        time.perf_counter() - started,
    )
    return tracker, runs


def warm_up_requirements_check() -> None:
    """Build MLflow's package-to-module map now, in the background once the
    runs are started: logging the model checks its requirements against it, and
    building it reads every installed distribution's metadata (2-3 s, measured).
    A pure optimisation."""
    try:
        from mlflow.utils import requirements_utils  # noqa: PLC0415

        requirements_utils._init_packages_to_modules_map()
    except Exception:  # noqa: BLE001 - a private helper: never fail a run for it
        logger.debug("MLflow's requirements map was not warmed up", exc_info=True)


def run_spec(variant: str, run_params: dict[str, Any], catalog: Any) -> RunSpec:
    """Tags, flat params and the whole parameters of ``variant``'s run."""
    from .params import flatten_parameters, variant_parameters  # noqa: PLC0415

    model = catalog.get(f"{variant}.model")
    version = (
        model.resolve_save_version()
        if isinstance(model, AbstractVersionedDataset)
        else None
    )
    parameters = variant_parameters(catalog, variant)
    return RunSpec(
        variant=variant,
        tags=start_tags(run_params, variant, version),
        params=flatten_parameters(parameters),
        parameters=parameters,
    )


__all__ = [
    "RunSpec",
    "StartedRun",
    "open_runs",
    "run_spec",
    "start_tags",
    "warm_up_requirements_check",
]
