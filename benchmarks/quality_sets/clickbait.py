"""Clickbait headlines (标题党) on HanCD: news from Sina and Tencent, labelled clickbait or not.

A row counts as flagged when the `clickbait.headline` rule fires (any severity: one weak device
gives an `info` hint for the editor); a second row counts only findings of severity `low` or
above, the ones that reach the review queue. `clickbait.unrelated` (a title sharing almost
nothing with its body) is reported beside them, not in the F1: many Tencent rows in this set pair
a title with another article's body, under either label.
"""

import json
from pathlib import Path

from benchmarks.quality_sets import Result, prf
from mediamatrix.engines.checks import CheckContext, Document, load_builtin, run_checks

NAME = "clickbait"
FILE = Path("clickbait/hancd_dev.jsonl")
QUEUED = ("low", "medium", "high")


def _result(dataset: str, labels: list[int], flags: list[bool], target: str) -> Result:
    tp = sum(1 for label, flag in zip(labels, flags, strict=True) if flag and label)
    fp = sum(1 for label, flag in zip(labels, flags, strict=True) if flag and not label)
    fn = sum(1 for label, flag in zip(labels, flags, strict=True) if label and not flag)
    precision, recall, f1 = prf(tp, fp, fn)
    return Result(
        check="clickbait",
        dataset=dataset,
        precision=round(precision, 3),
        recall=round(recall, 3),
        f1=round(f1, 3),
        target=target,
        met=f1 >= 0.7 if target else None,
        extra={"tp": tp, "fp": fp, "fn": fn, "tn": len(labels) - tp - fp - fn},
    )


def evaluate(data_dir: Path) -> list[Result]:
    path = data_dir / FILE
    if not path.exists():
        return []
    load_builtin()
    context = CheckContext()
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    labels: list[int] = []
    any_flag: list[bool] = []
    queued: list[bool] = []
    unrelated = {0: 0, 1: 0}
    for row in rows:
        doc = Document(title=row["title"], body=row["content"])
        findings = run_checks(doc, context, only=["clickbait"]).findings
        headline = [f for f in findings if f.rule == "clickbait.headline"]
        labels.append(int(row["label"]))
        any_flag.append(bool(headline))
        queued.append(any(f.severity in QUEUED for f in headline))
        unrelated[labels[-1]] += any(f.rule == "clickbait.unrelated" for f in findings)
    main = _result(f"HanCD dev ({len(rows)})", labels, any_flag, "F1 ≥ 0.7")
    main.extra |= {"unrelated_on_clickbait": unrelated[1], "unrelated_on_other": unrelated[0]}
    return [main, _result(f"HanCD dev ({len(rows)}), severity ≥ low", labels, queued, "")]
