"""The check registry: built-in checks and a deployment's own register the same way."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import replace
from types import MappingProxyType
from typing import Any, ClassVar, Protocol

from .model import CATEGORIES, CheckReport, Document, Finding

logger = logging.getLogger(__name__)


class Context(Protocol):
    """What checks may need beyond the text: lexicons and the shared indexes (duck-typed).

    `mediamatrix.engines.checks.context.CheckContext` is the default; the app passes one with
    the near-duplicate index and the debunk library backed by the database.
    """

    def resource(self, name: str) -> Any: ...


class Check:
    """A check: a name, a version, its categories, and `run` returning findings."""

    name: ClassVar[str]
    version: ClassVar[str]
    categories: ClassVar[tuple[str, ...]]
    title: ClassVar[str] = ""  # Chinese, for the rules page
    title_en: ClassVar[str] = ""

    def run(self, doc: Document, context: Context) -> Iterable[Finding]:
        raise NotImplementedError


_registry: dict[str, Check] = {}


def register[C: type[Check]](cls: C) -> C:
    """Class decorator: instantiate and register a check under its name."""
    unknown = set(cls.categories) - set(CATEGORIES)
    if unknown:
        raise ValueError(f"{cls.name}: unknown categories {sorted(unknown)}")
    _registry[cls.name] = cls()
    return cls


def unregister(name: str) -> None:
    """Remove a check (a deployment switching a built-in off, or a test's temporary check)."""
    _registry.pop(name, None)


def get(name: str) -> Check:
    return _registry[name]


def checks() -> list[Check]:
    return [_registry[name] for name in sorted(_registry)]


def run_checks(
    doc: Document, context: Context, *, only: Sequence[str] | None = None
) -> CheckReport:
    """Run every registered check (or those named); one failing check does not stop the rest."""
    findings: list[Finding] = []
    versions: dict[str, str] = {}
    errors: dict[str, str] = {}
    for check in checks():
        if only is not None and check.name not in only:
            continue
        versions[check.name] = check.version
        try:
            found = [replace(f, version=check.version) for f in check.run(doc, context)]
        except Exception as error:  # a broken rule must not hide the others' findings
            logger.exception("check %s failed", check.name)
            errors[check.name] = f"{type(error).__name__}: {error}"
            continue
        findings.extend(found)
    findings.sort(key=lambda f: (f.field != "title", f.start, f.end, f.rule))
    return CheckReport(tuple(findings), MappingProxyType(versions), MappingProxyType(errors))
