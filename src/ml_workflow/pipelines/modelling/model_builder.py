"""Build the unfitted scikit-learn Pipeline a variant's parameters describe."""

from __future__ import annotations

import importlib
from collections.abc import Mapping, Sequence
from typing import Any

from sklearn.base import BaseEstimator
from sklearn.compose import ColumnTransformer
from sklearn.feature_extraction.text import (
    HashingVectorizer,
    TfidfTransformer,
    TfidfVectorizer,
)
from sklearn.impute import SimpleImputer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import (
    FunctionTransformer,
    MinMaxScaler,
    OneHotEncoder,
    StandardScaler,
)

from ml_workflow.derived_features import derived_feature_names
from ml_workflow.errors import ConfigurationError
from ml_workflow.problem import features_by_kind
from ml_workflow.transformers import DerivedFeatureAdder, fill_missing_text


def import_estimator(import_path: str) -> type[BaseEstimator]:
    """Import an estimator class from a dotted path such as ``sklearn.svm.SVC``."""
    module_name, _, class_name = str(import_path).rpartition(".")
    try:
        return getattr(importlib.import_module(module_name), class_name)
    except (ImportError, AttributeError, ValueError) as error:
        raise ConfigurationError(
            f"model.estimator {import_path!r} cannot be imported: expected a dotted "
            f"path to an estimator class, e.g. 'sklearn.linear_model.Ridge' ({error})"
        ) from error


def make_estimator(model: Mapping[str, Any]) -> BaseEstimator:
    """Instantiate ``model.estimator`` with ``model.hyperparameters``."""
    estimator_class = import_estimator(model.get("estimator", ""))
    hyperparameters = dict(model.get("hyperparameters") or {})
    try:
        return estimator_class(**hyperparameters)
    except TypeError as error:
        raise ConfigurationError(
            f"model.hyperparameters {hyperparameters} do not fit "
            f"{model['estimator']}: {error}"
        ) from error


# Scalers by name: ``minmax`` (clipped to [0, 1]) keeps features non-negative,
# which count-based models such as multinomial naive Bayes require.
# The scalers work in place (``copy=False``): they only ever receive the
# SimpleImputer's output, which is a freshly allocated array (the imputer keeps
# ``copy=True``, so it never hands on a view of the caller's DataFrame). A
# second rows x numeric-columns float64 array per transform is saved.
_SCALERS: dict[str, Any] = {
    "standard": lambda: StandardScaler(copy=False),
    "minmax": lambda: MinMaxScaler(clip=True, copy=False),
    "none": lambda: "passthrough",
}


def _numeric_scaler(name: str) -> Any:
    if name not in _SCALERS:
        raise ConfigurationError(
            f"preprocessing.numeric_scaler must be one of {sorted(_SCALERS)}, "
            f"found {name!r}"
        )
    return _SCALERS[name]()


def _vectorizer_arguments(options: Mapping[str, Any] | None) -> dict[str, Any]:
    arguments = dict(options or {})
    if "ngram_range" in arguments:  # YAML has lists, scikit-learn wants a tuple
        arguments["ngram_range"] = tuple(arguments["ngram_range"])
    return arguments


# TF-IDF keywords that belong to the IDF weighting, not to tokenizing: with
# ``kind: hashing`` they go to the TfidfTransformer after the HashingVectorizer.
_IDF_KEYWORDS = ("norm", "use_idf", "smooth_idf", "sublinear_tf")
# TfidfVectorizer keywords that need a vocabulary, which hashing does not keep.
_VOCABULARY_KEYWORDS = ("min_df", "max_df", "max_features", "vocabulary")


