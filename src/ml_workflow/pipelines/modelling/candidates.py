"""Read a variant's candidate estimators (``params:<variant>.candidates``).

A candidate is a name, an estimator import path, its fixed hyperparameters, a
search space for tuning and, optionally, a ``complexity`` rank and
``preprocessing`` overrides (e.g. a non-negative scaler for naive Bayes):

```yaml
- name: ridge
  estimator: sklearn.linear_model.Ridge
  hyperparameters: {alpha: 1.0}
  search_space: {alpha: [0.1, 1.0, 10.0]}
```

"Simplest" means the lowest ``complexity``; without one, the candidate's
position in the list (list the simple models first).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sklearn.pipeline import Pipeline

from ml_workflow.errors import ConfigurationError

from .model_builder import build_model_pipeline, import_estimator

Candidate = Mapping[str, Any]


def check_candidates(candidates: Sequence[Candidate] | None) -> list[Candidate]:
    """Return the candidates, refusing an empty list, nameless or repeated names.

    Each estimator path is imported, so a typo fails before any fitting.
    """
    if not candidates:
        raise ConfigurationError(
            "candidates is empty: list at least one estimator to compare, e.g. "
            "{name: ridge, estimator: sklearn.linear_model.Ridge}"
        )
    seen: set[str] = set()
    for position, candidate in enumerate(candidates):
        name = candidate.get("name")
        if not name:
            raise ConfigurationError(f"candidates[{position}] has no 'name'")
        if name in seen:
            raise ConfigurationError(
                f"candidates[{position}]: the name {name!r} is used twice"
            )
        seen.add(name)
        if not candidate.get("estimator"):
            raise ConfigurationError(
                f"candidates[{position}] ({name!r}) has no 'estimator' import path"
            )
        import_estimator(candidate["estimator"])
        for section in ("hyperparameters", "search_space", "preprocessing"):
            value = candidate.get(section)
            if value is not None and not isinstance(value, Mapping):
                raise ConfigurationError(
                    f"candidates[{position}] ({name!r}).{section} must be a mapping, "
                    f"found {type(value).__name__}"
                )
    return list(candidates)


def complexity_of(candidates: Sequence[Candidate]) -> dict[str, float]:
    """Return each candidate's complexity rank: explicit, else its list position."""
    return {
        candidate["name"]: float(candidate.get("complexity", position))
        for position, candidate in enumerate(candidates)
    }


def candidate_named(candidates: Sequence[Candidate], name: str) -> Candidate:
    """Return the candidate called ``name``."""
    for candidate in candidates:
        if candidate["name"] == name:
            return candidate
    raise ConfigurationError(
        f"no candidate is named {name!r}; candidates: "
        f"{[candidate['name'] for candidate in candidates]}"
    )


def candidate_pipeline(
    problem: Mapping[str, Any],
    derived_features: Sequence[Mapping[str, Any]] | None,
    preprocessing: Mapping[str, Any],
    candidate: Candidate,
) -> Pipeline:
    """Return the unfitted Pipeline of one candidate: the variant's preprocessing
    with the candidate's overrides, then the candidate's estimator."""
    merged = {**preprocessing, **(candidate.get("preprocessing") or {})}
    return build_model_pipeline(problem, derived_features, merged, candidate)
