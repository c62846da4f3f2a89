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
earlier sentence shows as unbalanced here). Each labelled set is also measured on the findings
that reach the review queue (severity ≥ low; statistical guesses of small gain are "info").
Professionally edited modern news (the near-duplicate set's articles, unlabelled) gives the
findings per 1,000 characters per check: almost all of them are false alarms.
"""

import json
from dataclasses import dataclass, field
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
NEWS = "neardup/news_dev.jsonl"
TYPO_CHECKS = ["typo", "term"]
ALL_CHECKS = ["typo", "term", "number", "punctuation"]
QUEUED = ("low", "medium", "high")  # what reaches the review queue by default
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


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    rules: dict[str, list[int]] = field(default_factory=dict)

    def add(self, findings: list[Finding], gold: set[int]) -> None:
        flagged: set[int] = set()
        for finding in findings:
            positions = flagged_positions(finding)
            counts = self.rules.setdefault(finding.rule, [0, 0])
            counts[0] += len(positions & gold)
            counts[1] += len(positions - gold)
            flagged |= positions
        self.tp += len(flagged & gold)
        self.fp += len(flagged - gold)
        self.fn += len(gold - flagged)

    def result(self, dataset: str, target: bool) -> Result:
        precision, recall, f1 = prf(self.tp, self.fp, self.fn)
        return Result(
            check="typo+term",
            dataset=dataset,
            precision=round(precision, 3),
            recall=round(recall, 3),
            f1=round(f1, 3),
            target=f"P ≥ {MIN_PRECISION}" if target else "",
            met=precision >= MIN_PRECISION if target else None,
            extra={
                "tp": self.tp,
                "fp": self.fp,
                "fn": self.fn,
                "rules": {rule: f"{t}/{f}" for rule, (t, f) in sorted(self.rules.items())},
            },
        )


def _labelled(path: Path, label: str, context: CheckContext) -> list[Result]:
    rows = _rows(path)
    every, queued = Tally(), Tally()
    for row in rows:
        gold = {int(error[0]) for error in row["errors"]}  # type: ignore[attr-defined]
        doc = Document(body=str(row["source"]))
        findings = list(run_checks(doc, context, only=TYPO_CHECKS).findings)
        every.add(findings, gold)
        queued.add([f for f in findings if f.severity in QUEUED], gold)
    target = "SIGHAN" in label
    return [
        every.result(f"{label} ({len(rows)})", target),
        queued.result(f"{label} ({len(rows)}), severity ≥ low", False),
    ]


def _clean(path: Path, context: CheckContext) -> Result:
    rows = _rows(path)
    flagged = dict.fromkeys(ALL_CHECKS, 0)
    typo_flagged = queued = 0
    for row in rows:
        findings = run_checks(Document(body=str(row["source"])), context, only=ALL_CHECKS).findings
        for name in ALL_CHECKS:
            flagged[name] += any(f.category == name for f in findings)
        typo = [f for f in findings if f.category in TYPO_CHECKS]
        typo_flagged += bool(typo)
        queued += any(f.severity in QUEUED for f in typo)
    typo_rate = typo_flagged / max(len(rows), 1)
    return Result(
        check="typo+term",
        dataset=f"People's Daily clean sentences ({len(rows)})",
        target=f"false flags ≤ {MAX_CLEAN_RATE:.0%} of sentences",
        met=typo_rate <= MAX_CLEAN_RATE,
        extra={
            "false_flag_rate": round(typo_rate, 4),
            "false_flag_rate_severity_ge_low": round(queued / max(len(rows), 1), 4),
            **{f"{name}_flagged": count for name, count in flagged.items()},
        },
    )


def _news(path: Path, context: CheckContext) -> Result:
    """Findings per 1,000 characters on professionally edited news (unlabelled: mostly false)."""
    rows = _rows(path)
    chars = 0
    every: dict[str, int] = dict.fromkeys(ALL_CHECKS, 0)
    queued: dict[str, int] = dict.fromkeys(ALL_CHECKS, 0)
    for row in rows:
        doc = Document(title=str(row["title"]), body=str(row["content"]))
        chars += len(doc.body) + len(doc.title)
        for finding in run_checks(doc, context, only=ALL_CHECKS).findings:
            every[finding.category] += 1
            queued[finding.category] += finding.severity in QUEUED
    per = 1000 / max(chars, 1)
    return Result(
        check="typo+term",
        dataset=f"news articles, unlabelled ({len(rows)}, {chars} chars)",
        extra={
            **{f"{name}_per_1000": round(every[name] * per, 3) for name in ALL_CHECKS},
            **{f"{name}_ge_low_per_1000": round(queued[name] * per, 3) for name in ALL_CHECKS},
        },
    )


def evaluate(data_dir: Path) -> list[Result]:
    present = [(data_dir / file, label) for file, label in SETS if (data_dir / file).exists()]
    if not present and not (data_dir / CLEAN).exists():
        return []
    load_builtin()
    context = CheckContext()
    results = [row for path, label in present for row in _labelled(path, label, context)]
    if (data_dir / CLEAN).exists():
        results.append(_clean(data_dir / CLEAN, context))
    if (data_dir / NEWS).exists():
        results.append(_news(data_dir / NEWS, context))
    return results
