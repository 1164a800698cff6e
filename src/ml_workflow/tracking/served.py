"""Which model version serves a variant: the one question serving asks.

``served_model`` answers it for ``kedro serve`` (``ml_workflow.serving.registry``)
and batch scoring (``ServedModelHooks``) alike, from ``tracking.serve`` (or
``tracking.serve_overrides.<variant>``): ``champion`` (the default) or another
alias, ``latest`` (the newest registered version) or a version number. The
answer names the Kedro model version to load (the registry records it on each
version), so the file comes from the project's own catalog, hash-checked.

Without a registry to ask (tracking off, or nothing tracked yet) it answers
"the latest saved model file", as before tracking existed.
"""

from __future__ import annotations

import json
import logging
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kedro.io import Version

from ml_workflow.catalog_files import catalog_files
from ml_workflow.core.config import Tracking
from ml_workflow.core.config.tracking import LATEST
from ml_workflow.datasets.model import HASH_SUFFIX
from ml_workflow.errors import TrackingError

from .location import LOCAL_DATABASE, is_local_uri, resolve_tracking_uri
from .registry import (
    KEDRO_VERSION_TAG,
    SHA256_TAG,
    aliases_by_version,
    registered_model_exists,
    version_by_alias,
)
from .tracker import Tracker, connect

logger = logging.getLogger(__name__)

LATEST_FILE = "latest file"
METRICS_ARTIFACT = "reporting/metrics.json"  # as ml_workflow.tracking.artifacts logs it


@dataclass(frozen=True)
class ServedModel:
    """The model version a variant serves, and how it was chosen."""

    variant: str
    selector: str  # what tracking.serve asked for, or "latest file"
    kedro_version: str | None = None  # None: the newest saved file
    registered_model: str | None = None
    registry_version: int | None = None
    aliases: tuple[str, ...] = ()
    sha256: str | None = None  # as the registry recorded it
    run_id: str | None = None  # the MLflow run that trained it

    @property
    def from_registry(self) -> bool:
        return self.registry_version is not None


def registry_tracker(settings: Tracking, project_path: Path) -> Tracker | None:
    """A client for the registry, or None if there is none to ask.

    None when tracking is off, or when the backend is the project's own SQLite
    file and it does not exist yet (nothing was ever tracked): creating it only
    to find it empty would cost seconds. Raises ``TrackingError`` when a
    configured server cannot be reached.
    """
    if not settings.enabled:
        return None
    uri = resolve_tracking_uri(settings, project_path)
    if is_local_uri(uri, project_path) and not (project_path / LOCAL_DATABASE).exists():
        return None
    return connect(settings, project_path)


def _latest_file(variant: str) -> ServedModel:
    return ServedModel(variant=variant, selector=LATEST_FILE)


def _find_version(client: Any, name: str, variant: str, selector: str | int) -> Any:
    if selector == LATEST:
        versions = client.search_model_versions(filter_string=f"name = '{name}'")
        return max(versions, key=lambda v: int(v.version)) if versions else None
    if isinstance(selector, int):
        found = [
            v
            for v in client.search_model_versions(filter_string=f"name = '{name}'")
            if int(v.version) == selector
        ]
        if not found:
            raise TrackingError(
                f"tracking.serve asks for version {selector} of {variant!r}, but "
                f"the registered model {name!r} has no such version"
            )
        return found[0]
    found = version_by_alias(client, name, selector)
    if found is None:
        raise TrackingError(
            f"tracking.serve asks for the {selector!r} version of {variant!r}, but "
            f"no version of the registered model {name!r} has that alias"
        )
    return found


def served_model(
    variant: str,
    settings: Tracking,
    project_path: Path,
    tracker: Tracker | None = None,
) -> ServedModel:
    """The model version ``variant`` serves under ``settings``.

    ``tracker`` reuses a connection (``registry_tracker``); without one, this
    connects itself. Raises ``TrackingError`` if the selected version does not
    exist or was not registered by this project (no Kedro model version).
    """
    if not settings.enabled:
        return _latest_file(variant)
    tracker = tracker or registry_tracker(settings, project_path)
    if tracker is None:
        return _latest_file(variant)
    selector = settings.selector(variant)
    name = settings.registered_name(variant)
    if not registered_model_exists(tracker.client, name):
        if isinstance(selector, int):
            raise TrackingError(
                f"tracking.serve asks for version {selector} of {variant!r}, but no "
                f"model named {name!r} is registered at {tracker.uri}"
            )
        logger.warning(
            "No model of variant %r is registered at %s (trained with tracking "
            "off?): serving its latest saved model file",
            variant,
            tracker.uri,
        )
        return _latest_file(variant)
    found = _find_version(tracker.client, name, variant, selector)
    if found is None:  # `latest` of a registered model without versions
        return _latest_file(variant)
    if KEDRO_VERSION_TAG not in found.tags:
        raise TrackingError(
            f"version {found.version} of the registered model {name!r} has no "
            f"{KEDRO_VERSION_TAG!r} tag, so it was not registered by a kedro run "
            "of this project and its model file cannot be found"
        )
    return ServedModel(
        variant=variant,
        selector=str(selector),
        kedro_version=found.tags[KEDRO_VERSION_TAG],
        registered_model=name,
        registry_version=int(found.version),
        aliases=tuple(
            aliases_by_version(tracker.client, name).get(int(found.version), [])
        ),
        sha256=found.tags.get(SHA256_TAG),
        run_id=found.run_id,
    )


def served_model_dataset(catalog: Any, choice: ServedModel) -> Any:
    """The variant's ``<variant>.model`` catalog entry pinned to ``choice``.

    For a registry version, the model file's recorded SHA-256 must be the one
    the registry recorded (the dataset checks the file against it on load), so
    a file replaced after registration is refused.
    """
    name = f"{choice.variant}.model"
    if choice.kedro_version is None:
        return catalog.get(name)
    dataset = catalog.get(name, version=Version(choice.kedro_version, None))
    files = catalog_files(catalog, [name]).get(name)
    path = files.version_file(choice.kedro_version) if files else Path(name)
    sidecar = Path(f"{path}{HASH_SUFFIX}")
    if files is None or not sidecar.is_file():
        raise TrackingError(
            f"{choice.registered_model} version {choice.registry_version} is Kedro "
            f"model version {choice.kedro_version}, but {path} (or its hash file) "
            "is not in this project: copy data/06_models from where it was trained, "
            "or choose another version with tracking.serve"
        )
    recorded = sidecar.read_text().strip()
    if choice.sha256 and recorded != choice.sha256:
        raise TrackingError(
            f"{path} is recorded with SHA-256 {recorded}, but the registry recorded "
            f"{choice.sha256} for {choice.registered_model} version "
            f"{choice.registry_version}: the file was replaced after registration; "
            "refusing to serve it"
        )
    return dataset


def served_metrics(choice: ServedModel, tracker: Tracker | None) -> Any:
    """The ``metrics.json`` of the run that trained a registry version, or None.

    ``data/08_reporting/<variant>/metrics.json`` is the latest run's, which is
    not the served model's when that run's model was not promoted.
    """
    if tracker is None or not choice.run_id:
        return None
    with tempfile.TemporaryDirectory(prefix="ml_workflow_metrics_") as folder:
        path = tracker.client.download_artifacts(
            choice.run_id, f"{METRICS_ARTIFACT}", folder
        )
        return json.loads(Path(path).read_text())


__all__ = [
    "LATEST_FILE",
    "ServedModel",
    "registry_tracker",
    "served_model",
    "served_metrics",
    "served_model_dataset",
]
