"""A failed run leaves earlier results intact, and can be resumed where it stopped.

Outputs are of two kinds, told apart by the catalog entry's layer
(``metadata: kedro-viz: layer:``, the layers kedro-viz draws):

- **Results** (layers ``models``, ``model_output``, ``reporting``, and any
  entry without a layer): what a person, serving or batch scoring reads.
  After a failure they are exactly as before the run: overwritten files are
  restored from a backup, new files and new model versions removed.
- **Working data** (``raw``, ``intermediate``, ``primary``, ``feature``,
  ``model_input``): cleaned data, features, the train/test split. Nobody
  reads them but the pipeline, so the ones a failed run saved completely stay,
  for the resume to read instead of recomputing them.

Kedro prints, on failure, the command that resumes the run (``--from-nodes
"..."``, the nearest nodes whose inputs are persisted). That resume skips the
nodes that finished, so their results (the new model version, its metrics...)
must come back when it starts. On failure they are therefore moved into a
`ResumeStash` (``data/.resume``), out of sight of serving (which loads the
latest model version); a resume of the same command puts them back before
its first node runs, and they stand when it succeeds. If the resume fails too,
the earlier results are again restored and the stash keeps everything the
next resume needs.

Files are found through Kedro's public catalog API
(`ml_workflow.catalog_files`); a versioned entry's new version is the version
folder that was not there before the run.

Saves are seen through ``after_dataset_saved``, in the process that runs the
hooks: under ``ParallelRunner`` nodes save in worker processes, no save is
seen, and a failed run is restored entirely (as before), with nothing to
resume from.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kedro.framework.hooks import hook_impl
from kedro.pipeline import Pipeline

from ml_workflow.catalog_files import EntryFiles, catalog_files
from ml_workflow.resume_stash import ResumeStash, remove

logger = logging.getLogger(__name__)

# Layers whose outputs a failed run keeps for a resume; every other layer (and
# an entry without one) holds results, restored after a failure.
WORKING_LAYERS = frozenset({"raw", "intermediate", "primary", "feature", "model_input"})
STASH_FOLDER = Path("data") / ".resume"


def layer_of(dataset: Any) -> str | None:
    """The kedro-viz layer of a catalog entry, or None if it declares none."""
    metadata = getattr(dataset, "metadata", None) or {}
    viz = metadata.get("kedro-viz") if isinstance(metadata, dict) else None
    return viz.get("layer") if isinstance(viz, dict) else None


def is_result(dataset: Any) -> bool:
    """Whether a failed run must leave this output as it was before the run."""
    return layer_of(dataset) not in WORKING_LAYERS


@dataclass
class _Output:
    """One local output of the run: where it goes and how to undo it."""

    path: Path  # the file or folder; for a versioned entry, its versions folder
    result: bool
    backup: Path | None = None  # copy of what was there; None: the run creates it
    versions_before: frozenset[str] | None = None  # set for a versioned entry

    def written(self) -> list[Path]:
        """What the run wrote: the file or folder, or its new version folders."""
        if self.versions_before is None:
            return [self.path] if self.path.exists() else []
        now = EntryFiles(self.path, versioned=True).versions()
        return [self.path / version for version in sorted(now - self.versions_before)]


class RunTransactionHooks:
    """Restore results after a failed run; keep what a resume needs.

    ``extra_outputs(pipeline)`` names datasets that other hooks save during the
    run (e.g. the provenance record saved beside each new model), so that they
    are undone and stashed like node outputs. ``stash_folder`` is relative to
    the project.
    """

    def __init__(
        self,
        extra_outputs: Callable[[Pipeline], Iterable[str]] | None = None,
        stash_folder: Path = STASH_FOLDER,
    ) -> None:
        self._extra_outputs = extra_outputs
        self._stash_folder = stash_folder
        self._reset()

    def _reset(self) -> None:
        self._backup_dir: Path | None = None
        self._outputs: dict[str, _Output] = {}
        self._extras: set[str] = set()
        self._saved: set[str] = set()
        self._reinstated: dict[str, _Output] = {}
        self._stash: ResumeStash | None = None
        self._resume = False

    @hook_impl
    def before_pipeline_run(
        self, run_params: dict[str, Any], pipeline: Pipeline, catalog: Any
    ) -> None:
        """Back up each output the run will overwrite; on a resume, bring back
        the stashed results of the nodes it skips."""
        self._reset()
        self._backup_dir = Path(tempfile.mkdtemp(prefix="ml_workflow_backup_"))
        if run_params.get("project_path"):
            folder = Path(run_params["project_path"]) / self._stash_folder
            self._stash = ResumeStash(folder)
        self._extras = set(self._extra_outputs(pipeline) if self._extra_outputs else ())
        outputs = catalog_files(catalog, sorted(pipeline.all_outputs() | self._extras))
        for name, files in outputs.items():
            result = is_result(catalog.get(name))
            if files.versioned:  # a run adds a version; earlier ones stay as they are
                self._outputs[name] = _Output(
                    files.path, result, versions_before=files.versions()
                )
            else:
                self._outputs[name] = _Output(
                    files.path, result, self._back_up(files.path)
                )
        self._resume = bool(
            run_params.get("from_nodes")
            and self._stash is not None
            and self._stash.matches(run_params)
        )
        if self._resume:
            self._reinstate(set(pipeline.all_outputs()))

    def _back_up(self, path: Path) -> Path | None:
        if not path.exists() or self._backup_dir is None:
            return None
        backup = self._backup_dir / str(len(list(self._backup_dir.iterdir())))
        if path.is_dir():
            shutil.copytree(path, backup)
        else:
            shutil.copy2(path, backup)
        return backup

    def _reinstate(self, rerun: set[str]) -> None:
        """Put back every stashed result this resume does not produce itself."""
        assert self._stash is not None
        for name in sorted(set(self._stash.entries) - rerun):
            target = self._stash.target(name)
            self._reinstated[name] = _Output(target, True, self._back_up(target))
            self._stash.reinstate(name)
        if self._reinstated:
            logger.info(
                "Resuming run %s: brought back %d result(s) of the nodes it "
                "skips from %s",
                self._stash.run_id,
                len(self._reinstated),
                self._stash.folder,
            )

    @hook_impl
    def after_dataset_saved(self, dataset_name: str) -> None:
        """Note a completed save: only complete files are kept or stashed."""
        self._saved.add(dataset_name)

    @hook_impl
    def on_pipeline_error(self, error: Exception, run_params: dict[str, Any]) -> None:
        """Restore results, keep working data, stash this run's new results."""
        stash = self._stash
        if stash is not None and not self._resume:
            stash.start_over(run_params)
        undone = kept = stashed = 0
        for name, output in self._outputs.items():
            written = output.written()
            saved = bool(written) and (name in self._saved or name in self._extras)
            if saved and not output.result:
                kept += 1
                continue
            if saved and stash is not None:
                # One save per run: one file, folder or new version folder.
                stash.put(name, written[-1])
                stashed += 1
            undone += self._undo(output)
        for output in self._reinstated.values():
            undone += self._undo(output)
        if stash is not None:
            stash.save()
        if self._outputs:
            logger.warning(
                "Run failed: earlier results are unchanged (%d result file(s) or "
                "folder(s) put back or removed); kept %d completed dataset(s) of "
                "working data%s",
                undone + stashed,
                kept,
                f"; moved {stashed} new result(s) to {stash.folder} for a resume "
                "with the --from-nodes argument suggested above"
                if stashed and stash is not None
                else "",
            )
        self._discard()

    @staticmethod
    def _undo(output: _Output) -> int:
        """Put back what was at ``output.path`` before the run; 1 if it changed."""
        if output.versions_before is not None:
            written = output.written()
            for version in written:
                remove(version)
            if not output.versions_before and output.path.is_dir():
                if not any(output.path.iterdir()):
                    output.path.rmdir()  # the versions folder the run created
            return int(bool(written))
        if output.backup is None:
            if not output.path.exists():
                return 0
            remove(output.path)
            return 1
        remove(output.path)
        if output.backup.is_dir():
            shutil.copytree(output.backup, output.path)
        else:
            shutil.copy2(output.backup, output.path)
        return 1

    @hook_impl
    def after_pipeline_run(self, run_params: dict[str, Any]) -> None:
        """The run succeeded: its outputs stand; stashed results it superseded go."""
        if self._stash is not None:
            if self._resume:
                self._stash.clear()
            else:
                self._stash.drop(self._outputs)
                self._stash.save()
        self._discard()

    def _discard(self) -> None:
        if self._backup_dir is not None:
            shutil.rmtree(self._backup_dir, ignore_errors=True)
        self._reset()
