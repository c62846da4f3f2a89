"""Scoped reads of the indices: rankings with 环比/同比, one score's breakdown, the posts behind it.

Every number a ranking shows opens into its inputs: `score_breakdown` re-evaluates the stored
inputs with the registered formula and says whether it gives the stored value again, and
`score_posts` lists the posts an account's score was made from, with the metrics as counted.
"""

from mediamatrix.indices.selectors.rankings import *  # noqa: F403
from mediamatrix.indices.selectors.scores import *  # noqa: F403
