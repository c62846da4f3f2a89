"""Every write of the indices app: score computation and bulletin generation."""

from mediamatrix.indices.services.scores import (
    score_run_create,
    scores_compute,
    scores_ensure,
)

__all__ = ["score_run_create", "scores_compute", "scores_ensure"]
