"""The formula registry: every index is a named, versioned, documented function of plain numbers.

A formula takes a mapping of inputs (``R``, ``n``, ``d`` …) and parameters, and returns an
`IndexResult` with the value and every intermediate term, so a page can show how a number was made
and a later run can prove it makes the same number again (`IndexResult.input_hash`).
"""

import hashlib
import json
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType

ENGINE_VERSION = "1"

Numbers = Mapping[str, float]
Compute = Callable[[Numbers, Numbers], tuple[float, dict[str, float]]]


class FormulaError(ValueError):
    """Unknown formula, or inputs that are missing or cannot be used."""


@dataclass(frozen=True)
class InputSpec:
    key: str
    zh: str
    en: str


@dataclass(frozen=True)
class Formula:
    name: str  # what the CLI, the settings and stored scores call it: "wci-v14.2"
    version: str  # the formula's own version: "14.2"
    family: str  # "wci", "bci" …: formulas of one family rank on one scale
    title: str  # Chinese title
    title_en: str
    expression: str  # the published formula, for pages and docs
    inputs: tuple[InputSpec, ...]
    compute: Compute
    params: Mapping[str, float] = field(default_factory=lambda: MappingProxyType({}))
    optional: frozenset[str] = frozenset()  # inputs that default to 0 when absent
    source: str = ""  # who published it, or "mediamatrix" for our own renderings

    def input_keys(self) -> tuple[str, ...]:
        return self._keys

    @cached_property
    def _keys(self) -> tuple[str, ...]:  # read once per evaluation: made once per formula
        return tuple(spec.key for spec in self.inputs)

    def evaluate(self, inputs: Numbers, params: Numbers | None = None) -> "IndexResult":
        clean = self._clean(inputs)
        merged = {**self.params, **(params or {})}
        unknown = set(params or {}) - set(self.params)
        if unknown:
            raise FormulaError(f"{self.name}: unknown parameter(s) {', '.join(sorted(unknown))}")
        value, terms = self.compute(clean, merged)
        return IndexResult(
            formula=self.name,
            version=self.version,
            value=value,
            terms=MappingProxyType(terms),
            inputs=MappingProxyType(clean),
            params=MappingProxyType(merged),
        )

    def _clean(self, inputs: Numbers) -> dict[str, float]:
        clean: dict[str, float] = {}
        for key in self.input_keys():
            if key not in inputs or inputs[key] is None:
                if key in self.optional:
                    clean[key] = 0.0
                    continue
                raise FormulaError(f"{self.name}: input {key!r} is missing")
            try:
                number = float(inputs[key])
            except (TypeError, ValueError) as error:
                raise FormulaError(f"{self.name}: input {key!r} is not a number") from error
            if not math.isfinite(number) or number < 0:
                raise FormulaError(f"{self.name}: input {key!r} must be a number ≥ 0")
            clean[key] = number
        return clean


@dataclass(frozen=True)
class IndexResult:
    formula: str
    version: str
    value: float
    terms: Mapping[str, float]
    inputs: Mapping[str, float]
    params: Mapping[str, float]

    @property
    def input_hash(self) -> str:
        """A digest of formula, version, inputs and parameters: equal hashes, equal values."""
        return input_hash(self.formula, self.version, self.inputs, self.params)


def input_hash(formula: str, version: str, inputs: Numbers, params: Numbers) -> str:
    payload = json.dumps(
        {
            "engine": ENGINE_VERSION,
            "formula": formula,
            "version": version,
            "inputs": {key: float(value) for key, value in sorted(inputs.items())},
            "params": {key: float(value) for key, value in sorted(params.items())},
        },
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def ln1(x: float) -> float:
    """ln(x + 1): the normalisation every published index uses; 0 for no activity."""
    return math.log1p(x)


def per(total: float, count: float) -> float:
    """A ratio that is 0 when there is nothing to divide by (no posts, no days)."""
    return total / count if count > 0 else 0.0


_registry: dict[str, Formula] = {}


def register(formula: Formula) -> Formula:
    if formula.name in _registry:
        raise FormulaError(f"formula {formula.name!r} is already registered")
    _registry[formula.name] = formula
    return formula


def get(name: str) -> Formula:
    try:
        return _registry[name]
    except KeyError:
        known = ", ".join(sorted(_registry))
        raise FormulaError(f"unknown formula {name!r}; known: {known}") from None


def formulas() -> list[Formula]:
    return [_registry[name] for name in sorted(_registry)]
