"""Where a failed run's finished results wait for a ``kedro run --from-nodes`` resume.

A failed run must leave the results a person reads (models, metrics,
reports) as they were, yet a resume started with Kedro's hint (``--from-nodes
...``) skips the nodes that had finished, so their results must still exist
somewhere. ``RunTransactionHooks`` moves them here, out of sight of serving and
of the reports, and puts them back when the resume starts.

The stash is one folder (``data/.resume`` by default): a ``manifest.json``
naming, for every stashed dataset, the file or folder it came from, and the
copies themselves. It belongs to one failed run, identified by the selection
of its command (pipelines, environment, namespaces, tags), which a resume must
repeat, as Kedro's hint says ("add the following argument to your previous
command").
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

MANIFEST = "manifest.json"
# What a resume must repeat of the failed run's command: the selection of nodes
# before --from-nodes. Parameters may differ: a resume usually follows a fix.
SELECTION_KEYS = ("pipeline_names", "env", "namespaces", "tags")


def run_selection(run_params: Mapping[str, Any]) -> dict[str, Any]:
    """The part of ``run_params`` that names which nodes a command selects."""
    selection = {}
    for key in SELECTION_KEYS:
        value = run_params.get(key)
        if isinstance(value, list | tuple):
            value = sorted(str(item) for item in value)
        selection[key] = value or None
    return selection


def _copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    if source.is_dir():
        shutil.copytree(source, target)
    else:
        shutil.copy2(source, target)


def remove(path: Path) -> None:
    """Delete a file or folder if it is there."""
    if path.is_dir():
        shutil.rmtree(path)
    elif path.exists():
        path.unlink()


class ResumeStash:
    """The stashed results of one failed run, keyed by dataset name."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.selection: dict[str, Any] | None = None
        self.run_id: str | None = None
        self.entries: dict[str, dict[str, str]] = {}  # name -> target, stored
        manifest = folder / MANIFEST
        if manifest.is_file():
            record = json.loads(manifest.read_text())
            self.selection = record.get("selection")
            self.run_id = record.get("run_id")
            self.entries = dict(record.get("entries") or {})

    def matches(self, run_params: Mapping[str, Any]) -> bool:
        """Whether a run selects the same nodes as the failed run did."""
        return bool(self.entries) and self.selection == run_selection(run_params)

    def start_over(self, run_params: Mapping[str, Any]) -> None:
        """Forget every entry: a new failed run's results replace them."""
        self.clear()
        self.selection = run_selection(run_params)
        self.run_id = run_params.get("run_id")

    def put(self, name: str, live: Path) -> None:
        """Move ``live`` (a dataset's file or version folder) into the stash."""
        self.drop([name])
        stored = f"{len(self.entries)}-{live.name}"
        while (self.folder / stored).exists():
            stored = f"_{stored}"
        (self.folder / stored).parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(live), self.folder / stored)
        self.entries[name] = {"target": str(live.resolve()), "stored": stored}

    def reinstate(self, name: str) -> Path:
        """Copy an entry back to where it came from (the stash keeps it)."""
        entry = self.entries[name]
        target = Path(entry["target"])
        remove(target)
        _copy(self.folder / entry["stored"], target)
        return target

    def target(self, name: str) -> Path:
        """Where an entry came from."""
        return Path(self.entries[name]["target"])

    def drop(self, names: Iterable[str]) -> None:
        """Forget the named entries and delete their copies."""
        for name in list(names):
            entry = self.entries.pop(name, None)
            if entry is not None:
                remove(self.folder / entry["stored"])

    def clear(self) -> None:
        """Forget every entry and delete the folder."""
        self.entries = {}
        shutil.rmtree(self.folder, ignore_errors=True)

    def save(self) -> None:
        """Write the manifest, or delete the folder when nothing is stashed."""
        if not self.entries:
            self.clear()
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        record = {
            "run_id": self.run_id,
            "selection": self.selection,
            "entries": self.entries,
        }
        (self.folder / MANIFEST).write_text(json.dumps(record, indent=2) + "\n")
