"""Every configured variant's schema, and the model version it serves, for the API.

Configuration comes from the Kedro project exactly as ``kedro run`` sees it:
parameters validated by the typed models, datasets through the project's
catalog (a Kedro session), so catalog paths, versions and environments are
honoured.

Which model version a variant serves is answered in one place,
``ServedVersions``: the MLflow registry's choice (``tracking.serve``, the
``champion`` by default; ``ml_workflow.tracking.served``) when there is a
registry, else the latest saved version of ``<variant>.model``
(``served_version``). A loaded model is one immutable ``LoadedModel`` (model,
version, SHA-256, metrics, drift and prediction references, registry entry),
swapped in one assignment when a new version is loaded
(``serving/reload.py``), so a batch is always scored, and answered, by one
model. A variant whose model cannot be loaded (none trained yet, a hash that
does not match, an untrusted type) is kept with its error: the API reports it
and refuses to predict with it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kedro.framework.session import KedroSession
from kedro.framework.startup import bootstrap_project
from kedro.io import AbstractVersionedDataset, Version
from pydantic import BaseModel, TypeAdapter

from ml_workflow.catalog_files import catalog_files
from ml_workflow.core.config import (
    Drift,
    Problem,
    Schema,
    Serving,
    Tracking,
    load_setting,
    load_variant,
)
from ml_workflow.core.config.loading import variant_names
from ml_workflow.core.task import Task, task_for
from ml_workflow.core.validation import RawSchema, raw_schema
from ml_workflow.datasets.model import HASH_SUFFIX
from ml_workflow.tracking.served import (
    ServedModel,
    registry_tracker,
    served_metrics,
    served_model,
    served_model_dataset,
)
from ml_workflow.variants import load_raw_parameters

from .records import record_model

logger = logging.getLogger(__name__)

VERSION_FORMAT = "%Y-%m-%dT%H.%M.%S.%fZ"  # Kedro's version timestamps


@dataclass(frozen=True)
class LoadedModel:
    """One model version as served: never changed, only replaced."""

    model: Any
    version: str | None
    sha256: str | None = None
    metrics: dict[str, Any] | None = None
    drift_reference: dict[str, Any] | None = None
    served: ServedModel | None = None  # the registry version, if one was chosen
    # the typical record and interval saved with this version (core/typical.py)
    prediction_reference: dict[str, Any] | None = None


@dataclass
class ServedVariant:
    """One variant as the API serves it: its schema and its current model."""

    name: str
    problem: Problem
    schema: RawSchema
    record_model: type[BaseModel]
    records_adapter: TypeAdapter
    loaded: LoadedModel | None = None
    error: str | None = None
    columns: list[str] = field(default_factory=list)
    data_schema: Schema | None = None  # the configuration, for batch scoring
    task: Task = field(init=False)

    def __post_init__(self) -> None:
        self.task = task_for(self.problem)

    @property
    def ready(self) -> bool:
        return self.loaded is not None

    @property
    def model(self) -> Any:
        return self.loaded.model if self.loaded else None

    @property
    def version(self) -> str | None:
        return self.loaded.version if self.loaded else None

    @property
    def sha256(self) -> str | None:
        return self.loaded.sha256 if self.loaded else None

    @property
    def metrics(self) -> dict[str, Any] | None:
        return self.loaded.metrics if self.loaded else None

    @property
    def served(self) -> ServedModel | None:
        return self.loaded.served if self.loaded else None

    @property
    def trained_at(self) -> str | None:
        """The model's save time, read from its version timestamp (ISO 8601)."""
        if not self.version:
            return None
        try:
            moment = datetime.strptime(self.version, VERSION_FORMAT)
        except ValueError:
            return None
        return moment.replace(tzinfo=UTC).isoformat()


def _recorded_sha256(catalog: Any, name: str, version: str | None) -> str | None:
    """The hash the model dataset recorded beside the file it loaded, if local."""
    files = catalog_files(catalog, [name]).get(name)
    if files is None or (files.versioned and version is None):
        return None
    path = files.version_file(version) if version is not None else files.path
    recorded = Path(f"{path}{HASH_SUFFIX}")
    return recorded.read_text().strip() if recorded.is_file() else None


def served_version(catalog: Any, variant: str) -> str | None:
    """The latest saved model version of ``variant``: what serves without a
    registry (``ServedVersions`` decides). Reads the catalog afresh,
    so a version saved since the last call is seen; raises Kedro's
    ``DatasetError`` when none is saved. None for an unversioned dataset.
    """
    dataset = catalog[f"{variant}.model"]
    if not isinstance(dataset, AbstractVersionedDataset):
        return None
    dataset.release()  # forget the cached "latest version"
    return dataset.resolve_load_version()


def _optional(catalog: Any, name: str, version: str | None) -> Any:
    """A dataset's content at ``version`` (or unversioned), None if absent."""
    try:
        dataset = catalog.get(name, version=Version(version, None) if version else None)
        return None if dataset is None else dataset.load()
    except Exception:  # noqa: BLE001 - metrics and references are optional
        return None


