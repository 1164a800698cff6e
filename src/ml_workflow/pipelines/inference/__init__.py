"""Batch scoring: validate new records, type them as in training, predict."""

from .pipeline import create_partitioned_pipeline, create_pipeline

__all__ = ["create_partitioned_pipeline", "create_pipeline"]
