"""Settings of the machine and of the web API, shared by every variant.

They live once in ``conf/base/parameters.yml`` (``compute``) and
``conf/base/parameters_serving.yml`` (``serving``), and per machine in
``conf/local``; a variant's file never repeats them.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, field_validator

from .base import ConfigModel, Integer, PositiveInteger


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


class Serving(ConfigModel):
    """The web API's limits."""

    max_batch_records: PositiveInteger = 1000
    """Records per predict request; more gets HTTP 413."""
    max_body_bytes: PositiveInteger = 10_000_000
    """Request body size; more gets HTTP 413 before parsing."""


__all__ = ["Cluster", "Compute", "Serving"]
