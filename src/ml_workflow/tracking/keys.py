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


def mlflow_key(name: str) -> str:
    """``name`` with each character MLflow refuses replaced by ``_``, and each
    empty, ``.`` or ``..`` step between slashes by as many ``_``."""
    key = _REFUSED.sub("_", str(name))
    steps = [
        "_" * max(1, len(step)) if step in ("", ".", "..") else step
        for step in key.split("/")
    ]
    return "/".join(steps) if "/" in key else key or "_"


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
