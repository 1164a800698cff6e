"""Experiment tracking and the model registry (MLflow), shared by every variant.

They live once in ``conf/base/parameters_tracking.yml`` (``tracking``). Every
``kedro run`` that trains a variant is one MLflow run in the variant's
experiment, and its model a new version of the registered model named after
the variant (docs/experiments.md).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, field_validator

from .base import ConfigModel, Number, PositiveInteger

CHAMPION = "champion"
CHALLENGER = "challenger"
LATEST = "latest"

VersionSelector = PositiveInteger | Annotated[str, Field(min_length=1)]
"""A registered version number, an alias (``champion``) or ``latest``."""


def _as_selector(value: object) -> object:
    """``"3"`` (from ``--params tracking.serve=3``) is version 3, not an alias."""
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return value.strip() if isinstance(value, str) else value


class Promotion(ConfigModel):
    """When a newly trained model becomes the champion."""

    tolerance: Annotated[Number, Field(ge=0)] = 0.0
    """Champion if its test primary metric is at least the champion's minus
    this, in the metric's units (for a lower-is-better metric: at most plus this)."""


class Tracking(ConfigModel):
    """Where runs are tracked, when a model is promoted, which version serves."""

    enabled: bool = True
    """false: no runs, no registry; serving uses the latest saved model file."""
    uri: Annotated[str, Field(min_length=1)] | None = None
    """A tracking server (``http://host:5000``) or database URI; null:
    ``$MLFLOW_TRACKING_URI`` if set, else the project's own ``mlflow.db``."""
    artifact_root: Annotated[str, Field(min_length=1)] = "mlruns"
    """Local backend only: the run artifacts' folder, relative to the project."""
    name_prefix: str = ""
    """Prefix of the experiment and registered-model names (``team/``)."""
    on_unreachable: Literal["fail", "local"] = "fail"
    """An unreachable server: ``fail`` stops the run before training; ``local``
    tracks in the project's ``mlflow.db`` instead, with a warning."""
    connect_timeout: Annotated[Number, Field(gt=0)] = 5
    """Seconds to wait for the tracking server."""
    promotion: Promotion = Promotion()
    serve: VersionSelector = CHAMPION
    """Which registered version ``kedro serve`` and batch scoring use."""
    serve_overrides: dict[str, VersionSelector] = {}
    """Per variant, e.g. ``{housing: 3}``."""

    @field_validator("serve", mode="before")
    @classmethod
    def _serve(cls, value: object) -> object:
        return _as_selector(value)

    @field_validator("serve_overrides", mode="before")
    @classmethod
    def _overrides(cls, value: object) -> object:
        if isinstance(value, dict):
            return {key: _as_selector(item) for key, item in value.items()}
        return value

    def registered_name(self, variant: str) -> str:
        """The registered model (and experiment) name of ``variant``."""
        return f"{self.name_prefix}{variant}"

    def selector(self, variant: str) -> int | str:
        """Which version serves ``variant``: a number, an alias or ``latest``."""
        if variant in self.serve_overrides:
            return self.serve_overrides[variant]
        return self.serve


__all__ = ["CHALLENGER", "CHAMPION", "LATEST", "Promotion", "Tracking"]
