"""ArrowMemoryHooks: registered, release pyarrow's cached memory, change no data."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest

from ml_workflow import memory_hooks, settings
from ml_workflow.memory_hooks import ArrowMemoryHooks, release_arrow_memory


class _Pool:
    def __init__(self) -> None:
        self.released = 0

    def release_unused(self) -> None:
        self.released += 1


def test_the_hooks_are_registered() -> None:
    assert any(isinstance(hook, ArrowMemoryHooks) for hook in settings.HOOKS)


def test_every_hook_releases_the_default_pool(monkeypatch: pytest.MonkeyPatch) -> None:
    pool = _Pool()
    monkeypatch.setattr(pa, "default_memory_pool", lambda: pool)
    hooks = ArrowMemoryHooks()
    hooks.after_dataset_loaded("housing.train", None)
    hooks.after_dataset_saved("housing.train", None)
    hooks.after_node_run()
    assert pool.released == 3


def test_nothing_is_imported_when_pyarrow_is_not(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delitem(memory_hooks.sys.modules, "pyarrow")
    release_arrow_memory()  # must neither fail nor import pyarrow
    assert "pyarrow" not in memory_hooks.sys.modules


def test_a_loaded_frame_is_intact_after_the_release(tmp_path: Path) -> None:
    frame = pd.DataFrame({"x": [1.5, 2.5, None], "city": ["a", "b", "c"]})
    frame.to_parquet(tmp_path / "frame.parquet")
    loaded = pd.read_parquet(tmp_path / "frame.parquet")
    held = pa.total_allocated_bytes()
    release_arrow_memory()
    assert pa.total_allocated_bytes() == held  # only unused memory is returned
    pd.testing.assert_frame_equal(loaded, frame, check_dtype=False)
