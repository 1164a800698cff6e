"""Project datasets: read-only raw CSV/Parquet data and verified skops model files."""

from .model import SkopsModelDataset
from .raw import ReadOnlyCSVDataset, is_read_only
from .raw_parquet import ReadOnlyParquetDataset

__all__ = [
    "ReadOnlyCSVDataset",
    "ReadOnlyParquetDataset",
    "SkopsModelDataset",
    "is_read_only",
]
