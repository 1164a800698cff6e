"""Exceptions the project raises for problems a user can fix."""


class ConfigurationError(ValueError):
    """The parameters of a variant are inconsistent or incomplete."""


class DataValidationError(ValueError):
    """A dataset does not have the shape or content its parameters declare."""


class ModelSelectionError(ValueError):
    """No candidate estimator could be fitted and scored on the data."""


class TrackingError(RuntimeError):
    """Experiment tracking or the model registry cannot do what was asked: the
    tracking server is unreachable, or a registered model version is missing."""
