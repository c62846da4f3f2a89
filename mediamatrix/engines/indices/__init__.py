"""Index formulas, the four forces, reporting periods and ranking arithmetic: pure Python.

Importing the package registers the built-in formulas; `get(name)` and `formulas()` read the
registry and `register` adds a deployment's own.
"""

from . import articles, composite, video, wechat, weibo  # noqa: F401  (registration)
from .forces import (
    FORCE_NAMES,
    FORCE_WEIGHTS,
    INDICATORS,
    SYSTEM_VERSION,
    ForceScores,
    Indicator,
    four_forces,
    indicators,
    ln_scale,
    ratio_score,
)
from .formula import (
    ENGINE_VERSION,
    Formula,
    FormulaError,
    IndexResult,
    InputSpec,
    formulas,
    get,
    input_hash,
    register,
)
from .health import DORMANT_AFTER_DAYS, Spell, dormant_spells
from .periods import (
    KIND_NAMES,
    KINDS,
    Period,
    PeriodError,
    PeriodKind,
    containing,
    last_complete,
    parse_period,
)
from .ranking import change_ratio, competition_ranks

__all__ = [
    "DORMANT_AFTER_DAYS",
    "ENGINE_VERSION",
    "FORCE_NAMES",
    "FORCE_WEIGHTS",
    "INDICATORS",
    "KINDS",
    "KIND_NAMES",
    "SYSTEM_VERSION",
    "ForceScores",
    "Formula",
    "FormulaError",
    "IndexResult",
    "Indicator",
    "InputSpec",
    "Period",
    "PeriodError",
    "PeriodKind",
    "Spell",
    "change_ratio",
    "competition_ranks",
    "containing",
    "dormant_spells",
    "formulas",
    "four_forces",
    "get",
    "indicators",
    "input_hash",
    "last_complete",
    "ln_scale",
    "parse_period",
    "ratio_score",
    "register",
]
