"""How simple each candidate is: the rank the simplicity rule prefers.

"Simplest" means the lowest ``complexity``; without one, the candidate's
position in the list (list the simple models first).
"""

from __future__ import annotations

from collections.abc import Sequence

from ml_workflow.core.config import Candidate


def complexity_of(candidates: Sequence[Candidate]) -> dict[str, float]:
    """Each candidate's complexity rank: explicit, else its list position."""
    return {
        candidate.name: float(
            position if candidate.complexity is None else candidate.complexity
        )
        for position, candidate in enumerate(candidates)
    }
