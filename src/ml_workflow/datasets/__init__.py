"""Project datasets: read-only raw CSV data and verified skops model files."""

from .model import SkopsModelDataset
from .raw import ReadOnlyCSVDataset, is_read_only

__all__ = ["ReadOnlyCSVDataset", "SkopsModelDataset", "is_read_only"]
