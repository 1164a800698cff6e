"""How the data is cleaned and split, and how the model is preprocessed, chosen and tuned.

Checks that need only the section itself are here (an estimator path that
imports, hyperparameters its class accepts, a distribution with low < high);
checks across sections (a search key that addresses a pipeline step, a
threshold for a regression) are in ``variant.py``.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Discriminator,
    Field,
    Strict,
    Tag,
    model_validator,
)

from .base import ConfigModel, Folds, Number, PositiveInteger, Seed, Share, at
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


class Simplicity(ConfigModel):
    """The rule that prefers a simpler candidate within the noise."""

    prefer_simpler: bool = True
    """Choose the simplest candidate unless the winner beats it beyond the noise."""
    margin: Annotated[float, Field(ge=0)] = 1.0
    """The noise, in multiples of the winner's fold standard deviation."""


class Search(ConfigModel):
    """The hyperparameter search of the chosen candidate."""

    strategy: Literal["grid", "random", "halving", "none"] = "random"
    """``none`` fits the fixed hyperparameters without a search."""
    n_iter: PositiveInteger = 8
    """Settings tried (halving: first-round settings)."""
    cv_folds: Folds | None = None
    """Folds of the search; default ``model_selection.cv_folds``."""
    factor: Annotated[float, Field(gt=1)] = 3
    """Halving only: the elimination factor."""
    min_resources: PositiveInteger | Literal["exhaust", "smallest"] = "exhaust"
    """Halving only: training rows in the first round."""
    max_seconds: Annotated[float, Field(gt=0)] | None = None
    """Time budget (``grid`` and ``random``): settings are cross-validated in
    rounds of as many as run in parallel, and no round starts once this many
    seconds are spent; the best setting so far wins. Null: no budget."""

    @model_validator(mode="after")
    def _budget_for_strategy(self) -> Search:
        if self.max_seconds is not None and self.strategy in ("halving", "none"):
            raise ValueError(
                f"max_seconds budgets the 'grid' and 'random' strategies, not "
                f"{self.strategy!r} (halving is budgeted by n_iter, factor and "
                "min_resources)"
            )
        return self


THRESHOLD_OBJECTIVES = ("f1", "precision", "recall", "accuracy", "precision_at_recall")


class Threshold(ConfigModel):
    """Classification: the decision threshold tuned on cross-validated predictions."""

    objective: Literal[
        "f1", "precision", "recall", "accuracy", "precision_at_recall"
    ] = "f1"
    """What the threshold maximises."""
    min_recall: Share | None = None
    """``precision_at_recall`` only: the recall to keep."""
    cv_folds: Folds = 5
    """Folds of the threshold tuning."""

    @model_validator(mode="after")
    def _recall_for_objective(self) -> Threshold:
        if (self.objective == "precision_at_recall") != (self.min_recall is not None):
            raise ValueError(
                "min_recall is required by the objective 'precision_at_recall', "
                "and only by it"
            )
        return self


class ModelSelection(ConfigModel):
    """Choosing and tuning the model, on the training split only."""

    cv_folds: Folds = 5
    """K of the K-fold cross-validation of every candidate."""
    seed: Seed | None = None
    """Seed of the folds, the search and the threshold folds; default the
    variant's ``seed``."""
    max_rows: Annotated[int, Strict(), Field(ge=2)] | None = None
    """Big data: compare and search on a seeded sample of this many training
    rows; the chosen model is still fitted on every training row."""
    max_seconds: Annotated[float, Field(gt=0)] | None = None
    """Time budget of the comparison: once this many seconds are spent, the
    candidates not yet cross-validated are skipped (listed simplest first, so
    the cheap ones are screened first); null: no budget."""
    simplicity: Simplicity = Simplicity()
    search: Search = Search()
    threshold: Threshold | None = None
    """Classification: tune the decision threshold; null keeps the default.
    Default for classification: ``{objective: f1}``."""


__all__ = [
    "IMPUTERS",
    "SCALERS",
    "THRESHOLD_OBJECTIVES",
    "Candidate",
    "Cleaning",
    "Distribution",
    "ModelSelection",
    "Preprocessing",
    "PreprocessingOverrides",
    "Search",
    "Simplicity",
    "Split",
    "Threshold",
    "import_estimator",
]
