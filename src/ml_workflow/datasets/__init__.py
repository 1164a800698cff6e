"""Project datasets: the read-only raw CSV dataset."""

from .raw import ReadOnlyCSVDataset, is_read_only

__all__ = ["ReadOnlyCSVDataset", "is_read_only"]
