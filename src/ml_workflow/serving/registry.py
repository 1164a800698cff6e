"""Load every configured variant's served model, schema and metrics for serving.

Configuration comes from the Kedro project exactly as ``kedro run`` sees it:
parameters through ``ml_workflow.variants.load_parameters``, datasets
through the project's catalog (a Kedro session), so catalog paths, versions and
environments are honoured. Which model version a variant serves is
``ml_workflow.tracking.served.served_model``'s answer (the registry's
``champion`` by default, else the latest saved file). A variant whose model
cannot be loaded (none trained yet, a hash that does not match, an untrusted
type, a registry version whose file is missing) is kept with its error: the
API reports it and refuses to predict with it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kedro.framework.session import KedroSession
from kedro.framework.startup import bootstrap_project
from kedro.io import AbstractVersionedDataset
from pydantic import BaseModel, TypeAdapter

from ml_workflow.core.config import Problem, Serving, load_setting, load_variant
from ml_workflow.core.config.loading import variant_names
from ml_workflow.core.task import Task, task_for
from ml_workflow.core.validation import RawSchema, raw_schema
from ml_workflow.datasets.model import HASH_SUFFIX
from ml_workflow.errors import TrackingError
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


@dataclass
class ServedVariant:
    """One variant as the API serves it."""

    name: str
    problem: Problem
    schema: RawSchema
    record_model: type[BaseModel]
    records_adapter: TypeAdapter
    model: Any = None
    version: str | None = None
    sha256: str | None = None
    metrics: dict[str, Any] | None = None
    error: str | None = None
    columns: list[str] = field(default_factory=list)
    served: ServedModel | None = None  # which registry version, if any

    @property
    def task(self) -> Task:
        return task_for(self.problem)

    @property
    def ready(self) -> bool:
        return self.model is not None

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


def _load_model(
    variant: ServedVariant, catalog: Any, choose: Callable[[str], ServedModel]
) -> None:
    name = f"{variant.name}.model"
    try:
        variant.served = choose(variant.name)
        dataset = served_model_dataset(catalog, variant.served)
        if isinstance(dataset, AbstractVersionedDataset):
            variant.version = dataset.resolve_load_version()
        variant.model = dataset.load()
        path = getattr(dataset, "_get_load_path", lambda: None)()
        if path is not None and Path(f"{path}{HASH_SUFFIX}").is_file():
            variant.sha256 = Path(f"{path}{HASH_SUFFIX}").read_text().strip()
    except Exception as error:  # noqa: BLE001 - report any load failure per variant
        variant.model = None
        variant.error = f"{name}: {error}"
        logger.error("Cannot serve variant %r: %s", variant.name, variant.error)


def _load_metrics(variant: ServedVariant, catalog: Any, tracker: Any) -> None:
    """The served model's own metrics: its MLflow run's for a registry version
    (the newest metrics.json may be a challenger's), else metrics.json."""
    try:
        if variant.served is not None and variant.served.from_registry:
            variant.metrics = served_metrics(variant.served, tracker)
            return
        variant.metrics = catalog.load(f"{variant.name}.metrics")
    except Exception:  # noqa: BLE001 - metrics are informative, not required
        variant.metrics = None


def load_served_variants(
    project_path: Path, env: str | None = None
) -> tuple[dict[str, ServedVariant], Serving]:
    """Return (variants by name, serving settings) for the project.

    Every variant's configuration is validated as a run validates it, so a
    mistake fails the server's start with the same message.
    """
    parameters = load_raw_parameters(project_path, env)
    settings = load_setting("serving", parameters.get("serving"))
    tracking = load_setting("tracking", parameters.get("tracking"))
    try:  # one connection for every variant; unreachable: each variant says so
        tracker, unreachable = registry_tracker(tracking, project_path), None
    except TrackingError as error:
        tracker, unreachable = None, error

    def choose(name: str) -> ServedModel:
        if unreachable is not None:
            raise unreachable
        return served_model(name, tracking, project_path, tracker)

    bootstrap_project(project_path)
    with KedroSession.create(project_path=project_path, env=env) as session:
        catalog = session.load_context().catalog
        variants: dict[str, ServedVariant] = {}
        for name in variant_names(parameters):
            config = load_variant(name, parameters[name])
            schema = raw_schema(config.problem, config.data_schema)
            model = record_model(name, schema)
            variant = ServedVariant(
                name=name,
                problem=config.problem,
                schema=schema,
                record_model=model,
                records_adapter=TypeAdapter(list[model]),
                columns=config.problem.feature_columns,
            )
            _load_model(variant, catalog, choose)
            _load_metrics(variant, catalog, tracker)
            variants[name] = variant
    return variants, settings


__all__ = ["ServedVariant", "load_served_variants"]
