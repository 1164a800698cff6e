"""Give memory that allocators keep cached back to the operating system.

Two allocators keep freed memory for reuse instead of returning it:

- pyarrow's default memory pool (mimalloc or jemalloc), which Parquet reads
  and writes go through. A Parquet round trip of N rows leaves roughly the
  size of the data cached after the frame itself is handed to pandas (about
  200 MB per million housing rows, measured). It is released after each
  dataset load/save and after each node, in a fraction of a millisecond.
- glibc's ``malloc``, which on Linux keeps what a node freed in its heaps
  (one per thread that allocated), so the process keeps the size of the
  largest node it ran. After the 6,046 e-mails' search in threads the run's
  process held 850 MB of which it used 680 MB (measured); ``malloc_trim``
  after each node returns the rest in about 5 ms. Elsewhere (macOS, Windows,
  musl) there is no such call and nothing is done.

Neither changes any data. Neither lowered the peak of the 5M-row housing fit,
which is the model's own arrays (docs/benchmarks.md).
"""

from __future__ import annotations

import ctypes
import functools
import sys
from collections.abc import Callable
from typing import Any

from kedro.framework.hooks import hook_impl


def release_arrow_memory() -> None:
    """Ask pyarrow's default memory pool to return its unused memory, if pyarrow
    has been imported at all (it is not imported just for this)."""
    pyarrow = sys.modules.get("pyarrow")
    if pyarrow is not None:
        pyarrow.default_memory_pool().release_unused()


@functools.cache
def glibc_malloc_trim() -> Callable[[int], int] | None:
    """glibc's ``malloc_trim``, or None where the C library is not glibc."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):  # musl and other C libraries
        return None


def release_heap_memory() -> None:
    """Return the C heap's free memory to the operating system (glibc only)."""
    trim = glibc_malloc_trim()
    if trim is not None:
        trim(0)


class ReleaseMemoryHooks:
    """Release Arrow's cached memory once a dataset is loaded or saved, and both
    Arrow's and the C heap's once a node has run (its transients are then free)."""

    @hook_impl
    def after_dataset_loaded(self, dataset_name: str, data: Any) -> None:
        release_arrow_memory()

    @hook_impl
    def after_dataset_saved(self, dataset_name: str, data: Any) -> None:
        release_arrow_memory()

    @hook_impl
    def after_node_run(self) -> None:
        release_arrow_memory()
        release_heap_memory()
