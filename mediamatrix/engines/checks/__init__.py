"""Content checks: a registry of rules over a normalised title and body, returning findings.

Each check has a name, a version and its categories; findings carry the rule, category,
severity, a 0–1 score, the span in the original text (through the normalisation offset map), a
message in Chinese and English, and evidence. Word lists are data files (`data/`) a deployment
can extend. Importing the package registers the built-in checks.
"""

from .context import DATA_DIR, CheckContext, lexicon_of
from .model import (
    CATEGORIES,
    SEVERITIES,
    CheckReport,
    Document,
    Field,
    Finding,
    Severity,
    finding_at,
)
from .registry import Check, Context, checks, get, register, run_checks, unregister

ENGINE_VERSION = "checks-1"


def load_builtin() -> None:
    """Import the built-in checks (each module registers its checks on import)."""
    from . import builtin  # noqa: F401


__all__ = [
    "CATEGORIES",
    "DATA_DIR",
    "ENGINE_VERSION",
    "SEVERITIES",
    "Check",
    "CheckContext",
    "CheckReport",
    "Context",
    "Document",
    "Field",
    "Finding",
    "Severity",
    "checks",
    "finding_at",
    "get",
    "lexicon_of",
    "load_builtin",
    "register",
    "run_checks",
    "unregister",
]
