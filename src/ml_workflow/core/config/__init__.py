"""Typed configuration: every parameters section as a validated, frozen model.

Defaults live in these models and nowhere else. ``resolve_parameters`` is
the one entry point Kedro (through ``ml_workflow.context``), serving and the
scaffold use; see docs/configuration.md for every key.
"""

from .derived import DerivedFeature
from .evaluation import Diagnosis, Evaluation, LearningCurve, PermutationImportance
from .loading import (
    describe_errors,
    load_setting,
    load_variant,
    resolve_parameters,
    variant_names,
)
from .problem import FEATURE_KINDS, Features, Problem
from .schema import Checks, ColumnRules, Schema
from .selection import ModelSelection, Search, Simplicity, Threshold
from .settings import Cluster, Compute, Drift, Serving
from .tracking import Promotion, Tracking
from .training import (
    Candidate,
    Cleaning,
    Preprocessing,
    Split,
    import_estimator,
)
from .variant import VariantConfig

__all__ = [
    "FEATURE_KINDS",
    "Candidate",
    "Checks",
    "Cleaning",
    "Cluster",
    "ColumnRules",
    "Compute",
    "DerivedFeature",
    "Diagnosis",
    "Drift",
    "Evaluation",
    "Features",
    "LearningCurve",
    "ModelSelection",
    "PermutationImportance",
    "Preprocessing",
    "Promotion",
    "Problem",
    "Schema",
    "Search",
    "Serving",
    "Simplicity",
    "Split",
    "Threshold",
    "Tracking",
    "VariantConfig",
    "describe_errors",
    "import_estimator",
    "load_setting",
    "load_variant",
    "resolve_parameters",
    "variant_names",
]
