"""Build the unfitted scikit-learn Pipeline a variant's configuration describes.

raw columns -> ``derive`` (the derived features) -> ``preprocess`` (a
ColumnTransformer per feature kind, fitted to what the estimator takes:
sparse or dense input, native categories or encoded ones) -> ``estimator``. Everything is fitted
as part of the model, so on the training split (or fold) only, and serving
applies exactly the training-time transforms.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sklearn.base import BaseEstimator, clone
from sklearn.compose import ColumnTransformer
from sklearn.feature_extraction.text import (
    HashingVectorizer,
    TfidfTransformer,
    TfidfVectorizer,
)
from sklearn.impute import SimpleImputer
from sklearn.model_selection import KFold
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import (
    FunctionTransformer,
    MinMaxScaler,
    OneHotEncoder,
    OrdinalEncoder,
    StandardScaler,
    TargetEncoder,
)
from sklearn.utils import get_tags

from ml_workflow.core.config.derived import DerivedFeature
from ml_workflow.core.config.estimators import built, with_member_seeds
from ml_workflow.core.config.problem import Problem
from ml_workflow.core.config.training import Candidate, Preprocessing, import_estimator
from ml_workflow.core.dates import DateTimeFeatures
from ml_workflow.core.features import DerivedFeatures, derived_features
from ml_workflow.core.target import with_target_transform
from ml_workflow.core.text import TextComponents, fill_missing_text

# The scalers work in place (``copy=False``): they only ever receive the
# SimpleImputer's output, a freshly allocated array (the imputer keeps
# ``copy=True``), so a second rows x columns float64 array per transform is
# saved. ``minmax`` (clipped to [0, 1]) keeps features non-negative, which
# count-based models such as multinomial naive Bayes require.
_SCALERS: dict[str, Any] = {
    "standard": lambda: StandardScaler(copy=False),
    "minmax": lambda: MinMaxScaler(clip=True, copy=False),
    "none": lambda: "passthrough",
}
# TF-IDF keywords that belong to the IDF weighting, not to tokenizing: with
# ``kind: hashing`` they go to the TfidfTransformer after the HashingVectorizer.
_IDF_KEYWORDS = ("norm", "use_idf", "smooth_idf", "sublinear_tf")


def estimator_arguments(
    candidate: Candidate, seed: int | None = None
) -> dict[str, Any]:
    """The candidate's constructor arguments, as the model is built with them.

    An estimator that takes ``random_state`` gets the variant's seed unless
    the candidate sets one, and so does every estimator among its
    hyperparameters, so every fit is reproducible from parameters. Estimators
    among them stay descriptions (plain data for the model summary).
    """
    # the candidate is an estimator description like its members: one rule seeds all
    described = {
        "estimator": candidate.estimator,
        "hyperparameters": candidate.hyperparameters,
    }
    return dict(with_member_seeds(described, seed)["hyperparameters"])


def make_estimator(candidate: Candidate, seed: int | None = None) -> BaseEstimator:
    """The candidate's estimator with its fixed hyperparameters (and the seed),
    the estimators among them built too."""
    estimator_class = import_estimator(candidate.estimator)
    return estimator_class(**built(estimator_arguments(candidate, seed)))


def text_vectorizer_steps(options: dict[str, Any]) -> list[tuple[str, Any]]:
    """The Pipeline steps that turn one text column into features.

    ``tfidf`` (default): a TfidfVectorizer with the given arguments.
    ``hashing``: tokens hashed into ``n_features`` columns (HashingVectorizer),
    then TF-IDF weighted (TfidfTransformer): no vocabulary is kept, so memory
    stays bounded however many distinct tokens the data has; ``alternate_sign``
    defaults to false so features stay non-negative (naive Bayes needs it).
    """
    arguments = dict(options)
    if "ngram_range" in arguments:  # YAML has lists, scikit-learn wants a tuple
        arguments["ngram_range"] = tuple(arguments["ngram_range"])
    kind = arguments.pop("kind", "tfidf")
    if kind == "tfidf":
        return [("tfidf", TfidfVectorizer(**arguments))]
    idf = {key: arguments.pop(key) for key in _IDF_KEYWORDS if key in arguments}
    arguments.setdefault("alternate_sign", False)
    arguments.setdefault("n_features", 2**18)
    arguments.setdefault("norm", None)  # the TfidfTransformer normalises after
    return [
        ("hash", HashingVectorizer(**arguments)),
        ("tfidf", TfidfTransformer(**idf)),
    ]


class EstimatorNeeds:
    """What an estimator's input must look like, from its scikit-learn tags."""

    def __init__(self, estimator: BaseEstimator) -> None:
        tags = get_tags(estimator)
        self.sparse = bool(tags.input_tags.sparse)
        """It accepts sparse matrices (else every feature must be dense)."""
        self.native_categories = "categorical_features" in estimator.get_params()
        """It splits on categories itself (histogram gradient boosting)."""


