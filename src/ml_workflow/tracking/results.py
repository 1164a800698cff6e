"""After a successful run: log a variant's results and register its model.

Metrics and tags (``ml_workflow.tracking.record``), the reporting files
(``ml_workflow.tracking.artifacts``), the model (``ml_workflow.tracking.model``),
then registration behind the promotion gate (``ml_workflow.tracking.registry``),
and the run is finished. Only this run's outputs are read: a dataset the run
did not write (``--to-outputs``) is not logged, and a model the run did not
evaluate is logged but not registered. The provenance record (written by
``ml_workflow.hooks.ProvenanceHooks`` just before this hook) is logged too.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from kedro.pipeline import Pipeline

from ml_workflow.core.task import task_for

from .starting import MAX_TAG_LENGTH, StartedRun
from .tracker import Tracker

logger = logging.getLogger(__name__)

FINISHED = "FINISHED"


def log_results(
    tracker: Tracker, run: StartedRun, pipeline: Pipeline, catalog: Any
) -> None:
    """Log ``run``'s results, register its model and finish it."""
    from mlflow.entities import Metric, RunTag  # noqa: PLC0415

    from .artifacts import collect_artifacts, variant_outputs  # noqa: PLC0415
    from .model import log_model  # noqa: PLC0415
    from .record import (  # noqa: PLC0415
        data_tags,
        evaluation_metrics,
        evaluation_tags,
        model_tags,
        primary_score,
        selection_metrics,
    )
    from .registry import register_model  # noqa: PLC0415

    client, variant = tracker.client, run.variant
    outputs = set(variant_outputs(pipeline, variant))

    def output(name: str) -> Any:
        full = f"{variant}.{name}"
        return catalog.load(full) if full in outputs else None

    report, summary = output("metrics"), output("model_summary")
    leaderboard = output("leaderboard")
    metrics: dict[str, float] = {}
    tags: dict[str, str] = {}
    if report is not None:
        metrics |= evaluation_metrics(report)
        tags |= evaluation_tags(report)
    if summary is not None:
        tags |= model_tags(summary)
        if leaderboard is not None:
            metrics |= selection_metrics(leaderboard, summary)
    provenance = catalog.load(f"{variant}.provenance")  # ProvenanceHooks saved it
    tags |= data_tags(provenance)
    now = int(time.time() * 1000)
    client.log_batch(
        run.run_id,
        metrics=[Metric(key, value, now, 0) for key, value in metrics.items()],
        tags=[RunTag(key, value) for key, value in tags.items()],
    )
    with collect_artifacts(catalog, pipeline, variant) as artifacts:
        for artifact in artifacts:
            if artifact.path.is_dir():
                client.log_artifacts(
                    run.run_id, str(artifact.path), artifact.artifact_path
                )
            else:
                client.log_artifact(
                    run.run_id, str(artifact.path), artifact.artifact_path
                )
    client.log_dict(run.run_id, provenance, "reporting/provenance.json")
    logged = log_model(tracker, run.run_id, run.experiment_id, catalog, variant)
    if report is None:
        client.set_tag(
            run.run_id,
            "registry.status",
            "not registered: this run did not evaluate the model on the test split",
        )
    else:
        metric, score = primary_score(report)
        task = task_for(catalog.load(f"params:{variant}.problem"))
        registration = register_model(
            tracker, variant, run.run_id, logged, task, metric, score
        )
        promotion = registration.promotion
        client.log_batch(
            run.run_id,
            tags=[
                RunTag("registry.model", registration.name),
                RunTag("registry.version", str(registration.version)),
                RunTag("registry.alias", promotion.alias),
                RunTag("registry.reason", promotion.reason[:MAX_TAG_LENGTH]),
                RunTag(
                    "mlflow.note.content",
                    f"Registered as {registration.name} version "
                    f"{registration.version}, **{promotion.alias}**: {promotion.reason}.",
                ),
            ],
        )
        logger.info(
            "%s: registered %s version %d as %s (%s)",
            variant,
            registration.name,
            registration.version,
            promotion.alias,
            promotion.reason,
        )
    client.set_terminated(run.run_id, FINISHED)


__all__ = ["log_results"]
