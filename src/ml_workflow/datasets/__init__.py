"""Project datasets: read-only raw CSV and Parquet datasets."""

from .raw import ReadOnlyCSVDataset, is_read_only
from .raw_parquet import ReadOnlyParquetDataset

__all__ = ["ReadOnlyCSVDataset", "ReadOnlyParquetDataset", "is_read_only"]
