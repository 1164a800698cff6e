"""A versioned model dataset that stores skops files and refuses tampered ones.

Pickle runs arbitrary code when a file is loaded, so a model file is as
dangerous as a script. ``skops.io`` stores an object tree instead and, on load,
only rebuilds types it is told to trust. This dataset:

- saves ``skops.io.dumps(model)``, deflated (``save_args``; default
  ``ZIP_DEFLATED`` at level 1: a forest's node arrays shrink 3-4 times, for
  about a second more per 100 MB stored), and, beside it, ``<file>.sha256``
  holding the SHA-256 of the bytes written;
- on load, refuses a file whose hash differs from the recorded one (a changed or
  swapped artifact), then lists the types the file would rebuild
  (``skops.io.get_untrusted_types``) and refuses any whose module is not in the
  allowlist (``sklearn``, ``numpy``, ``scipy``, ``ml_workflow`` by default), so
  only trusted code can run;
- refuses, on save, a model holding types outside the allowlist, before
  anything is written: the error comes when the model is made, not when it is
  first served;
- keeps the model it saved or loaded, keyed by the file's hash: a load of the
  same bytes in this process (several nodes read the model of a run, right
  after it is saved) returns a copy of it instead of rebuilding the object tree
  from the file, which took 0.4-1.2 s a model (a forest's arrays, a text
  model's vocabulary). The hash is still checked on every load.
"""

from __future__ import annotations

import hashlib
import os
import zipfile
from copy import deepcopy
from pathlib import PurePosixPath
from types import ModuleType
from typing import Any

import fsspec
from kedro.io.core import (
    AbstractVersionedDataset,
    DatasetError,
    Version,
    get_filepath_str,
    get_protocol_and_path,
)

DEFAULT_TRUSTED_PREFIXES = ("sklearn.", "numpy.", "scipy.", "ml_workflow.")
# Types trusted by exact name. `functools.partial` binds arguments to a
# function that is itself checked against the prefixes (histogram gradient
# boosting with native categories keeps a partial of sklearn's check_array).
TRUSTED_TYPES = frozenset({"functools.partial"})
HASH_SUFFIX = ".sha256"
# skops.io.dumps arguments: deflate at the fastest level. Housing's blend (60
# extra trees' node arrays): stored 124 MB, saved in 0.6 s and loaded in 0.5 s;
# level 1 37 MB, 1.7 s and 0.8 s; level 6 34 MB, 3.9 s and 0.6 s.
DEFAULT_SAVE_ARGS = {"compression": zipfile.ZIP_DEFLATED, "compresslevel": 1}


def _skops_io() -> ModuleType:
    """``skops.io``, imported on first use.

    Importing it walks every scikit-learn estimator (``all_estimators()``,
    1.5-3 s), and this module is imported by ``settings.py`` through the hooks,
    so a module-level import made every ``kedro`` command pay it, even those
    that never touch a model (``kedro registry list``, ``kedro variant``).
    """
    import skops.io  # noqa: PLC0415

    return skops.io


def sha256_hex(data: bytes) -> str:
    """SHA-256 of ``data`` as 64 hex characters."""
    return hashlib.sha256(data).hexdigest()


def _refused(names: list[str], trusted_prefixes: tuple[str, ...]) -> list[str]:
    """The type names whose module is outside ``trusted_prefixes``, sorted."""
    return sorted(
        name
        for name in names
        if not name.startswith(trusted_prefixes) and name not in TRUSTED_TYPES
    )


def trusted_types(
    data: bytes,
    trusted_prefixes: tuple[str, ...] = DEFAULT_TRUSTED_PREFIXES,
    where: str = "model file",
) -> list[str]:
    """The types a skops dump would rebuild; DatasetError if any is outside the
    allowed module prefixes."""
    found = _skops_io().get_untrusted_types(data=data)
    refused = _refused(found, trusted_prefixes)
    if refused:
        raise DatasetError(
            f"{where} contains types outside the trusted modules "
            f"{list(trusted_prefixes)}: {refused}. Loading it could run untrusted "
            "code; if these types are yours and safe, add their module prefix to "
            "the dataset's 'trusted_prefixes' in the catalog"
        )
    return found


def loads_trusted(
    data: bytes,
    trusted_prefixes: tuple[str, ...] = DEFAULT_TRUSTED_PREFIXES,
    where: str = "model file",
) -> Any:
    """Load a skops dump, trusting only types from the allowed module prefixes."""
    found = trusted_types(data, trusted_prefixes, where)  # walked once, used twice
    return _skops_io().loads(data, trusted=found)


