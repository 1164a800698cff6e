"""Work done once per test session and shared by the pytest-xdist workers.

A session fixture runs once per worker. For expensive results that the tests
only read, the first worker to need one makes it in the session's shared
temporary folder under a file lock; the others wait for it and read it
(pytest-xdist's documented pattern for a session fixture run once).
"""

from __future__ import annotations

import pickle
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from filelock import FileLock

COMPLETE = ".complete"  # written last: a folder without it was left half-built


def shared_folder(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Path:
    """The temporary folder every worker of this session sees (under xdist),
    or this process's own (without xdist)."""
    base = tmp_path_factory.getbasetemp()
    return base if worker_id == "master" else base.parent


def pickled_once(path: Path, make: Callable[[], Any]) -> Any:
    """``make()``, or what another worker pickled in ``path``."""
    with FileLock(f"{path}.lock"):
        if path.is_file():
            return pickle.loads(path.read_bytes())
        made = make()
        path.write_bytes(pickle.dumps(made))
        return made


def built_once(path: Path, build: Callable[[Path], None]) -> Path:
    """The folder ``path`` as ``build(path)`` makes it, by the first worker to
    ask; the others get the finished folder. Readers must not change it."""
    with FileLock(f"{path}.lock"):
        if not (path / COMPLETE).is_file():
            shutil.rmtree(path, ignore_errors=True)
            path.mkdir(parents=True)
            build(path)
            (path / COMPLETE).touch()
    return path
