"""Typos, wrong canonical terms, broken numbers and punctuation (错别字、表述错误、数字、标点).

Importing the package registers four checks (see `checks.py`); the rules live in one module
each: `terms`, `confusions`, `statistical`, `repeats`, `numbers`, `punctuation`, over the lists
in `mediamatrix/engines/checks/data/` (terms_*, confusions_*, typos_*, shapes_*, numbers_*).
"""

from . import checks  # noqa: F401
