"""One validation engine for raw training data, records to score and API requests."""

from .checks import Check
from .columns import ColumnSpec, RawSchema, raw_schema
from .validate import (
    ValidationResult,
    Violation,
    format_violations,
    record_failures,
    validate_raw,
    validate_records,
)

__all__ = [
    "Check",
    "ColumnSpec",
    "RawSchema",
    "ValidationResult",
    "Violation",
    "format_violations",
    "raw_schema",
    "record_failures",
    "validate_raw",
    "validate_records",
]
