"""Rumour matching on CHECKED (COVID-19 Weibo): each false post against the library of debunks.

The library is the development set's distinct `debunk` texts (claims are not given: the library
takes the statements a debunk quotes as its claim). Each false post should match its own debunk;
true posts should match nothing. Two set-ups:

- **given**: the debunks as published, which quote the rumour word for word;
- **quotes removed**: every quoted passage taken out of each debunk (“…”, 「…」, "…", and a
  leading fragment up to a closing quote whose opening was cut off), leaving only the refutation.

Figures, from the `rumour` check run as the pipeline runs it (title-less posts):

- recall@1: false posts raised as a finding whose first finding is their own debunk (a tie on
  score with other debunks counts 1/k); `same_claim`: or a debunk quoting the very same claim;
- rank@1: the same without thresholds (the library's first match, findings or not);
- true_flagged: true posts with a finding; true_suggested: true posts with suggestions only;
- speed: a library of 5,000 debunks (these plus news paragraphs from neardup/news_dev.jsonl):
  median CPU milliseconds per query (`match`, normalisation included) for the CHECKED posts
  and for whole news articles.
"""

from __future__ import annotations

import json
import re
import statistics
import time
from pathlib import Path
from typing import Any

from mediamatrix.engines.checks import CheckContext, Document, load_builtin, run_checks
from mediamatrix.engines.checks.rumours import Debunk, DebunkLibrary, quoted_claims

from . import Result

NAME = "rumours"
TARGET = "recall@1 ≥ 0.9, ≤ 1% true flagged"
_QUOTED = re.compile(r"^[^“”]*”|“[^“”]*”|「[^「」]*」|\"[^\"]*\"")
_NOT_WORD = re.compile(r"\W+")
LIBRARY_SIZE = 5000


def remove_quotes(text: str) -> str:
    return _QUOTED.sub("", text)


def _rows(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def evaluate(data_dir: Path) -> list[Result]:
    folder = data_dir / "rumor"
    fake_path, real_path = folder / "checked_fake_dev.jsonl", folder / "checked_real_dev.jsonl"
    if not fake_path.exists() or not real_path.exists():
        return []
    load_builtin()
    fake, real = _rows(fake_path), _rows(real_path)
    texts = sorted({row["debunk"] for row in fake})
    results = []
    for setup, prepare in (("given", str), ("quotes removed", remove_quotes)):
        library = DebunkLibrary(Debunk(f"d{i}", text=prepare(t)) for i, t in enumerate(texts))
        results.append(_measure(setup, library, texts, fake, real))
    results[0].extra.update(_speed(data_dir, texts, fake, real))
    return results


def _claim_key(text: str) -> str:
    return _NOT_WORD.sub("", quoted_claims(text).split("\n", 1)[0])


def _measure(
    setup: str,
    library: DebunkLibrary,
    texts: list[str],
    fake: list[dict[str, Any]],
    real: list[dict[str, Any]],
) -> Result:
    context = CheckContext(resources={"debunks": library})
    own = {text: f"d{i}" for i, text in enumerate(texts)}
    keys = {f"d{i}": _claim_key(text) for i, text in enumerate(texts)}
    hits = same = ranked = raised_wrong = suggested_fake = 0.0
    for row in fake:
        target = own[row["debunk"]]
        share = _first_share(library, row["text"], target)
        ranked += share
        findings = _findings(row["text"], context)
        raised = [f for f in findings if f.severity != "info"]
        if raised:
            first = raised[0].evidence["debunk_id"]
            hits += share  # the first finding is the library's first match
            same += 1 if keys[first] == keys[target] else 0
            raised_wrong += 1 - share
        elif findings:
            suggested_fake += 1
    flagged = suggested = 0
    for row in real:
        findings = _findings(row["text"], context)
        if any(f.severity != "info" for f in findings):
            flagged += 1
        elif findings:
            suggested += 1
    # A false post raised under another debunk is a false alarm too (and a miss).
    precision = hits / (hits + raised_wrong + flagged) if hits + raised_wrong + flagged else 0.0
    recall = hits / len(fake)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    rate = flagged / len(real)
    return Result(
        check="rumour",
        dataset=f"CHECKED dev, {setup} ({len(texts)} debunks, {len(fake)}+{len(real)})",
        precision=precision,
        recall=recall,
        f1=f1,
        target=TARGET,
        met=recall >= 0.9 and rate <= 0.01,
        extra={
            "recall@1_same_claim": round(same / len(fake), 3),
            "rank@1": round(ranked / len(fake), 3),
            "fake_suggested_only": round(suggested_fake / len(fake), 3),
            "true_flagged": round(rate, 4),
            "true_suggested": round(suggested / len(real), 4),
        },
    )


def _findings(text: str, context: CheckContext) -> list[Any]:
    report = run_checks(Document(body=text), context, only=["rumour"])
    return sorted(report.findings, key=lambda f: -f.score)


def _first_share(library: DebunkLibrary, text: str, target: str) -> float:
    """1/k when the target is among the k debunks tied for the best score, else 0."""
    found = library.match(text, limit=20, minimum=0.0)
    if not found:
        return 0.0
    best = [m.debunk.id for m in found if m.score >= found[0].score - 1e-9]
    return 1 / len(best) if target in best else 0.0


def _speed(
    data_dir: Path, texts: list[str], fake: list[dict[str, Any]], real: list[dict[str, Any]]
) -> dict[str, Any]:
    news_path = data_dir / "neardup" / "news_dev.jsonl"
    if not news_path.exists():
        return {}
    news = [row["content"] for row in _rows(news_path)]
    debunks = [Debunk(f"d{i}", text=t) for i, t in enumerate(texts)]
    paragraphs = [p for article in news for p in re.split(r"(?<=。)", article) if len(p) > 30]
    while len(debunks) < LIBRARY_SIZE:
        chunk = paragraphs[len(debunks) % len(paragraphs)]
        debunks.append(Debunk(f"n{len(debunks)}", claim=chunk[:40], text=chunk))
    started = time.perf_counter()
    library = DebunkLibrary(debunks)
    built = time.perf_counter() - started
    posts = [row["text"] for row in fake + real]
    return {
        "build_s_5000": round(built, 2),
        "ms_per_post_5000": _median_ms(library, posts),
        "ms_per_article_5000": _median_ms(library, news[:200]),
        "article_chars": int(statistics.median(len(t) for t in news[:200])),
    }


def _median_ms(library: DebunkLibrary, queries: list[str]) -> float:
    timings = []
    for text in queries:
        started = time.process_time()  # CPU time: steadier than the clock on a shared machine
        library.match(text)
        timings.append(time.process_time() - started)
    return round(statistics.median(timings) * 1000, 2)