def _categorical_branch(
    preprocessing: Preprocessing, needs: EstimatorNeeds, task: str
) -> tuple[Any, str]:
    """The categorical columns' steps, and which encoding they use."""
    encoding = preprocessing.categorical_encoder
    if encoding == "auto":
        encoding = "ordinal" if needs.native_categories else "onehot"
    impute = SimpleImputer(strategy=preprocessing.categorical_imputer)
    caps = {
        "max_categories": preprocessing.max_categories,
        "min_frequency": preprocessing.min_category_frequency,
    }
    if encoding == "onehot":
        encode: Any = OneHotEncoder(
            handle_unknown="infrequent_if_exist", sparse_output=needs.sparse, **caps
        )
    elif encoding == "ordinal":
        # unseen categories and missing values become -1: histogram gradient
        # boosting treats negative categories as missing
        encode = OrdinalEncoder(
            handle_unknown="use_encoded_value",
            unknown_value=-1,
            encoded_missing_value=-1,
            **{**caps, "max_categories": min(caps["max_categories"] or 255, 255)},
        )
    else:
        # cross-fitted on the training rows, with seeded folds; a regression
        # target of whole numbers (prices) would be read as one class per value
        encode = TargetEncoder(
            target_type="continuous" if task == "regression" else "auto",
            cv=KFold(5, shuffle=True, random_state=0),
        )
    return Pipeline([("impute", impute), ("encode", encode)]), encoding


def build_preprocessor(
    problem: Problem,
    derived_columns: Sequence[str],
    preprocessing: Preprocessing,
    estimator: BaseEstimator,
) -> tuple[ColumnTransformer, int]:
    """The ColumnTransformer for the declared feature kinds, fitted to ``estimator``.

    numeric (raw and ``derived_columns``): impute, then scale; categorical:
    impute, then one-hot (capped), ordinal (native) or target encoding;
    dates: calendar parts, ordinal time and cycles, imputed and scaled; text:
    one vectorizer per column, reduced to dense components when the estimator
    takes no sparse input. Returns it with the number of ordinal-encoded
    categorical columns, which come first in its output.
    """
    needs = EstimatorNeeds(estimator)
    features = problem.features
    numeric = [*features.numeric, *derived_columns]
    transformers: list[tuple[str, Any, Any]] = []
    if numeric:
        transformers.append(("numeric", _numeric_steps(preprocessing), numeric))
    native = 0
    if features.categorical:
        steps, encoding = _categorical_branch(preprocessing, needs, problem.task)
        categorical = ("categorical", steps, list(features.categorical))
        if encoding == "ordinal":  # first, so its columns are 0..k-1
            transformers.insert(0, categorical)
            native = len(features.categorical)
        else:
            transformers.append(categorical)
    if features.datetime:
        expand = DateTimeFeatures(cyclic=preprocessing.datetime_cyclic)
        steps = Pipeline([("expand", expand), *_numeric_steps(preprocessing).steps])
        transformers.append(("datetime", steps, list(features.datetime)))
    for column in features.text:
        steps = [
            (
                "fill",
                FunctionTransformer(fill_missing_text, feature_names_out="one-to-one"),
            ),
            *text_vectorizer_steps(preprocessing.text_vectorizer),
        ]
        if not needs.sparse:
            steps.append(("components", TextComponents(preprocessing.text_components)))
        # a scalar selects a 1-D column, which is what a vectorizer takes
        transformers.append((f"text_{column}", Pipeline(steps), column))
    return (
        ColumnTransformer(
            transformers, remainder="drop", sparse_threshold=0.3 if needs.sparse else 0
        ),
        native,
    )


def _numeric_steps(preprocessing: Preprocessing) -> Pipeline:
    impute = SimpleImputer(strategy=preprocessing.numeric_imputer, copy=True)
    return Pipeline(
        [("impute", impute), ("scale", _SCALERS[preprocessing.numeric_scaler]())]
    )


def candidate_pipeline(
    problem: Problem,
    feature_transform: DerivedFeatures,
    preprocessing: Preprocessing,
    candidate: Candidate,
    seed: int | None = None,
) -> Pipeline:
    """The unfitted Pipeline of one candidate: the feature transform (derived
    features), the variant's preprocessing with the candidate's overrides, the
    candidate's estimator (fitted on the transformed target when the candidate
    sets ``target_transform``)."""
    own = candidate.preprocessing.applied_to(preprocessing)
    estimator = make_estimator(candidate, seed)
    preprocessor, native = build_preprocessor(
        problem, feature_transform.new_columns, own, estimator
    )
    if native and "categorical_features" not in candidate.hyperparameters:
        # the ordinal-encoded categories are the preprocessor's first columns
        estimator.set_params(categorical_features=list(range(native)))
    return Pipeline(
        [
            ("derive", clone(feature_transform)),
            ("preprocess", preprocessor),
            ("estimator", with_target_transform(estimator, candidate.target_transform)),
        ]
    )


def feature_transform(derived: Sequence[DerivedFeature]) -> DerivedFeatures:
    """The unfitted first step of every candidate: the configured derived features."""
    return derived_features(derived)


__all__ = [
    "build_preprocessor",
    "candidate_pipeline",
    "estimator_arguments",
    "feature_transform",
    "make_estimator",
    "text_vectorizer_steps",
]
