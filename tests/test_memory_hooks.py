"""ReleaseMemoryHooks: registered, release pyarrow's cached memory and the C
heap's free memory, change no data."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest

from ml_workflow import memory_hooks, settings
from ml_workflow.memory_hooks import (
    ReleaseMemoryHooks,
    glibc_malloc_trim,
    release_arrow_memory,
    release_heap_memory,
)


class _Pool:
    def __init__(self) -> None:
        self.released = 0

    def release_unused(self) -> None:
        self.released += 1


def test_the_hooks_are_registered() -> None:
    assert any(isinstance(hook, ReleaseMemoryHooks) for hook in settings.HOOKS)


def test_every_hook_releases_the_default_pool_and_nodes_the_heap(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pool, trims = _Pool(), []
    monkeypatch.setattr(pa, "default_memory_pool", lambda: pool)
    monkeypatch.setattr(memory_hooks, "glibc_malloc_trim", lambda: trims.append)
    hooks = ReleaseMemoryHooks()
    hooks.after_dataset_loaded("housing.train", None)
    hooks.after_dataset_saved("housing.train", None)
    assert (pool.released, trims) == (2, [])  # a load or save frees no heap
    hooks.after_node_run()
    assert (pool.released, trims) == (3, [0])


# Run in a fresh interpreter: in a test worker, other tests' threads (servers,
# pools) allocate and free beside the measurement and move the RSS by tens of MB.
_FRAGMENTED_HEAP = """
import ctypes, sys, threading
import psutil
from ml_workflow.memory_hooks import release_heap_memory

libc = ctypes.CDLL("libc.so.6")
libc.malloc.restype = ctypes.c_void_p
libc.free.argtypes = [ctypes.c_void_p]
small = []

def allocate_and_free():
    # 200 MB in a thread's own heap, each 64 kB block followed by a small one
    # that stays alive: freeing the big ones leaves holes no heap can shrink
    # over, as a node's transients do among the objects it keeps
    big = []
    for _ in range(3_200):
        block = libc.malloc(64_000)
        ctypes.memset(block, 1, 64_000)
        big.append(block)
        small.append(libc.malloc(64))
    for block in big:
        libc.free(block)

thread = threading.Thread(target=allocate_and_free)
thread.start()
thread.join()
held = psutil.Process().memory_info().rss
if sys.argv[1] == "trim":
    release_heap_memory()
print(held - psutil.Process().memory_info().rss)
"""


def _released_bytes(trim: bool) -> int:
    """RSS given back after a thread freed 200 MB among live small blocks,
    with or without `release_heap_memory`, measured in a fresh process."""
    done = subprocess.run(
        [sys.executable, "-c", _FRAGMENTED_HEAP, "trim" if trim else "no"],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(done.stdout.split()[-1])


@pytest.mark.skipif(
    not memory_hooks.sys.platform.startswith("linux"), reason="glibc on Linux only"
)
def test_the_heap_gives_freed_memory_back() -> None:
    """Memory a thread's heap freed is returned by the trim, not before."""
    if glibc_malloc_trim() is None:
        pytest.skip("the C library is not glibc")
    assert _released_bytes(trim=True) > 100_000_000
    assert _released_bytes(trim=False) < 10_000_000


def test_no_trim_where_the_c_library_has_none(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(memory_hooks, "glibc_malloc_trim", lambda: None)
    release_heap_memory()  # must not fail


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
