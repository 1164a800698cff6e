"""Turn a fork of this template into a team's own project.

``rename_project`` renames the package (``ml_workflow``) and the project
(``ml-workflow``) everywhere they appear; ``remove_variant`` deletes a shipped
variant's configuration and raw data. Both edit files in place: they are meant
for a fresh fork under version control, where ``git diff`` shows every change.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import yaml

from ml_workflow.errors import ConfigurationError

PACKAGE = "ml_workflow"
PROJECT = "ml-workflow"
_TEXT_SUFFIXES = {
    ".py",
    ".toml",
    ".yml",
    ".yaml",
    ".md",
    ".ipynb",
    ".cfg",
    ".txt",
    ".ini",
    ".json",
    "",
}
_SKIPPED_DIRS = {
    ".git",
    ".venv",
    "venv",
    ".ci-venv",
    "__pycache__",
    ".ruff_cache",
    ".pytest_cache",
    "data",
    "site",
    "build",
    "dist",
    ".viz",
}
_PACKAGE_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")


def _text_files(root: Path) -> list[Path]:
    files = []
    for path in root.rglob("*"):
        relative = path.relative_to(root)
        if any(
            part in _SKIPPED_DIRS or part.endswith(".egg-info")
            for part in relative.parts
        ):
            continue
        if (
            path.is_file()
            and path.suffix in _TEXT_SUFFIXES
            and not path.name.startswith(".coverage")
        ):
            files.append(path)
    return files


def rename_project(root: Path, package: str, project: str | None = None) -> list[Path]:
    """Rename package ``ml_workflow`` to ``package`` and project ``ml-workflow`` to ``project``.

    Returns the files whose content changed. The package folder under ``src/``
    is moved; reinstall the project afterwards (``pip install -e ".[dev]"``).
    """
    if not _PACKAGE_NAME.match(package):
        raise ConfigurationError(
            f"package name {package!r} is not a valid Python package name: use lower-case "
            "letters, digits and underscores, starting with a letter"
        )
    project = project or package.replace("_", "-")
    source = root / "src" / PACKAGE
    if not source.is_dir():
        raise ConfigurationError(
            f"{source} does not exist: is {root} an unrenamed ml-workflow fork?"
        )
    changed = []
    for path in _text_files(root):
        text = path.read_text(encoding="utf-8", errors="strict")
        renamed = text.replace(PACKAGE, package).replace(PROJECT, project)
        if renamed != text:
            path.write_text(renamed, encoding="utf-8")
            changed.append(path)
    shutil.move(str(source), str(root / "src" / package))
    for egg_info in (root / "src").glob(f"{PACKAGE}.egg-info"):
        shutil.rmtree(egg_info)
    return changed


def remove_variant(root: Path, variant: str) -> list[Path]:
    """Delete a variant's parameters, catalog entries and raw data files.

    Returns the removed paths. Raw files are removed only if they sit in
    ``data/01_raw`` and no other variant's catalog entry reads them.
    """
    conf = root / "conf" / "base"
    parameters = conf / f"parameters_{variant}.yml"
    if not parameters.exists():
        raise ConfigurationError(f"no variant {variant!r}: {parameters} does not exist")
    removed = [parameters]
    catalog = conf / f"catalog_{variant}.yml"
    raw_files: list[Path] = []
    if catalog.exists():
        entries = yaml.safe_load(catalog.read_text(encoding="utf-8")) or {}
        raw_files = [
            root / entry["filepath"]
            for entry in entries.values()
            if isinstance(entry, dict) and "filepath" in entry
        ]
        removed.append(catalog)
    still_read = {
        entry.get("filepath")
        for other in conf.glob("catalog*.yml")
        if other != catalog
        for entry in (yaml.safe_load(other.read_text(encoding="utf-8")) or {}).values()
        if isinstance(entry, dict)
    }
    # the new records the catalog's `{variant}.new_records` factory reads
    raw_files.append(root / "data" / "01_raw" / f"{variant}_new_records.csv")
    for raw in dict.fromkeys(raw_files):
        inside_raw = raw.resolve().is_relative_to((root / "data" / "01_raw").resolve())
        if inside_raw and raw.exists() and str(raw.relative_to(root)) not in still_read:
            removed.append(raw)
    for path in removed:
        path.unlink()
    _drop_gitignore_exceptions(
        root, [path for path in removed if path.suffix not in {".yml"}]
    )
    return removed


def _drop_gitignore_exceptions(root: Path, raw_files: list[Path]) -> None:
    gitignore = root / ".gitignore"
    if not gitignore.exists() or not raw_files:
        return
    names = {f"!{path.relative_to(root).as_posix()}" for path in raw_files}
    lines = gitignore.read_text(encoding="utf-8").splitlines(keepends=True)
    gitignore.write_text(
        "".join(line for line in lines if line.strip() not in names), encoding="utf-8"
    )
