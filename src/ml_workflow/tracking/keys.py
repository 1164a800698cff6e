"""Keys MLflow accepts for params, metrics and tags, made from any names.

Keys carry the team's own names: column names in the schema's params, class
labels in per-class metrics, dataset names in tags. MLflow refuses a key with
a character outside letters, digits, ``_ - . / :`` and space, or one that
reads as a path step (``a//b``, ``./a``, a leading ``/``), and refuses the
whole batch with it: one column named ``Monthly Spend ($)`` stopped every
run of its variant before the first node.
"""

from __future__ import annotations

import re

_REFUSED = re.compile(r"[^\w\-./ :]")


def mlflow_key(name: str, max_length: int | None = None) -> str:
    """``name`` with each character MLflow refuses replaced by ``_``, each
    empty, ``.`` or ``..`` step between slashes by as many ``_``, and cut to
    ``max_length`` without leaving such a step at the end."""
    key = _REFUSED.sub("_", str(name))
    if "/" in key:
        key = "/".join(_step(step) for step in key.split("/"))
    if max_length is not None and len(key) > max_length:
        key = key[:max_length]
        head, slash, last = key.rpartition("/")
        if slash and last in ("", ".", ".."):
            key = f"{head}_" if not last else f"{head}/{_step(last)}"
    return key or "_"


def _step(step: str) -> str:
    return "_" * max(1, len(step)) if step in ("", ".", "..") else step


def unique_keys(keys: list[str]) -> list[str]:
    """``keys`` with a repeat suffixed ``_2``, ``_3``, ...: names that differ
    only in refused characters (``Spend ($)``, ``Spend (€)``) stay apart."""
    seen: set[str] = set()
    result = []
    for key in keys:
        candidate, number = key, 1
        while candidate in seen:
            number += 1
            candidate = f"{key}_{number}"
        seen.add(candidate)
        result.append(candidate)
    return result


__all__ = ["mlflow_key", "unique_keys"]
