"""A read-only Parquet dataset for raw data (the Parquet twin of ReadOnlyCSVDataset)."""

from __future__ import annotations

import pandas as pd
from kedro.io.core import DatasetError
from kedro_datasets.pandas import ParquetDataset


class ReadOnlyParquetDataset(ParquetDataset):
    """``pandas.ParquetDataset`` that loads raw data and refuses to save."""

    def save(self, data: pd.DataFrame) -> None:
        """Refuse: raw data is input only."""
        raise DatasetError(
            f"refusing to write raw data to {self._filepath}: raw datasets are "
            "read-only (ReadOnlyParquetDataset); write outputs to a later layer"
        )

    def load(self) -> pd.DataFrame:
        """Load the file, naming it when it is missing."""
        path = self._get_load_path()
        if not self._fs.exists(str(path)):
            raise DatasetError(
                f"raw data file '{path}' does not exist: put the raw file there or fix "
                "'filepath' in the catalog entry"
            )
        return super().load()
