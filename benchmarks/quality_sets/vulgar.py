"""Vulgar, sexual, gory and abusive words (低俗) on ToxiCN (Zhihu and Tieba comments).

Positives are the general offensive rows (toxic_type 1), negatives the non-toxic rows (0); a row
counts as flagged when the check finds anything in it. Hate speech rows (2) are group-directed
and often contain no vulgar word at all: they are left out of the P/R/F1 and reported on their
own as the share flagged. No target is set. As a precision check on the kind of text the
platform reviews, the share of ordinary news articles flagged (neardup/news_dev.jsonl, assumed
clean) is reported beside it.
"""

import json
from pathlib import Path

from benchmarks.quality_sets import Result, prf
from mediamatrix.engines.checks import CheckContext, Document, load_builtin, run_checks

NAME = "vulgar"
FILE = Path("offensive/toxicn_dev.jsonl")
NEWS = Path("neardup/news_dev.jsonl")


def _read(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def _flagged(context: CheckContext, title: str, body: str) -> bool:
    report = run_checks(Document(title=title, body=body), context, only=["vulgar"])
    return bool(report.findings)


def evaluate(data_dir: Path) -> list[Result]:
    path = data_dir / FILE
    if not path.exists():
        return []
    load_builtin()
    context = CheckContext()
    rows = _read(path)
    flagged = {0: 0, 1: 0, 2: 0}
    totals = {0: 0, 1: 0, 2: 0}
    for row in rows:
        kind = int(str(row["toxic_type"]))
        totals[kind] += 1
        flagged[kind] += _flagged(context, "", str(row["content"]))
    tp, fp = flagged[1], flagged[0]
    precision, recall, f1 = prf(tp, fp, totals[1] - tp)
    extra: dict[str, object] = {"tp": tp, "fp": fp, "fn": totals[1] - tp, "tn": totals[0] - fp}
    if (data_dir / NEWS).exists():
        news = _read(data_dir / NEWS)
        hits = sum(_flagged(context, str(r["title"]), str(r["content"])) for r in news)
        extra["news_flagged"] = f"{hits}/{len(news)}"
    return [
        Result(
            check="vulgar",
            dataset=f"ToxiCN dev, offensive vs none ({totals[1]}+{totals[0]})",
            precision=round(precision, 3),
            recall=round(recall, 3),
            f1=round(f1, 3),
            target="none set (report)",
            extra=extra,
        ),
        Result(
            check="vulgar",
            dataset=f"ToxiCN dev, hate speech ({totals[2]})",
            recall=round(flagged[2] / totals[2], 3) if totals[2] else None,
            target="none set (share flagged)",
            extra={"flagged": flagged[2]},
        ),
    ]
