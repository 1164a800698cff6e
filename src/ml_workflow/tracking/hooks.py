"""Kedro hook: one MLflow run per trained variant, registered and gated at the end.

``MlflowTrackingHooks``:

- before the pipeline runs (first of all hooks, before any node): find the
  variants whose model the run trains and check that the tracking server
  accepts connections (an unreachable one stops the run here, see
  ``ml_workflow.tracking.tracker``); then, in a background thread while the
  first nodes run, import MLflow, start one run per variant in the variant's
  experiment and log its parameters and the run's identity (Kedro run id, git
  commit, model version). ``before_node_run`` waits for that thread before
  the first node that reads a tracked ``<variant>.train``, so a backend that
  fails there still stops the run before any fit;
- if the pipeline fails: mark those runs FAILED; nothing is registered, so the
  registry and its champion are as before (the transaction hooks restore the
  files);
- after the pipeline succeeds (last of all hooks, after the provenance record
  is written): log metrics, tags, artifacts and the model, register the model
  and apply the promotion gate, then finish the runs.

All MLflow calls happen here, in the driver process, through an explicit
client and run id (no "active run" state): nodes never touch MLflow, so
ParallelRunner and ThreadRunner workers and Dask cluster workers log nothing
and cannot create extra runs.

Batch scoring's hook is ``ml_workflow.tracking.serving_hooks``.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

from kedro.framework.hooks import hook_impl
from kedro.pipeline import Pipeline

from ml_workflow.core.config import Tracking

from .starting import (
    MAX_TAG_LENGTH,
    StartedRun,
    open_runs,
    run_spec,
    warm_up_requirements_check,
)

logger = logging.getLogger(__name__)

FAILED = "FAILED"


def trained_variants(pipeline: Pipeline) -> list[str]:
    """The variants whose model ``pipeline`` trains (writes ``<variant>.model``)."""
    outputs = pipeline.all_outputs()
    namespaces = {node.namespace for node in pipeline.nodes if node.namespace}
    return sorted(ns for ns in namespaces if f"{ns}.model" in outputs)


def tracking_settings(catalog: Any) -> Tracking:
    """The validated ``tracking`` settings (``ml_workflow.context`` resolved them)."""
    return catalog.load("params:tracking")


class MlflowTrackingHooks:
    """One MLflow run per trained variant, registered and gated at the end."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._reset()

    def _reset(self) -> None:
        self._setup: Future | None = None
        self._pid: int | None = None
        self._train_inputs: set[str] = set()
        self._tracker: Any = None
        self._runs: list[StartedRun] = []

    @hook_impl(tryfirst=True)
    def before_pipeline_run(
        self, run_params: dict[str, Any], pipeline: Pipeline, catalog: Any
    ) -> None:
        """Check the backend is reachable (or fail now); start the runs alongside."""
        self._reset()
        variants = trained_variants(pipeline)
        if not variants:
            return
        settings = tracking_settings(catalog)
        if not settings.enabled:
            logger.info("Experiment tracking is off (tracking.enabled: false)")
            return
        from .tracker import choose_uri  # noqa: PLC0415 - no MLflow import

        project = Path(run_params["project_path"])
        uri = choose_uri(settings, project)
        specs = [run_spec(variant, run_params, catalog) for variant in variants]
        executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="mlflow")
        self._setup = executor.submit(open_runs, settings, project, uri, specs)
        executor.submit(warm_up_requirements_check)  # after, not waited for
        executor.shutdown(wait=False)
        self._pid = os.getpid()
        self._train_inputs = {f"{variant}.train" for variant in variants}

    @hook_impl
    def before_node_run(self, node: Any) -> None:
        """Before the first node that trains on a tracked split, make sure the
        runs started: a backend that failed stops the run here, before training."""
        if self._setup is not None and self._train_inputs & set(node.inputs):
            self._wait()

    def _wait(self) -> None:
        """Collect the background setup; a failure becomes a ``TrackingError``."""
        from ml_workflow.errors import TrackingError  # noqa: PLC0415

        if os.getpid() != self._pid:  # a ParallelRunner worker: not our thread
            return
        with self._lock:
            setup, self._setup = self._setup, None
            if setup is None:
                return
            waited = time.perf_counter()
            try:
                self._tracker, self._runs = setup.result()
            except TrackingError:
                raise
            except Exception as error:
                raise TrackingError(
                    "starting the MLflow runs failed "
                    f"({type(error).__name__}: {error}); fix the tracking backend, "
                    "or set tracking.enabled: false"
                ) from error
            waited = time.perf_counter() - waited
            if waited > 0.05:  # below that it is noise
                logger.info("Waited %.1f s for the MLflow runs to start", waited)

    @hook_impl
    def on_pipeline_error(self, error: Exception) -> None:
        """Mark the runs FAILED; register nothing."""
        try:
            self._wait()
        except Exception as setup_error:  # noqa: BLE001 - no runs to mark then
            logger.warning("No MLflow runs to mark failed: %s", setup_error)
        for run in self._runs:
            self._fail(run, f"the kedro run failed: {type(error).__name__}: {error}")
        self._reset()

    def _fail(self, run: StartedRun, reason: str) -> None:
        try:
            self._tracker.client.set_tag(run.run_id, "error", reason[:MAX_TAG_LENGTH])
            self._tracker.client.set_terminated(run.run_id, FAILED)
        except Exception as error:  # noqa: BLE001 - the backend may be the problem
            logger.warning("Could not mark MLflow run %s failed: %s", run.run_id, error)

    @hook_impl(trylast=True)
    def after_pipeline_run(self, pipeline: Pipeline, catalog: Any) -> None:
        """Log results, register and gate each variant's model, finish the runs.

        A failure here leaves the run's own outputs saved (they were written
        before this hook), marks that MLflow run FAILED and raises once every
        variant was tried.
        """
        from ml_workflow.errors import TrackingError  # noqa: PLC0415

        from .results import log_results  # noqa: PLC0415 - imports scikit-learn

        try:
            self._wait()
        except TrackingError as error:
            self._reset()
            raise TrackingError(
                f"the run's outputs are saved, but it was not tracked: {error}"
            ) from error
        runs, failures = self._runs, []
        for run in runs:
            started = time.perf_counter()
            try:
                log_results(self._tracker, run, pipeline, catalog)
            except Exception as error:  # noqa: BLE001 - report all variants at once
                failures.append(f"{run.variant}: {type(error).__name__}: {error}")
                self._fail(run, f"tracking failed after the run: {error}")
            else:
                logger.info(
                    "MLflow run of %s logged in %.1f s",
                    run.variant,
                    time.perf_counter() - started,
                )
        self._reset()
        if failures:
            raise TrackingError(
                "the run's outputs are saved, but logging to MLflow failed for "
                + "; ".join(failures)
                + ". Those models are not registered: fix the cause and run again"
            )


__all__ = ["MlflowTrackingHooks", "trained_variants"]
