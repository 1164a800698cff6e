"""What model selection and tuning will fit, decided from the validated parameters.

``select_model`` and ``tune_model`` skip work that has nothing to decide: one
candidate is chosen without cross-validation, an empty search space (or
``search.strategy: none``) is not searched, and a null threshold is not tuned.
``WarmWorkersHooks`` must know the same thing before the run starts (warm
joblib workers only for runs that fit in them), so both read it here: one
definition, and the hook cannot drift from the nodes.

It imports the configuration models only; the hook imports it when a run
starts, after the pipeline registry has loaded the modelling package anyway.
"""

from __future__ import annotations

from collections.abc import Sequence

from ml_workflow.core.config import Candidate, ModelSelection, Search


def compares_candidates(candidates: Sequence[Candidate]) -> bool:
    """Whether ``select_model`` cross-validates: more than one candidate to
    compare (a single one is chosen without a comparison)."""
    return len(candidates) > 1


def searches(candidate: Candidate, search: Search) -> bool:
    """Whether ``tune_model`` runs a search for ``candidate``: a strategy other
    than ``none`` over a non-empty space."""
    return search.strategy != "none" and bool(candidate.search_space)


def tunes_threshold(model_selection: ModelSelection) -> bool:
    """Whether ``tune_model`` tunes a decision threshold on folds (validation
    fills the binary default and refuses one for any other task)."""
    return model_selection.threshold is not None


def fits_in_workers(
    candidates: Sequence[Candidate], model_selection: ModelSelection
) -> bool:
    """Whether selection or tuning cross-validates anything, which is what the
    run's joblib workers are for; only the final refit of a single candidate
    with nothing to search or tune runs in the run's own process."""
    return (
        compares_candidates(candidates)
        or any(searches(c, model_selection.search) for c in candidates)
        or tunes_threshold(model_selection)
    )


__all__ = ["compares_candidates", "fits_in_workers", "searches", "tunes_threshold"]
