"""Every write of the indices app: score computation and bulletin generation."""

from mediamatrix.indices.services.bulletins import (
    bulletin_build,
    bulletin_file_path,
    bulletin_generate,
    bulletin_render,
    bulletins_scheduled,
)
from mediamatrix.indices.services.scores import (
    score_run_create,
    scores_compute,
    scores_ensure,
)

__all__ = ["score_run_create", "scores_compute", "scores_ensure"]
__all__ += [
    "bulletin_build",
    "bulletin_file_path",
    "bulletin_generate",
    "bulletin_render",
    "bulletins_scheduled",
]
