"""Register each trained model and promote it only if it beats the champion.

Every trained model becomes a new version of the registered model named after
its variant. The alias ``champion`` moves to it only if its test primary
metric is at least the current champion's minus ``tracking.promotion.tolerance``
(in the direction where higher is better; the first version is champion);
otherwise it gets the alias ``challenger``. The decision is made before
anything is written, and the alias move is a single call, so an interrupted
registration leaves the previous champion in place.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from ml_workflow.core.config.tracking import CHALLENGER, CHAMPION
from ml_workflow.core.task import Task
from ml_workflow.errors import TrackingError

from .model import LoggedModel
from .tracker import Tracker

# Tags each registered version carries (strings, as MLflow stores them).
KEDRO_VERSION_TAG = "kedro_model_version"
SHA256_TAG = "model_sha256"
METRIC_TAG = "primary_metric"
SCORE_TAG = "test_score"
PROMOTION_TAG = "promotion"  # written last: present once the alias is set


@dataclass(frozen=True)
class Promotion:
    """Which alias a new version gets, and why."""

    alias: str
    reason: str


@dataclass(frozen=True)
class Registration:
    """A registered version and its promotion."""

    name: str
    version: int
    promotion: Promotion


@dataclass(frozen=True)
class Champion:
    """The current champion version and the test score it was promoted on."""

    version: str
    metric: str | None  # None: not registered by a kedro run of this project
    score: float | None

    @classmethod
    def of(cls, version: Any) -> Champion:
        """From an MLflow ``ModelVersion`` (its tags are strings)."""
        tags = version.tags
        metric = tags[METRIC_TAG] if METRIC_TAG in tags else None
        try:
            score = float(tags[SCORE_TAG]) if SCORE_TAG in tags else None
        except ValueError:
            score = None
        return cls(version=str(version.version), metric=metric, score=score)


def promotion_decision(
    task: Task,
    metric: str,
    score: float,
    champion: Champion | None,
    tolerance: float,
) -> Promotion:
    """Champion or challenger for a model scoring ``score`` on test ``metric``.

    The task says the metric's direction (``task.orient``): the new model is
    champion if it is at least as good as the champion's score minus
    ``tolerance``, in the direction where better is higher.
    """
    if champion is None:
        return Promotion(CHAMPION, "first registered model of the variant")
    which = f"champion v{champion.version}"
    if champion.metric != metric:
        return Promotion(
            CHALLENGER,
            f"{which} was scored on {champion.metric!r}, this model on {metric!r}: "
            "not comparable, so it is not promoted (promote it by hand if it is better)",
        )
    if champion.score is None:
        return Promotion(CHALLENGER, f"{which} has no recorded test score")
    if math.isnan(score):
        return Promotion(CHALLENGER, f"its test {metric} is not a number")
    best = champion.score
    wins = task.orient(metric, score) >= task.orient(metric, best) - tolerance
    if metric in task.LOWER_IS_BETTER:  # say it in the metric's own terms
        comparison = "<=" if wins else ">"
        bound = f"{best:.6g} + tolerance {tolerance:g}"
    else:
        comparison = ">=" if wins else "<"
        bound = f"{best:.6g} - tolerance {tolerance:g}"
    reason = f"test {metric} {score:.6g} {comparison} {which}'s {bound}"
    return Promotion(CHAMPION if wins else CHALLENGER, reason)


def version_by_alias(client: Any, name: str, alias: str) -> Any | None:
    """The version of ``name`` holding ``alias``, or None if none does."""
    from mlflow.exceptions import MlflowException  # noqa: PLC0415

    try:
        return client.get_model_version_by_alias(name, alias)
    except MlflowException as error:
        if error.error_code in ("RESOURCE_DOES_NOT_EXIST", "INVALID_PARAMETER_VALUE"):
            return None
        raise


def aliases_by_version(client: Any, name: str) -> dict[int, list[str]]:
    """Version -> its aliases, sorted (searching versions does not return them)."""
    found: dict[int, list[str]] = {}
    for alias, version in sorted(client.get_registered_model(name).aliases.items()):
        found.setdefault(int(version), []).append(alias)
    return found


def registered_model_exists(client: Any, name: str) -> bool:
    """Whether a registered model called ``name`` exists."""
    return bool(client.search_registered_models(filter_string=f"name = '{name}'"))


def register_model(
    tracker: Tracker,
    variant: str,
    run_id: str,
    logged: LoggedModel,
    task: Task,
    metric: str,
    score: float,
) -> Registration:
    """Register ``logged`` as a new version and give it its alias."""
    client, name = tracker.client, tracker.settings.registered_name(variant)
    if not registered_model_exists(client, name):
        try:
            client.create_registered_model(
                name,
                tags={"variant": variant},
                description=f"Models of the ml-workflow variant {variant!r}.",
            )
        except Exception:  # noqa: BLE001 - registered meanwhile by another run?
            if not registered_model_exists(client, name):
                raise
    current = version_by_alias(client, name, CHAMPION)
    promotion = promotion_decision(
        task,
        metric,
        score,
        Champion.of(current) if current is not None else None,
        tracker.settings.promotion.tolerance,
    )
    with tracker.process_wide():  # resolving the models:/ source uses it
        version = client.create_model_version(
            name,
            source=logged.model_uri,
            run_id=run_id,
            model_id=logged.model_id,
            tags={
                KEDRO_VERSION_TAG: logged.kedro_version,
                SHA256_TAG: logged.sha256,
                METRIC_TAG: metric,
                SCORE_TAG: repr(float(score)),
            },
            description=promotion.reason,
        )
    client.set_registered_model_alias(name, promotion.alias, version.version)
    client.set_model_version_tag(name, version.version, PROMOTION_TAG, promotion.alias)
    return Registration(name=name, version=int(version.version), promotion=promotion)


def promote_by_hand(tracker: Tracker, variant: str, version: int) -> str:
    """Make ``version`` the variant's champion; return the registered name.

    A challenger promoted by hand is no longer the challenger (a version is
    one or the other)."""
    client, name = tracker.client, tracker.settings.registered_name(variant)
    versions = (
        client.search_model_versions(filter_string=f"name = '{name}'")
        if registered_model_exists(client, name)
        else []
    )
    if not any(int(v.version) == version for v in versions):
        raise TrackingError(
            f"the registered model {name!r} has no version {version} to promote "
            f"(versions: {sorted(int(v.version) for v in versions)})"
        )
    client.set_registered_model_alias(name, CHAMPION, str(version))
    if CHALLENGER in aliases_by_version(client, name).get(version, []):
        client.delete_registered_model_alias(name, CHALLENGER)
    client.set_model_version_tag(
        name, str(version), PROMOTION_TAG, "champion (by hand)"
    )
    return name


__all__ = [
    "Champion",
    "Promotion",
    "aliases_by_version",
    "Registration",
    "promote_by_hand",
    "promotion_decision",
    "register_model",
    "version_by_alias",
]
