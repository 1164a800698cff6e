"""Project hooks: a failed run changes nothing on disk; a model records its origin.

- ``RunTransactionHooks`` backs up every file a run is about to overwrite
  and, if the run fails, restores them and deletes what the run created (new
  model versions included). The previous model, metrics and reports therefore
  stay byte-identical after a failure at any node.
- ``ProvenanceHooks`` hashes the raw files a run reads and, when the run
  trains a model, saves ``<variant>.provenance`` (data file hash, row count,
  code version, model version) through the catalog.

Hooks, not nodes, do this because it is about files, not data: nodes stay pure.
"""

from __future__ import annotations

import hashlib
import logging
import platform
import shutil
import subprocess
import tempfile
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from kedro.framework.hooks import hook_impl
from kedro.io import AbstractVersionedDataset
from kedro.pipeline import Pipeline

import ml_workflow
from ml_workflow.datasets import is_read_only

logger = logging.getLogger(__name__)


def _is_versioned(dataset: Any) -> bool:
    """Whether the catalog entry is versioned (``versioned: true``).

    Most file datasets subclass ``AbstractVersionedDataset`` whether or not the
    entry asks for versions, so the class alone does not tell.
    """
    return (
        isinstance(dataset, AbstractVersionedDataset)
        and getattr(dataset, "_version", None) is not None
    )


def _local_path(dataset: Any, versioned_save: bool = False) -> Path | None:
    """The local file (or partitioned dataset's folder) a dataset saves to, or
    None if it is not local."""
    if getattr(dataset, "_protocol", "file") not in ("file", None):
        return None
    try:
        if versioned_save and _is_versioned(dataset):
            return Path(str(dataset._get_save_path()))
        filepath = getattr(dataset, "_filepath", None)
        if filepath is None:  # a PartitionedDataset: its whole folder
            filepath = getattr(dataset, "_path", None)
        return None if filepath is None else Path(str(filepath))
    except Exception:  # noqa: BLE001 - a path we cannot resolve is not protected
        return None


class RunTransactionHooks:
    """Undo every file write of a run that fails, so earlier results survive."""

    def __init__(self) -> None:
        self._backup_dir: Path | None = None
        self._backups: dict[Path, Path] = {}  # original -> backup copy
        self._created: list[Path] = []  # files or version folders the run creates

    @hook_impl
    def before_pipeline_run(
        self, run_params: dict[str, Any], pipeline: Pipeline, catalog: Any
    ) -> None:
        """Back up each output file the run will overwrite; note new ones."""
        self._backup_dir = Path(tempfile.mkdtemp(prefix="ml_workflow_backup_"))
        self._backups, self._created = {}, []
        for name in sorted(pipeline.all_outputs()):
            try:
                dataset = catalog[name]
            except Exception:  # noqa: BLE001 - e.g. an unresolvable name
                continue
            if _is_versioned(dataset):
                path = _local_path(dataset, versioned_save=True)
                if path is not None and not path.parent.exists():
                    self._created.append(path.parent)  # the new version folder
                continue
            path = _local_path(dataset)
            if path is None:
                continue
            if path.exists():
                backup = self._backup_dir / str(len(self._backups))
                if path.is_dir():
                    shutil.copytree(path, backup)
                else:
                    shutil.copy2(path, backup)
                self._backups[path] = backup
            else:
                self._created.append(path)

    @hook_impl
    def on_pipeline_error(self, error: Exception, run_params: dict[str, Any]) -> None:
        """Restore overwritten files and delete created ones."""
        for path in self._created:
            if path.is_dir():
                shutil.rmtree(path)
            elif path.exists():
                path.unlink()
        for path, backup in self._backups.items():
            if path.is_dir():
                shutil.rmtree(path)
            if backup.is_dir():
                shutil.copytree(backup, path)
            else:
                shutil.copy2(backup, path)
        if self._created or self._backups:
            logger.warning(
                "Run failed: restored %d file(s) and removed %d new output(s); "
                "earlier results are unchanged",
                len(self._backups),
                len(self._created),
            )
        self._discard()

    @hook_impl
    def after_pipeline_run(self) -> None:
        """The run succeeded: its outputs stand, the backups go."""
        self._discard()

    def _discard(self) -> None:
        if self._backup_dir is not None:
            shutil.rmtree(self._backup_dir, ignore_errors=True)
        self._backup_dir, self._backups, self._created = None, {}, []


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


class ProvenanceHooks:
    """Record which raw data and which code produced each trained model."""

    def __init__(self) -> None:
        self._catalog: Any = None
        self._raw: dict[str, list[dict[str, Any]]] = {}
        self._started: str | None = None

    @hook_impl
    def before_pipeline_run(self, catalog: Any) -> None:
        self._catalog = catalog
        self._raw = {}
        self._started = datetime.now(UTC).isoformat(timespec="seconds")

    @hook_impl
    def after_dataset_loaded(self, dataset_name: str, data: Any, node: Any) -> None:
        """Hash each raw (read-only) file as it is read, per variant."""
        if self._catalog is None:
            return
        dataset = self._catalog[dataset_name]
        path = _local_path(dataset)
        if not is_read_only(dataset) or path is None or not path.is_file():
            return
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
    def after_pipeline_run(
        self, run_params: dict[str, Any], pipeline: Pipeline, catalog: Any
    ) -> None:
        """Save ``<variant>.provenance`` for every variant whose model was trained."""
        project_path = Path(run_params.get("project_path") or ".")
        outputs = pipeline.all_outputs()
        for namespace in sorted({n.namespace for n in pipeline.nodes if n.namespace}):
            model_name = f"{namespace}.model"
            record_name = f"{namespace}.provenance"
            if model_name not in outputs or not self._resolvable(catalog, record_name):
                continue
            model = catalog[model_name]
            model_version = (
                model.resolve_save_version() if _is_versioned(model) else None
            )
            record = {
                "variant": namespace,
                "run": {
                    "run_id": run_params.get("run_id"),
                    "env": run_params.get("env"),
                    "pipeline_names": run_params.get("pipeline_names"),
                    "runtime_params": run_params.get("runtime_params"),
                    "started": self._started,
                    "finished": datetime.now(UTC).isoformat(timespec="seconds"),
                },
                "model": {"dataset": model_name, "version": model_version},
                "data": self._raw.get(namespace, []),
                "code": code_version(project_path),
                "environment": _versions("kedro", "pandas", "scikit-learn", "numpy"),
            }
            catalog.save(record_name, record)
        self._catalog = None

    @staticmethod
    def _resolvable(catalog: Any, name: str) -> bool:
        try:
            catalog[name]
        except Exception:  # noqa: BLE001
            return False
        return True
