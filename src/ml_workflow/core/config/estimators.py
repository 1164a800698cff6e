"""Estimator classes by import path, and estimators given as hyperparameters.

A hyperparameter value may itself be an estimator: a mapping of ``estimator``
(an import path) and, optionally, its own ``hyperparameters``. So
scikit-learn's meta-estimators take their members from YAML, for example a
``sklearn.ensemble.VotingRegressor`` averaging a forest and a boosted model::

    hyperparameters:
      estimators:
        - [forest, {estimator: sklearn.ensemble.RandomForestRegressor}]
        - [boosting, {estimator: sklearn.ensemble.HistGradientBoostingRegressor}]

A ``[name, estimator]`` pair becomes the ``(name, estimator)`` tuple
scikit-learn expects; a search space reaches a member's parameters through the
pipeline's estimator step and the member's name
(``estimator__forest__min_samples_leaf``), as scikit-learn's ``set_params`` does.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Mapping
from typing import Any

SPEC_KEYS = frozenset({"estimator", "hyperparameters"})
_PAIR = 2


def import_estimator(path: str) -> type:
    """Import an estimator class from a dotted path such as ``sklearn.svm.SVC``."""
    module_name, _, class_name = str(path).rpartition(".")
    try:
        found = getattr(importlib.import_module(module_name), class_name)
    except (ImportError, AttributeError, ValueError) as error:
        raise ValueError(
            f"{path!r} cannot be imported: expected a dotted path to an estimator "
            f"class, e.g. 'sklearn.linear_model.Ridge' ({error})"
        ) from error
    if not (isinstance(found, type) and hasattr(found, "get_params")):
        raise ValueError(
            f"{path!r} is not a scikit-learn estimator class (no get_params)"
        )
    return found


def takes_random_state(estimator_class: type) -> bool:
    """Whether the class's constructor has a ``random_state`` argument (read from
    its signature: a meta-estimator cannot be built without its members)."""
    return "random_state" in inspect.signature(estimator_class).parameters


def is_estimator_spec(value: Any) -> bool:
    """Whether ``value`` describes an estimator: ``estimator`` and at most
    ``hyperparameters``, nothing else."""
    return (
        isinstance(value, Mapping)
        and "estimator" in value
        and set(value) <= SPEC_KEYS
        and isinstance(value["estimator"], str)
    )


def with_member_seeds(value: Any, seed: int | None) -> Any:
    """``value`` with ``random_state: seed`` given to every estimator inside it
    whose class takes one and does not set it (a copy; still plain data)."""
    if seed is None:
        return value
    if is_estimator_spec(value):
        hyperparameters = with_member_seeds(
            dict(value.get("hyperparameters") or {}), seed
        )
        takes_seed = takes_random_state(import_estimator(value["estimator"]))
        if takes_seed and "random_state" not in hyperparameters:
            hyperparameters["random_state"] = seed
        return {"estimator": value["estimator"], "hyperparameters": hyperparameters}
    if isinstance(value, Mapping):
        return {key: with_member_seeds(item, seed) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [with_member_seeds(item, seed) for item in value]
    return value


def built(value: Any) -> Any:
    """``value`` with every estimator description replaced by the estimator.

    Raises ``ValueError`` naming the member when its path does not import or
    its hyperparameters do not fit its class.
    """
    if is_estimator_spec(value):
        estimator_class = import_estimator(value["estimator"])
        arguments = built(dict(value.get("hyperparameters") or {}))
        try:
            return estimator_class(**arguments)
        except TypeError as error:
            raise ValueError(
                f"the member estimator {value['estimator']} does not take the "
                f"hyperparameters {arguments}: {error}"
            ) from error
    if isinstance(value, Mapping):
        return {key: built(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        items = [built(item) for item in value]
        if (
            len(value) == _PAIR
            and isinstance(value[0], str)
            and is_estimator_spec(value[1])
        ):
            return tuple(items)  # a named member: (name, estimator)
        return items
    return value


__all__ = [
    "built",
    "import_estimator",
    "is_estimator_spec",
    "takes_random_state",
    "with_member_seeds",
]