def load_model(catalog: Any, variant: str, version: str | None) -> LoadedModel:
    """Load (and verify) ``variant``'s model at ``version`` with its companions.

    The model dataset checks the recorded SHA-256 and the trusted types; its
    errors propagate. The drift reference is the one saved with that version.
    """
    name = f"{variant}.model"
    dataset = catalog.get(name, version=Version(version, None) if version else None)
    model = dataset.load()
    return LoadedModel(
        model=model,
        version=version,
        sha256=_recorded_sha256(catalog, name, version),
        metrics=_optional(catalog, f"{variant}.metrics", None),
        drift_reference=_optional(catalog, f"{variant}.drift_reference", version),
        prediction_reference=_optional(
            catalog, f"{variant}.prediction_reference", version
        ),
    )


class ServedVersions:
    """Which model version each variant serves, and loading it.

    With a model registry (tracking on and something tracked), the version
    ``tracking.serve`` selects (the ``champion`` by default): its Kedro model
    version, its file checked against the hash the registry recorded, and the
    metrics of the run that trained it (``metrics.json`` may be a later,
    unpromoted run's). Without one, the latest saved file. Asked afresh on
    every call, so a champion promoted while the server runs is picked up by
    the reloader (``serving/reload.py``). A registry that cannot be reached
    raises ``TrackingError`` (the variant reports it; a loaded model keeps
    serving).
    """

    def __init__(self, tracking: Tracking, project_path: Path) -> None:
        self.tracking = tracking
        self.project_path = project_path
        self._chosen: dict[str, tuple[ServedModel, Any]] = {}

    def __call__(self, catalog: Any, variant: str) -> str | None:
        """The Kedro model version ``variant`` should serve now."""
        tracker = registry_tracker(self.tracking, self.project_path)
        served = served_model(variant, self.tracking, self.project_path, tracker)
        if not served.from_registry:
            self._chosen.pop(variant, None)
            return served_version(catalog, variant)
        self._chosen[variant] = (served, tracker)
        return served.kedro_version

    def load(self, catalog: Any, variant: str, version: str | None) -> LoadedModel:
        """``load_model``, checked against and described by the registry entry
        the last call chose for ``variant`` (if any)."""
        chosen = self._chosen.get(variant)
        if chosen is None or chosen[0].kedro_version != version:
            return load_model(catalog, variant, version)
        served, tracker = chosen
        served_model_dataset(catalog, served)  # the registry's hash must match
        loaded = load_model(catalog, variant, version)
        metrics = served_metrics(served, tracker)
        return LoadedModel(
            model=loaded.model,
            version=loaded.version,
            sha256=loaded.sha256,
            metrics=metrics if metrics is not None else loaded.metrics,
            drift_reference=loaded.drift_reference,
            served=served,
            prediction_reference=loaded.prediction_reference,
        )


def open_catalog(project_path: Path, env: str | None = None) -> Any:
    """The project's Data Catalog, as a ``kedro run`` would build it."""
    bootstrap_project(project_path)
    with KedroSession.create(project_path=project_path, env=env) as session:
        return session.load_context().catalog


@dataclass(frozen=True)
class ServingConfiguration:
    """What the API reads from the project's parameters."""

    variants: dict[str, ServedVariant]
    serving: Serving
    drift: Drift
    tracking: Tracking


def load_configuration(
    project_path: Path, env: str | None = None
) -> ServingConfiguration:
    """The variants (without models) and the shared settings the API uses.

    Every variant's configuration is validated as a run validates it, so a
    mistake fails the server's start with the same message.
    """
    parameters = load_raw_parameters(project_path, env)
    variants: dict[str, ServedVariant] = {}
    for name in variant_names(parameters):
        config = load_variant(name, parameters[name])
        schema = raw_schema(config.problem, config.data_schema)
        model = record_model(name, schema)
        variants[name] = ServedVariant(
            name=name,
            problem=config.problem,
            schema=schema,
            record_model=model,
            records_adapter=TypeAdapter(list[model]),
            # the record model's fields f0, f1, ... in this order
            columns=[spec.name for spec in schema.without_target()],
            data_schema=config.data_schema,
        )
    return ServingConfiguration(
        variants=variants,
        serving=load_setting("serving", parameters.get("serving")),
        drift=load_setting("drift", parameters.get("drift")),
        tracking=load_setting("tracking", parameters.get("tracking")),
    )


def load_served_variants(
    project_path: Path, env: str | None = None
) -> tuple[dict[str, ServedVariant], Serving]:
    """Return (variants by name with their served models loaded, serving settings)."""
    configuration = load_configuration(project_path, env)
    catalog = open_catalog(project_path, env)
    load_served_models(configuration, catalog, project_path)
    return configuration.variants, configuration.serving


def load_served_models(
    configuration: ServingConfiguration, catalog: Any, project_path: Path
) -> None:
    """Load each variant's served model (``ServedVersions``) into it, or keep
    the error that stopped it."""
    versions = ServedVersions(configuration.tracking, project_path)
    for variant in configuration.variants.values():
        try:
            variant.loaded = versions.load(
                catalog, variant.name, versions(catalog, variant.name)
            )
        except Exception as error:  # noqa: BLE001 - reported per variant
            variant.error = f"{variant.name}.model: {error}"
            logger.error("Cannot serve variant %r: %s", variant.name, variant.error)


__all__ = [
    "LoadedModel",
    "ServedVariant",
    "ServedVersions",
    "ServingConfiguration",
    "load_configuration",
    "load_model",
    "load_served_models",
    "load_served_variants",
    "open_catalog",
    "served_version",
]
