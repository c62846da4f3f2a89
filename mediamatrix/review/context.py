"""The check context the platform runs with: deployment word lists and the shared indexes.

Indexes other parts of the app provide (the debunk library, the near-duplicate store) register a
factory here by resource name, so the pipeline needs no knowledge of them.
"""

from collections.abc import Callable
from typing import Any

from django.conf import settings

from mediamatrix.engines.checks import CheckContext

ResourceFactory = Callable[[], Any]
_factories: dict[str, ResourceFactory] = {}


def register_resource(name: str, factory: ResourceFactory) -> None:
    """`factory()` is called for each check context; it should cache what is costly to build."""
    _factories[name] = factory


def check_context(**overrides: Any) -> CheckContext:
    resources = {name: factory() for name, factory in _factories.items()}
    resources.update(overrides)
    return CheckContext(extra_dirs=settings.MEDIAMATRIX_CHECK_LEXICON_DIRS, resources=resources)
