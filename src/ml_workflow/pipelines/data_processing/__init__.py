"""Load, check and clean a variant's raw data."""

from .pipeline import create_pipeline

__all__ = ["create_pipeline"]
