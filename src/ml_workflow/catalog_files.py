"""Where a catalog entry keeps its files, read through Kedro's public catalog API.

The hooks back up, restore and hash files, so they need the local file (or
folder) behind a dataset. Kedro 1.x answers that publicly:
``DataCatalog.to_config()`` gives every entry's configuration as Kedro built
it (``filepath``, or ``path`` for a partitioned dataset, and ``versioned``),
and ``kedro.io.core.get_protocol_and_path`` tells a local path from a remote
one. No private dataset attribute (``_filepath``, ``_protocol``,
``_get_save_path``) is read.

A versioned entry's ``filepath`` is the folder of its versions
(``<filepath>/<version>/<file name>``, Kedro's layout); which version a run
writes is told by comparing the folder before and after the run.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kedro.io.core import get_protocol_and_path

# Configuration keys that name where an entry's data lives: most file datasets
# take ``filepath``; PartitionedDataset and IncrementalDataset take ``path``.
PATH_KEYS = ("filepath", "path")


@dataclass(frozen=True)
class EntryFiles:
    """The local file or folder of one catalog entry."""

    path: Path  # the file, a partitioned dataset's folder, or the versions folder
    versioned: bool

    def versions(self) -> frozenset[str]:
        """The version folders present now (none for an unversioned entry)."""
        if not self.versioned or not self.path.is_dir():
            return frozenset()
        return frozenset(child.name for child in self.path.iterdir())

    def version_file(self, version: str) -> Path:
        """The file a versioned entry holds for ``version``."""
        return self.path / version / self.path.name


def entry_files(config: dict[str, Any]) -> EntryFiles | None:
    """The local files of an entry given its configuration, or None when it has
    no local file (a memory dataset, a remote path, a database)."""
    location = next((config[key] for key in PATH_KEYS if config.get(key)), None)
    if not isinstance(location, str | Path):
        return None
    protocol, path = get_protocol_and_path(str(location))
    if protocol != "file":
        return None
    return EntryFiles(Path(path), bool(config.get("versioned", False)))


def catalog_files(catalog: Any, names: Iterable[str]) -> dict[str, EntryFiles]:
    """The local files of each named entry that has some.

    Entries from dataset factories are resolved first (``catalog.get``), as
    ``to_config`` lists only the entries the catalog has built. An entry that
    cannot be built (e.g. a remote file system that is not installed) has no
    local files.
    """
    wanted = [name for name in names if _buildable(catalog, name)]
    config = catalog.to_config()[0]
    found = {}
    for name in wanted:
        files = entry_files(config[name]) if name in config else None
        if files is not None:
            found[name] = files
    return found


def _buildable(catalog: Any, name: str) -> bool:
    try:
        return catalog.get(name) is not None
    except Exception:  # noqa: BLE001 - any failure to build means: not ours to guard
        return False
