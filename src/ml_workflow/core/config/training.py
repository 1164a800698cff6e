"""How the data is cleaned and split, and which models are preprocessed and built.

Checks that need only the section itself are here (an estimator path that
imports, hyperparameters its class accepts, a distribution with low < high);
checks across sections (a search key that addresses a pipeline step, a
threshold for a regression) are in ``variant.py``; how the model is chosen
and tuned is in ``selection.py``.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Discriminator,
    Field,
    Tag,
    model_validator,
)

from .base import ConfigModel, Number, PositiveInteger, Seed, at
from .estimators import built, import_estimator


class Cleaning(ConfigModel):
    """Which rows cleaning removes."""

    drop_missing_target: bool = True
    """A row without a target cannot be learned from."""
    drop_duplicates: bool = True
    """Exact copies would sit on both sides of the split."""


def _test_size(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("expected a share in (0, 1) or a number of rows")
    if isinstance(value, float) and not 0 < value < 1:
        raise ValueError("expected a share strictly between 0 and 1")
    if isinstance(value, int) and value < 1:
        raise ValueError("expected a positive number of rows")
    return value


class Split(ConfigModel):
    """The train/test split."""

    test_size: Annotated[float | int, BeforeValidator(_test_size)] = 0.2
    """Share (0-1) or number of rows held out for the test."""
    stratify: bool | None = None
    """Keep the class shares equal in train and test; default: yes for
    classification. Classification only."""
    seed: Seed | None = None
    """The split's seed; default the variant's ``seed``."""


IMPUTERS = ("median", "mean", "most_frequent", "constant")
SCALERS = ("standard", "minmax", "none")


def _vectorizer_keys(options: dict[str, Any]) -> dict[str, Any]:
    """Refuse text-vectorizer arguments the chosen vectorizer does not take."""
    from sklearn.feature_extraction.text import (  # noqa: PLC0415 - sklearn is slow to import
        HashingVectorizer,
        TfidfTransformer,
        TfidfVectorizer,
    )

    kind = options.get("kind", "tfidf")
    if kind == "tfidf":
        known = set(TfidfVectorizer().get_params())
    elif kind == "hashing":
        known = set(HashingVectorizer().get_params()) | set(
            TfidfTransformer().get_params()
        )
        vocabulary = sorted(
            set(options) & {"min_df", "max_df", "max_features", "vocabulary"}
        )
        if vocabulary:
            raise ValueError(
                f"{vocabulary} need a vocabulary, which kind 'hashing' does not "
                "keep: remove them or use kind 'tfidf'"
            )
    else:
        raise ValueError(f"kind must be 'tfidf' or 'hashing', found {kind!r}")
    unknown = sorted(set(options) - known - {"kind"})
    if unknown:
        raise ValueError(
            f"{unknown} are not arguments of the {kind} vectorizer; expected some "
            f"of {sorted(known)}"
        )
    return options


TextVectorizer = Annotated[dict[str, Any], AfterValidator(_vectorizer_keys)]


Imputer = Literal["median", "mean", "most_frequent", "constant"]
CategoricalImputer = Literal["most_frequent", "constant"]
Scaler = Literal["standard", "minmax", "none"]
CategoricalEncoder = Literal["auto", "onehot", "ordinal", "target"]
MinFrequency = Annotated[int, Field(ge=1)] | Annotated[float, Field(gt=0, lt=1)]


class Preprocessing(ConfigModel):
    """The ColumnTransformer settings every candidate shares.

    How each kind is encoded also follows the estimator: a dense-only
    estimator gets dense features (text reduced by TruncatedSVD), one that
    handles categories natively (``categorical_features``, e.g. histogram
    gradient boosting) gets them ordinal-encoded with ``encoder: auto``.
    """

    numeric_imputer: Imputer = "median"
    """SimpleImputer strategy for numeric, derived and date-part columns."""
    categorical_imputer: CategoricalImputer = "most_frequent"
    """SimpleImputer strategy for categorical columns."""
    numeric_scaler: Scaler = "standard"
    """The numeric scaler; ``minmax`` keeps features non-negative (naive Bayes)."""
    categorical_encoder: CategoricalEncoder = "auto"
    """``auto``: native (ordinal) categories for estimators that support them,
    one-hot for the others; or always ``onehot``, ``ordinal`` or ``target``
    (scikit-learn's cross-fitted TargetEncoder, for high cardinality)."""
    max_categories: Annotated[int, Field(ge=2)] | None = 50
    """One-hot and ordinal: at most this many levels per column; the rarest
    are grouped as "infrequent" (null: no cap)."""
    min_category_frequency: MinFrequency | None = None
    """One-hot and ordinal: levels rarer than this (rows, or a share) are
    grouped as "infrequent"."""
    datetime_cyclic: bool = True
    """Dates: add sine/cosine of month, day of week and hour."""
    text_vectorizer: TextVectorizer = Field(default_factory=dict)
    """``kind`` (``tfidf`` or ``hashing``) plus the vectorizer's arguments."""
    text_components: PositiveInteger = 100
    """Dense-only estimators: text is reduced to this many TruncatedSVD components."""


class PreprocessingOverrides(ConfigModel):
    """A candidate's own preprocessing; unset keys inherit the variant's."""

    numeric_imputer: Imputer | None = None
    categorical_imputer: CategoricalImputer | None = None
    numeric_scaler: Scaler | None = None
    categorical_encoder: CategoricalEncoder | None = None
    max_categories: Annotated[int, Field(ge=2)] | None = None
    min_category_frequency: MinFrequency | None = None
    datetime_cyclic: bool | None = None
    text_vectorizer: TextVectorizer | None = None
    text_components: PositiveInteger | None = None

    def applied_to(self, base: Preprocessing) -> Preprocessing:
        """``base`` with this candidate's settings in place of the inherited ones."""
        return base.model_copy(update=self.model_dump(exclude_none=True))


class Distribution(ConfigModel):
    """A distribution the random and halving searches sample from."""

    distribution: Literal["loguniform", "uniform", "randint"]
    low: Number
    high: Number
    """Upper bound (inclusive for randint)."""

    @model_validator(mode="after")
    def _bounds(self) -> Distribution:
        if not self.low < self.high:
            raise ValueError(f"low ({self.low}) must be below high ({self.high})")
        if self.distribution == "loguniform" and self.low <= 0:
            raise ValueError(f"loguniform needs low > 0, found {self.low}")
        return self


SearchValues = Annotated[
    Annotated[list[Any], Field(min_length=1), Tag("[]")]
    | Annotated[Distribution, Tag("{}")],
    Discriminator(
        lambda value: "{}" if isinstance(value, dict | Distribution) else "[]"
    ),
]
"""A list of values, or a distribution mapping."""


class Candidate(ConfigModel):
    """One estimator model selection compares."""

    name: Annotated[str, Field(min_length=1)]
    """A unique name, used in the leaderboard and reports."""
    estimator: Annotated[
        str, AfterValidator(lambda path: import_estimator(path) and path)
    ]
    """Import path of a scikit-learn-compatible estimator class."""
    hyperparameters: dict[str, Any] = Field(default_factory=dict)
    """Fixed constructor arguments; a value may be an estimator itself,
    ``{estimator: path, hyperparameters: {...}}`` (`estimators`)."""
    search_space: dict[str, SearchValues] = Field(default_factory=dict)
    """What the search may vary; a key with ``__`` addresses a pipeline step."""
    complexity: Number | None = None
    """A rank, lower is simpler; default the list position."""
    preprocessing: PreprocessingOverrides = PreprocessingOverrides()
    """This candidate's own preprocessing settings."""
    target_transform: Literal["log", "power"] | None = None
    """Regression: fit on ``log(1 + target)`` (``log``, a target >= 0) or a
    Yeo-Johnson transform (``power``); predictions stay on the original scale."""

    @model_validator(mode="after")
    def _fits_estimator(self) -> Candidate:
        estimator_class = import_estimator(self.estimator)
        try:
            estimator = estimator_class(**built(self.hyperparameters))
        except (TypeError, ValueError) as error:
            raise ValueError(
                at(
                    "hyperparameters",
                    f"{self.hyperparameters} do not fit {self.estimator}: {error}",
                )
            ) from error
        known = set(estimator.get_params())
        unknown = [
            key for key in self.search_space if "__" not in key and key not in known
        ]
        if unknown:
            raise ValueError(
                "\n".join(
                    at(
                        f"search_space.{key}",
                        f"not a parameter of {self.estimator}; its parameters: "
                        f"{sorted(known)}",
                    )
                    for key in unknown
                )
            )
        return self


__all__ = [
    "IMPUTERS",
    "SCALERS",
    "Candidate",
    "Cleaning",
    "Distribution",
    "Preprocessing",
    "PreprocessingOverrides",
    "Split",
    "import_estimator",
]