def text_vectorizer_steps(options: Mapping[str, Any] | None) -> list[tuple[str, Any]]:
    """Return the Pipeline steps that turn one text column into features.

    ``preprocessing.text_vectorizer`` holds TfidfVectorizer keyword arguments
    (the default). With ``kind: hashing`` the tokens are hashed into
    ``n_features`` columns (HashingVectorizer) and then TF-IDF weighted
    (TfidfTransformer): no vocabulary is kept, so memory stays bounded however
    many distinct tokens the data has. ``alternate_sign`` defaults to false so
    the features stay non-negative (multinomial naive Bayes requires it).
    """
    arguments = _vectorizer_arguments(options)
    kind = arguments.pop("kind", "tfidf")
    if kind == "tfidf":
        return [("tfidf", TfidfVectorizer(**arguments))]
    if kind != "hashing":
        raise ConfigurationError(
            "preprocessing.text_vectorizer.kind must be 'tfidf' or 'hashing', "
            f"found {kind!r}"
        )
    needs_vocabulary = [key for key in _VOCABULARY_KEYWORDS if key in arguments]
    if needs_vocabulary:
        raise ConfigurationError(
            f"preprocessing.text_vectorizer {needs_vocabulary} need a vocabulary, "
            "which kind 'hashing' does not keep: remove them or use kind 'tfidf'"
        )
    idf = {key: arguments.pop(key) for key in _IDF_KEYWORDS if key in arguments}
    arguments.setdefault("alternate_sign", False)
    arguments.setdefault("n_features", 2**18)
    arguments.setdefault("norm", None)  # the TfidfTransformer normalises after
    try:
        hasher = HashingVectorizer(**arguments)
        weighting = TfidfTransformer(**idf)
    except TypeError as error:
        raise ConfigurationError(
            f"preprocessing.text_vectorizer {dict(options or {})} do not fit "
            f"HashingVectorizer/TfidfTransformer: {error}"
        ) from error
    return [("hash", hasher), ("tfidf", weighting)]


def build_preprocessor(
    problem: Mapping[str, Any],
    derived_features: Sequence[Mapping[str, Any]] | None,
    preprocessing: Mapping[str, Any],
) -> ColumnTransformer:
    """Return the ColumnTransformer for the declared feature kinds.

    numeric (raw and derived): impute, then scale (``numeric_scaler``:
    standard by default); categorical: impute, then
    one-hot encode, ignoring categories unseen in training; text: TF-IDF (or
    hashing + TF-IDF, see ``text_vectorizer_steps``), one vectorizer per
    column. Everything is fitted on the training split only, because it is
    fitted as part of the model.
    """
    by_kind = features_by_kind(problem)
    numeric = by_kind["numeric"] + derived_feature_names(derived_features)
    transformers: list[tuple[str, Any, Any]] = []
    if numeric:
        transformers.append(
            (
                "numeric",
                Pipeline(
                    [
                        (
                            "impute",
                            SimpleImputer(
                                strategy=preprocessing.get("numeric_imputer", "median"),
                                copy=True,  # a fresh array: the scaler works in place
                            ),
                        ),
                        (
                            "scale",
                            _numeric_scaler(
                                preprocessing.get("numeric_scaler", "standard")
                            ),
                        ),
                    ]
                ),
                numeric,
            )
        )
    if by_kind["categorical"]:
        transformers.append(
            (
                "categorical",
                Pipeline(
                    [
                        (
                            "impute",
                            SimpleImputer(
                                strategy=preprocessing.get(
                                    "categorical_imputer", "most_frequent"
                                )
                            ),
                        ),
                        ("encode", OneHotEncoder(handle_unknown="ignore")),
                    ]
                ),
                by_kind["categorical"],
            )
        )
    for column in by_kind["text"]:
        transformers.append(
            (
                f"text_{column}",
                Pipeline(
                    [
                        ("fill", FunctionTransformer(fill_missing_text)),
                        *text_vectorizer_steps(preprocessing.get("text_vectorizer")),
                    ]
                ),
                column,  # a scalar selects a 1-D column, which is what a vectorizer takes
            )
        )
    return ColumnTransformer(transformers, remainder="drop")


def build_model_pipeline(
    problem: Mapping[str, Any],
    derived_features: Sequence[Mapping[str, Any]] | None,
    preprocessing: Mapping[str, Any],
    model: Mapping[str, Any],
) -> Pipeline:
    """Return the unfitted Pipeline: derived features, preprocessing, estimator."""
    return Pipeline(
        [
            ("derive", DerivedFeatureAdder(list(derived_features or []))),
            (
                "preprocess",
                build_preprocessor(problem, derived_features, preprocessing),
            ),
            ("estimator", make_estimator(model)),
        ]
    )
