"""One module per labelled set family, each measuring one check on `../shared/data`-style data.

A module defines `NAME` (what it measures) and `evaluate(data_dir: Path) -> list[Result]`;
it returns [] when its files are missing. `benchmarks/quality.py` runs them all.
"""

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Result:
    check: str  # e.g. "clickbait"
    dataset: str  # e.g. "HanCD dev (514)"
    precision: float | None = None
    recall: float | None = None
    f1: float | None = None
    target: str = ""  # the target, in words
    met: bool | None = None  # None: no target for this row
    extra: dict[str, Any] = field(default_factory=dict)  # other figures (false-flag rate, p95 …)


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1
