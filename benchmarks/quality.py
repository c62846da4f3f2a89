"""Quality of the content checks on labelled public sets: precision, recall and F1 per check.

    .venv/bin/python benchmarks/quality.py --data ../shared/data [--only clickbait,typo] [--json]

The sets are not part of the project (their licences are for research); the script reads them
from --data and skips any that are missing. Each family is measured by a module in
benchmarks/quality_sets/ (clickbait, typos, vulgarity, rumours, near-duplicates); targets are the
ones the project set itself, printed beside the figures, met or not.
"""

import argparse
import importlib
import json
import pkgutil
import sys
import time
from dataclasses import asdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import quality_sets  # noqa: E402
from benchmarks.quality_sets import Result  # noqa: E402


def _modules(only: set[str] | None) -> list[str]:
    names = sorted(m.name for m in pkgutil.iter_modules(quality_sets.__path__))
    return [n for n in names if only is None or n in only]


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="the labelled sets' folder")
    parser.add_argument("--only", default="", help="comma-separated module names")
    parser.add_argument("--json", action="store_true", help="print the results as JSON lines")
    args = parser.parse_args()
    if not args.data.is_dir():
        print(f"no data at {args.data}: nothing to measure (skipped)")
        return 0
    only = {name.strip() for name in args.only.split(",") if name.strip()} or None
    results: list[Result] = []
    for name in _modules(only):
        module = importlib.import_module(f"benchmarks.quality_sets.{name}")
        started = time.perf_counter()
        rows = module.evaluate(args.data)
        for row in rows:
            row.extra.setdefault("seconds", round(time.perf_counter() - started, 1))
        results.extend(rows)
        if not rows:
            print(f"[{name}] data missing: skipped", file=sys.stderr)
    if args.json:
        for row in results:
            print(json.dumps(asdict(row), ensure_ascii=False))
        return 0
    print(f"{'check':<14}{'set':<44}{'P':>7}{'R':>7}{'F1':>7}  target / met  other")
    for row in results:
        met = "" if row.met is None else ("✓" if row.met else "✗")
        extra = ", ".join(f"{k}={v}" for k, v in row.extra.items())
        print(
            f"{row.check:<14}{row.dataset:<44}{_fmt(row.precision):>7}{_fmt(row.recall):>7}"
            f"{_fmt(row.f1):>7}  {row.target} {met}  {extra}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
