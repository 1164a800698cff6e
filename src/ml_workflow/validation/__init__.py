"""Schema validation of raw data and prediction records, driven by parameters."""

from .schema import RawSchema, parse_schema
from .validate import ValidationResult, Violation, validate_raw, validate_records

__all__ = [
    "RawSchema",
    "ValidationResult",
    "Violation",
    "parse_schema",
    "validate_raw",
    "validate_records",
]
