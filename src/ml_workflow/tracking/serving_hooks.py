"""Kedro hook: batch scoring loads the model version that serving would serve.

A batch-scoring run (``<variant>_inference`` or
``<variant>_inference_partitioned``) loads the model version ``tracking.serve``
selects (``ml_workflow.tracking.served``) instead of the newest file, unless
``--load-versions`` names one. Training runs are never pinned: their
evaluation must read the model they just trained.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from kedro.framework.hooks import hook_impl
from kedro.pipeline import Pipeline

logger = logging.getLogger(__name__)


class _NoReplacingWarning(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("Replacing dataset")


@contextmanager
def _quiet_replacement() -> Iterator[None]:
    """Without the catalog's "Replacing dataset" warning: pinning the model
    entry to the served version replaces it on purpose (and says so)."""
    catalog_logger = logging.getLogger("kedro.io.data_catalog")
    quiet = _NoReplacingWarning()
    catalog_logger.addFilter(quiet)
    try:
        yield
    finally:
        catalog_logger.removeFilter(quiet)


class ServedModelHooks:
    """Batch scoring loads the model version that serving would serve."""

    @hook_impl
    def before_pipeline_run(
        self, run_params: dict[str, Any], pipeline: Pipeline, catalog: Any
    ) -> None:
        """Pin ``<variant>.model`` of each inference pipeline run to ``tracking.serve``."""
        from ml_workflow.pipeline_registry import inference_pipeline_name  # noqa: PLC0415

        names = set(run_params["pipeline_names"] or [])
        pinned = run_params["load_versions"] or {}
        free = pipeline.inputs()
        variants = sorted(
            name.removesuffix(".model")
            for name in free
            if name.endswith(".model")
            and name not in pinned
            and {
                inference_pipeline_name(name.removesuffix(".model")),
                inference_pipeline_name(name.removesuffix(".model")) + "_partitioned",
            }
            & names
        )
        if not variants:
            return
        settings = catalog.load("params:tracking")
        if not settings.enabled:
            return
        from .served import registry_tracker, served_model, served_model_dataset  # noqa: PLC0415

        project = Path(run_params["project_path"])
        tracker = registry_tracker(settings, project)
        for variant in variants:
            choice = served_model(variant, settings, project, tracker)
            if choice.kedro_version is None:
                continue
            pinned = served_model_dataset(catalog, choice)
            with _quiet_replacement():
                catalog[f"{variant}.model"] = pinned
            logger.info(
                "%s: scoring with %s version %d (%s), Kedro model version %s",
                variant,
                choice.registered_model,
                choice.registry_version,
                choice.selector,
                choice.kedro_version,
            )


__all__ = ["ServedModelHooks"]
