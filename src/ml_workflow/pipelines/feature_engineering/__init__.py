"""Build the model's feature transform (derived features) and split into train and test."""

from .pipeline import create_pipeline

__all__ = ["create_pipeline"]
