"""Typos and wrong terms (`typo` and `term` checks) on spelling-check sets; false flags on clean prose.

Precision is measured at the detection level: each finding flags the positions of the input
where its excerpt differs from its suggestion (for a repeat, the second copy; for a missing
character, the one before the gap; the whole span when there is no suggestion); a flagged position that is a labelled error position is a true
positive, any other flagged position a false positive, and a labelled position nobody flagged a
false negative. The sets' `errors` give 0-based positions in `source`; findings' spans index the
original text, so the traditional-character set is measured on its own characters.

On the clean People's Daily sentences every flag is false: the figure is the share of sentences
with at least one `typo`/`term` finding (target ≤ 2%), with the `number` and `punctuation`
checks' rates beside it (those sentences are cut out of articles, so a quotation opened in an
earlier sentence shows as unbalanced here).
"""

import json
from pathlib import Path

from benchmarks.quality_sets import Result, prf
from mediamatrix.engines.checks import CheckContext, Document, Finding, load_builtin, run_checks

NAME = "typos"
SETS = (
    ("csc/sighan15_simplified.jsonl", "SIGHAN-15 test, simplified"),
    ("csc/sighan15_traditional.jsonl", "SIGHAN-15 test, traditional"),
    ("csc/lemon_dev.jsonl", "LEMON dev"),
)
CLEAN = "csc/clean_rmrb_dev.jsonl"
TYPO_CHECKS = ["typo", "term"]
MIN_PRECISION = 0.7
MAX_CLEAN_RATE = 0.02


def flagged_positions(finding: Finding) -> set[int]:
    """The input positions a finding says are wrong: where its excerpt and suggestion differ."""
    excerpt, suggestion, start = finding.excerpt, finding.suggestion, finding.start
    if not suggestion or len(excerpt) != finding.end - start:
        return set(range(start, finding.end))
    if len(suggestion) == len(excerpt):
        pairs = zip(excerpt, suggestion, strict=True)
        return {start + k for k, (a, b) in enumerate(pairs) if a != b}
    # Different lengths (a repeat to delete, a missing character): trim what both share.
    shortest = min(len(excerpt), len(suggestion))
    head = next((k for k in range(shortest) if excerpt[k] != suggestion[k]), shortest)
    tail = 0
    while tail < shortest - head and excerpt[-1 - tail] == suggestion[-1 - tail]:
        tail += 1
    end = len(excerpt) - tail
    return set(range(start + head, start + end)) if end > head else {start + max(head - 1, 0)}


def _rows(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def _labelled(path: Path, label: str, context: CheckContext) -> Result:
    rows = _rows(path)
    tp = fp = fn = 0
    by_rule: dict[str, list[int]] = {}
    for row in rows:
        source = str(row["source"])
        gold = {int(error[0]) for error in row["errors"]}  # type: ignore[attr-defined]
        flagged: set[int] = set()
        for finding in run_checks(Document(body=source), context, only=TYPO_CHECKS).findings:
            positions = flagged_positions(finding)
            counts = by_rule.setdefault(finding.rule, [0, 0])
            counts[0] += len(positions & gold)
            counts[1] += len(positions - gold)
            flagged |= positions
        tp += len(flagged & gold)
        fp += len(flagged - gold)
        fn += len(gold - flagged)
    precision, recall, f1 = prf(tp, fp, fn)
    return Result(
        check="typo+term",
        dataset=f"{label} ({len(rows)})",
        precision=round(precision, 3),
        recall=round(recall, 3),
        f1=round(f1, 3),
        target=f"P ≥ {MIN_PRECISION}" if "SIGHAN" in label else "",
        met=precision >= MIN_PRECISION if "SIGHAN" in label else None,
        extra={
            "tp": tp,
            "fp": fp,
            "fn": fn,
            "rules": {rule: f"{t}/{f}" for rule, (t, f) in sorted(by_rule.items())},
        },
    )


def _clean(path: Path, context: CheckContext) -> Result:
    rows = _rows(path)
    checks = ["typo", "term", "number", "punctuation"]
    flagged = dict.fromkeys(checks, 0)
    typo_flagged = 0
    for row in rows:
        findings = run_checks(Document(body=str(row["source"])), context, only=checks).findings
        for name in checks:
            flagged[name] += any(f.category == name for f in findings)
        typo_flagged += any(f.category in TYPO_CHECKS for f in findings)
    typo_rate = typo_flagged / max(len(rows), 1)
    return Result(
        check="typo+term",
        dataset=f"People's Daily clean sentences ({len(rows)})",
        target=f"false flags ≤ {MAX_CLEAN_RATE:.0%} of sentences",
        met=typo_rate <= MAX_CLEAN_RATE,
        extra={
            "false_flag_rate": round(typo_rate, 4),
            **{f"{name}_flagged": count for name, count in flagged.items()},
        },
    )


def evaluate(data_dir: Path) -> list[Result]:
    present = [(data_dir / file, label) for file, label in SETS if (data_dir / file).exists()]
    if not present and not (data_dir / CLEAN).exists():
        return []
    load_builtin()
    context = CheckContext()
    results = [_labelled(path, label, context) for path, label in present]
    if (data_dir / CLEAN).exists():
        results.append(_clean(data_dir / CLEAN, context))
    return results
