"""Settings of the machine and of the web API, shared by every variant.

They live once in ``conf/base/parameters.yml`` (``compute``),
``conf/base/parameters_serving.yml`` (``serving``) and
``conf/base/parameters_drift.yml`` (``drift``), and per machine in
``conf/local``; a variant's file never repeats them.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, field_validator

from .base import ConfigModel, Folds, Integer, Number, PositiveInteger, Share


class Cluster(ConfigModel):
    """Where cross-validation, the search and threshold tuning run."""

    scheduler: Annotated[str, Field(min_length=1)] | None = None
    """A Dask scheduler address such as ``tcp://host:8786``; null: run here."""
    connect_timeout: Annotated[float, Field(gt=0)] = 10
    """Seconds to reach the scheduler before the run fails."""


class Compute(ConfigModel):
    """How much of this machine (or which cluster) the fits may use."""

    n_jobs: Integer = -1
    """Parallel fits of cross-validation, search and diagnostics; -1: every core."""
    threads_per_fit: PositiveInteger = 1
    """Native (OpenMP/BLAS) threads each diagnostic fit may use: many small
    fits in a row are faster single-threaded."""
    cluster: Cluster = Cluster()

    @field_validator("n_jobs")
    @classmethod
    def _not_zero(cls, n_jobs: int) -> int:
        if n_jobs == 0 or n_jobs < -1:
            raise ValueError(
                "expected a positive number of workers, or -1 for every core"
            )
        return n_jobs


Seconds = Annotated[Number, Field(ge=0, allow_inf_nan=False)]


class Serving(ConfigModel):
    """The web API's limits, model reloads and shutdown."""

    max_batch_records: PositiveInteger = 1000
    """Records per predict request; more gets HTTP 413."""
    max_body_bytes: PositiveInteger = 10_000_000
    """Request body size; more gets HTTP 413 before parsing."""
    reload_interval_seconds: Seconds = 30
    """How often the server looks for a new served model version; 0: only at
    start-up and on ``POST /admin/reload``."""
    graceful_shutdown_seconds: Integer = Field(default=30, ge=0)
    """On SIGTERM, how long in-flight requests may take to finish."""
    recent_records: PositiveInteger = 10_000
    """Records kept per variant for ``GET /variants/{name}/drift``."""


class Drift(ConfigModel):
    """How new records are compared with the training split (``ml_workflow.core.drift``)."""

    bins: Folds = 10
    """Quantile bins per numeric feature (text: of its length in characters)."""
    max_categories: PositiveInteger = 20
    """Most frequent categories kept per categorical feature; the rest is "(other)"."""
    psi_threshold: Annotated[Number, Field(gt=0, allow_inf_nan=False)] = 0.2
    """A feature drifted when its population stability index is at least this ..."""
    p_value: Share = 0.01
    """... and its chi-square p-value is below this (the shift is not chance)."""


__all__ = ["Cluster", "Compute", "Drift", "Serving"]
