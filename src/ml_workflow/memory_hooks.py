"""Give memory that Arrow's allocator keeps cached back to the operating system.

Parquet reads and writes go through pyarrow, whose default memory pool
(mimalloc or jemalloc) keeps freed blocks cached for reuse instead of returning
them. A Parquet round trip of N rows leaves roughly the size of the data cached
after the frame itself is handed to pandas (about 200 MB per million housing
rows, measured), and that cache would sit under later steps. Releasing it
after each dataset load/save and after each node costs a fraction of a
millisecond and changes no data. It did not lower the peak of the 5M-row
housing fit, which is the model's own arrays (docs/benchmarks.md).
"""

from __future__ import annotations

import sys
from typing import Any

from kedro.framework.hooks import hook_impl


def release_arrow_memory() -> None:
    """Ask pyarrow's default memory pool to return its unused memory, if pyarrow
    has been imported at all (it is not imported just for this)."""
    pyarrow = sys.modules.get("pyarrow")
    if pyarrow is not None:
        pyarrow.default_memory_pool().release_unused()


class ArrowMemoryHooks:
    """Release Arrow's cached memory once a dataset is loaded or saved and once
    a node has run (its outputs' Parquet buffers are then free)."""

    @hook_impl
    def after_dataset_loaded(self, dataset_name: str, data: Any) -> None:
        release_arrow_memory()

    @hook_impl
    def after_dataset_saved(self, dataset_name: str, data: Any) -> None:
        release_arrow_memory()

    @hook_impl
    def after_node_run(self) -> None:
        release_arrow_memory()