class SkopsModelDataset(AbstractVersionedDataset[Any, Any]):
    """Versioned skops model file with a recorded SHA-256 and a type allowlist.

    Catalog example:

    ```yaml
    "{variant}.model":
      type: ml_workflow.datasets.SkopsModelDataset
      filepath: data/06_models/{variant}/model.skops
      versioned: true
      save_args: {compression: 8, compresslevel: 1}   # the default (8: deflate)
    ```
    """

    def __init__(
        self,
        *,
        filepath: str | os.PathLike,
        trusted_prefixes: list[str] | tuple[str, ...] | None = None,
        version: Version | None = None,
        credentials: dict[str, Any] | None = None,
        fs_args: dict[str, Any] | None = None,
        save_args: dict[str, Any] | None = None,
        metadata: dict[str, Any] | None = None,
    ) -> None:
        """``trusted_prefixes``: module prefixes whose types may be rebuilt;
        ``save_args``: ``skops.io.dumps`` arguments over ``DEFAULT_SAVE_ARGS``."""
        fs_arguments = deepcopy(fs_args) or {}
        protocol, path = get_protocol_and_path(str(filepath), version)
        if protocol == "file":
            fs_arguments.setdefault("auto_mkdir", True)
        self._protocol = protocol
        self._fs = fsspec.filesystem(
            protocol, **(deepcopy(credentials) or {}), **fs_arguments
        )
        self.metadata = metadata
        self._trusted_prefixes = tuple(trusted_prefixes or DEFAULT_TRUSTED_PREFIXES)
        self._save_args = {**DEFAULT_SAVE_ARGS, **(save_args or {})}
        self._loaded: tuple[str, Any] | None = None  # (file SHA-256, the model)
        super().__init__(
            filepath=PurePosixPath(path),
            version=version,
            exists_function=self._fs.exists,
            glob_function=self._fs.glob,
        )

    def _describe(self) -> dict[str, Any]:
        return {
            "filepath": self._filepath,
            "protocol": self._protocol,
            "trusted_prefixes": list(self._trusted_prefixes),
            "save_args": self._save_args,
            "version": self._version,
        }

    def load(self) -> Any:
        """Verify the recorded hash, then load with the trusted types only."""
        path = get_filepath_str(self._get_load_path(), self._protocol)
        data = self._read(path)
        recorded = self._recorded_hash(path)
        actual = sha256_hex(data)
        if recorded != actual:
            raise DatasetError(
                f"model file {path!r} does not match its recorded SHA-256: recorded "
                f"{recorded}, file has {actual}. The file was changed after it was "
                "saved; refusing to load it (retrain, or restore the original file)"
            )
        if self._loaded is not None and self._loaded[0] == actual:
            return deepcopy(self._loaded[1])  # the same bytes, already checked
        model = loads_trusted(data, self._trusted_prefixes, f"model file {path!r}")
        self._loaded = (actual, model)
        return deepcopy(model)

    def save(self, data: Any) -> None:
        """Check the types, write the skops file, then its hash (the hash last:
        it seals the file); keep a copy of the model for this file's loads."""
        path = get_filepath_str(self._get_save_path(), self._protocol)
        payload = _skops_io().dumps(data, **self._save_args)
        trusted_types(payload, self._trusted_prefixes, f"the model to save as {path!r}")
        digest = sha256_hex(payload)
        with self._fs.open(path, mode="wb") as file:
            file.write(payload)
        with self._fs.open(path + HASH_SUFFIX, mode="w") as file:
            file.write(digest + "\n")
        self._invalidate_cache()
        # a copy: the caller may change `data` after saving; the file may not
        self._loaded = (digest, deepcopy(data))

    def _exists(self) -> bool:
        try:
            path = get_filepath_str(self._get_load_path(), self._protocol)
        except DatasetError:
            return False
        return self._fs.exists(path)

    def _read(self, path: str) -> bytes:
        try:
            with self._fs.open(path, mode="rb") as file:
                return file.read()
        except FileNotFoundError as error:
            raise DatasetError(f"model file {path!r} does not exist") from error

    def _recorded_hash(self, path: str) -> str:
        try:
            with self._fs.open(path + HASH_SUFFIX, mode="r") as file:
                return file.read().strip()
        except FileNotFoundError as error:
            raise DatasetError(
                f"model file {path!r} has no recorded hash ({path + HASH_SUFFIX!r} "
                "is missing); refusing to load an artifact that cannot be verified"
            ) from error

    def _release(self) -> None:
        super()._release()
        self._loaded = None
        self._invalidate_cache()

    def _invalidate_cache(self) -> None:
        self._fs.invalidate_cache(get_filepath_str(self._filepath, self._protocol))


__all__ = [
    "DEFAULT_TRUSTED_PREFIXES",
    "SkopsModelDataset",
    "loads_trusted",
    "trusted_types",
]
