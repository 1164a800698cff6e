"""Project hooks: a failed run leaves results intact; a model records its origin.

- ``RunTransactionHooks`` (defined in `ml_workflow.run_transaction`) backs up
  every file a run is about to overwrite and, if the run fails, restores the
  results (models, metrics, reports) and keeps the working data and the new
  results aside for a ``--from-nodes`` resume.
- ``ProvenanceHooks`` hashes the raw files a run reads and, as soon as the run
  saves a model, saves ``<variant>.provenance`` (data file hash, row count,
  code version, model version) through the catalog.

Hooks, not nodes, do this because it is about files, not data: nodes stay pure.
"""

from __future__ import annotations

import hashlib
import platform
import subprocess
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from kedro.framework.hooks import hook_impl
from kedro.pipeline import Pipeline

import ml_workflow
from ml_workflow.catalog_files import catalog_files
from ml_workflow.datasets import is_read_only
from ml_workflow.run_transaction import RunTransactionHooks

__all__ = ["ProvenanceHooks", "RunTransactionHooks", "provenance_outputs"]


def _relative(path: Path) -> str:
    """The path relative to the working directory (the project) when inside it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def file_sha256(path: Path) -> str:
    """SHA-256 of a file's bytes, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for chunk in iter(lambda: file.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def code_version(project_path: Path) -> dict[str, Any]:
    """The package version and, when the project is a git checkout, the commit."""
    info: dict[str, Any] = {
        "package": "ml_workflow",
        "version": ml_workflow.__version__,
        "git_commit": None,
        "git_dirty": None,
    }
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "HEAD"],
            cwd=project_path,
            capture_output=True,
            text=True,
            check=True,
            timeout=10,
        ).stdout.strip()
        status = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=project_path,
            capture_output=True,
            text=True,
            check=True,
            timeout=10,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return info
    info["git_commit"] = commit
    info["git_dirty"] = bool(status.strip())
    return info


def _versions(*packages: str) -> dict[str, str | None]:
    found: dict[str, str | None] = {"python": platform.python_version()}
    for package in packages:
        try:
            found[package] = version(package)
        except PackageNotFoundError:
            found[package] = None
    return found


def provenance_outputs(pipeline: Pipeline) -> set[str]:
    """The provenance records ``ProvenanceHooks`` saves in a run of ``pipeline``:
    one per variant whose model the run trains."""
    outputs = pipeline.all_outputs()
    namespaces = {node.namespace for node in pipeline.nodes if node.namespace}
    return {f"{ns}.provenance" for ns in namespaces if f"{ns}.model" in outputs}


class ProvenanceHooks:
    """Record which raw data and which code produced each trained model.

    The record is saved as soon as the model is, with the same version, so a
    run that fails later (and is resumed) still has it beside its model.
    """

    def __init__(self) -> None:
        self._catalog: Any = None
        self._run_params: dict[str, Any] = {}
        self._raw: dict[str, list[dict[str, Any]]] = {}
        self._started: str | None = None

    @hook_impl
    def before_pipeline_run(self, run_params: dict[str, Any], catalog: Any) -> None:
        self._catalog = catalog
        self._run_params = dict(run_params)
        self._raw = {}
        self._started = datetime.now(UTC).isoformat(timespec="seconds")

    @hook_impl
    def after_dataset_loaded(self, dataset_name: str, data: Any, node: Any) -> None:
        """Hash each raw (read-only) file as it is read, per variant."""
        if self._catalog is None or not is_read_only(self._catalog[dataset_name]):
            return
        files = catalog_files(self._catalog, [dataset_name]).get(dataset_name)
        if files is None or files.versioned or not files.path.is_file():
            return
        path = files.path
        self._raw.setdefault(node.namespace or "", []).append(
            {
                "dataset": dataset_name,
                "filepath": _relative(path),
                "sha256": file_sha256(path),
                "bytes": path.stat().st_size,
                "rows": len(data) if hasattr(data, "__len__") else None,
                "columns": [str(c) for c in getattr(data, "columns", [])],
            }
        )

    @hook_impl
    def after_dataset_saved(self, dataset_name: str, node: Any) -> None:
        """Save ``<variant>.provenance`` right after ``<variant>.model``."""
        namespace = node.namespace
        if (
            self._catalog is None
            or not namespace
            or dataset_name != f"{namespace}.model"
        ):
            return
        record_name = f"{namespace}.provenance"
        if not self._resolvable(self._catalog, record_name):
            return
        model = self._catalog[dataset_name]
        files = catalog_files(self._catalog, [dataset_name]).get(dataset_name)
        versioned = files is not None and files.versioned
        run_params = self._run_params
        record = {
            "variant": namespace,
            "run": {
                "run_id": run_params.get("run_id"),
                "env": run_params.get("env"),
                "pipeline_names": run_params.get("pipeline_names"),
                "runtime_params": run_params.get("runtime_params"),
                "started": self._started,
                "model_saved": datetime.now(UTC).isoformat(timespec="seconds"),
            },
            "model": {
                "dataset": dataset_name,
                # Public on every versioned dataset: the version this run saved.
                "version": model.resolve_save_version() if versioned else None,
            },
            "data": self._raw.get(namespace, []),
            "code": code_version(Path(run_params.get("project_path") or ".")),
            "environment": _versions("kedro", "pandas", "scikit-learn", "numpy"),
        }
        self._catalog.save(record_name, record)

    @hook_impl
    def after_pipeline_run(self) -> None:
        self._catalog = None

    @hook_impl
    def on_pipeline_error(self) -> None:
        self._catalog = None

    @staticmethod
    def _resolvable(catalog: Any, name: str) -> bool:
        try:
            catalog[name]
        except Exception:  # noqa: BLE001
            return False
        return True
