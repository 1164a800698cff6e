"""One validation engine for raw training data, records to score and API requests."""

from .checks import Check
from .columns import ColumnSpec, RawSchema, raw_schema
from .records import record_failures, validate_records
from .validate import (
    ValidationResult,
    Violation,
    dataset_violations,
    format_violations,
    validate_raw,
)

__all__ = [
    "Check",
    "ColumnSpec",
    "RawSchema",
    "ValidationResult",
    "Violation",
    "dataset_violations",
    "format_violations",
    "raw_schema",
    "record_failures",
    "validate_raw",
    "validate_records",
]
