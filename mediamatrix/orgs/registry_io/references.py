"""How a cell names a unit, both ways: a division code or the full path of names from the top.

A unit name alone is ambiguous (every county has a 城关镇), so a reference is either the unit's
12-digit statistical division code or the names of its ancestors and itself from the topmost unit
down, separated by “/”: `临江市/东湖区/东湖街道`. Exports write the path, which people can read; a
unit whose own name or an ancestor's contains “/” is written by its division code instead.
"""

from collections.abc import Iterable

from django.utils.translation import gettext as _

from mediamatrix.core.tree import path_ids
from mediamatrix.orgs.models import Unit
from mediamatrix.orgs.registry_io.columns import fold
from mediamatrix.orgs.registry_io.values import (
    CellError,
    looks_like_division_code,
    parse_division_code,
)

SEPARATOR = "/"


class UnitNotFound(CellError):
    """No unit answers to the reference (callers word this like "out of your scope")."""


def split_path(reference: str) -> list[str]:
    normalised = reference.replace("／", SEPARATOR).replace("\\", SEPARATOR)
    return [part.strip() for part in normalised.split(SEPARATOR) if part.strip()]


class UnitResolver:
    """Finds units by reference for one import, remembering what it found."""

    def __init__(self) -> None:
        self._found: dict[str, Unit] = {}

    def resolve(self, reference: str) -> Unit:
        key = fold(reference)
        unit = self._found.get(key)
        if unit is None:
            unit = self._lookup(reference)
            self._found[key] = unit
        return unit

    def forget(self) -> None:
        """Drop remembered units (after a rename, a path may name another unit)."""
        self._found.clear()

    def _lookup(self, reference: str) -> Unit:
        if looks_like_division_code(reference):
            code = parse_division_code(reference)
            unit = Unit.objects.filter(division_code=code).first()
            if unit is None:
                raise UnitNotFound(code)
            return unit
        names = split_path(reference)
        if not names:
            raise UnitNotFound(reference)
        parent: Unit | None = None
        for depth, name in enumerate(names, start=1):
            candidates = list(Unit.objects.filter(parent=parent, name=name).order_by("pk")[:2])
            if not candidates:
                raise UnitNotFound(reference)
            if len(candidates) > 1:
                raise CellError(
                    _("“%(path)s”对应多个同名单位，请改用12位区划代码。")
                    % {"path": SEPARATOR.join(names[:depth])}
                )
            parent = candidates[0]
        assert parent is not None
        return parent


class UnitReferences:
    """Writes references for exports, loading the names of ancestors in batches."""

    def __init__(self) -> None:
        self._names: dict[int, str] = {}

    def preload(self, paths: Iterable[str]) -> None:
        wanted = {pk for path in paths if path for pk in path_ids(path)} - self._names.keys()
        if wanted:
            rows = Unit.objects.filter(pk__in=wanted).values_list("pk", "name")
            self._names.update(rows)

    def reference(self, unit: Unit | None) -> str:
        if unit is None:
            return ""
        self.preload([unit.path])
        names = [self._names.get(pk, "") for pk in path_ids(unit.path)]
        if any(SEPARATOR in name or "／" in name for name in names) and unit.division_code:
            return unit.division_code
        return SEPARATOR.join(names)
