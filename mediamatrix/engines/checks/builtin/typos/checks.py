"""The four registered checks: `term`, `typo`, `number` and `punctuation`.

Each runs on the normalised (simplified, width-folded) title and body and maps its spans back
to the original text, so a traditional-Chinese post is checked with the same lists and its
findings point into what the author wrote. Suggestions are in simplified characters.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import ClassVar

from ...model import Document, Field, Finding, Severity, finding_at
from ...registry import Check, Context, register
from . import confusions, numbers, punctuation, repeats, statistical, terms

FIELDS: tuple[Field, ...] = ("title", "body")


def _as_written(finding: Finding, found: str) -> Finding:
    """Quote the text as the author wrote it (traditional characters stay traditional)."""
    if not found or finding.excerpt == found:
        return finding
    quoted, written = f"“{found}”", f"“{finding.excerpt}”"
    return replace(
        finding,
        message=finding.message.replace(quoted, written),
        message_en=finding.message_en.replace(quoted, written),
    )


def _texts(doc: Document) -> Iterator[tuple[Field, str]]:
    for which in FIELDS:
        text = doc.norm(which).text
        if text:
            yield which, text


@register
class TermCheck(Check):
    name = "term"
    version = "term-1"
    categories = ("term",)
    title = "规范表述"
    title_en = "Canonical terms and formulations"

    def run(self, doc: Document, context: Context) -> Iterator[Finding]:
        for which, text in _texts(doc):
            for hit in terms.find(text, context):
                yield _as_written(_term_finding(doc, which, hit), hit.found)


def _term_finding(doc: Document, which: Field, hit: terms.TermHit) -> Finding:
    evidence = {"rule": hit.rule, "found": hit.found, "right": hit.right, "changed": hit.changed}
    if hit.rule == "year_zero":
        return finding_at(
            doc, which, hit.start, hit.end, rule="term.year_zero", category="term",
            severity="medium", score=0.9, suggestion=hit.right, evidence=evidence,
            message=f"年份中的“零”应写作“〇”：{hit.right}",
            message_en=f"Write 〇, not 零 or 0, in a year in Chinese numerals: {hit.right}",
        )  # fmt: skip
    if hit.rule == "variant":
        evidence["list"] = "terms_variants.txt"
        return finding_at(
            doc, which, hit.start, hit.end, rule="term.variant", category="term",
            severity="high", score=0.95, suggestion=hit.right, evidence=evidence,
            message=f"表述不规范：“{hit.found}”应为“{hit.right}”",
            message_en=f"Non-standard formulation: “{hit.found}” should read “{hit.right}”",
        )  # fmt: skip
    evidence.update({"list": "terms_canonical.txt", "kind": hit.kind, "edit": hit.edit})
    return finding_at(
        doc, which, hit.start, hit.end, rule="term.near_miss", category="term",
        severity="high", score=0.85 if hit.edit in ("sound", "shape") else 0.75,
        suggestion=hit.right, evidence=evidence,
        message=f"疑似规范表述写错：“{hit.found}”应为“{hit.right}”",
        message_en=f"A canonical term looks misspelt: “{hit.found}” should read “{hit.right}”",
    )  # fmt: skip


@register
class TypoCheck(Check):
    name = "typo"
    version = "typo-1"
    categories = ("typo",)
    title = "错别字"
    title_en = "Typos"

    def run(self, doc: Document, context: Context) -> Iterator[Finding]:
        for which, text in _texts(doc):
            hits = list(confusions.find(text, context))
            for hit in hits:
                yield _as_written(_confusion_finding(doc, which, hit), hit.confusion.wrong)
            for repeat in repeats.find(text, context):
                yield _as_written(_repeat_finding(doc, which, repeat), repeat.unit * 2)
            guesses = statistical.guesses(text, context)
            listed = [(hit.start, hit.end) for hit in hits]
            if guesses:  # a listed word or a term finding already explains its characters
                listed += [(hit.start, hit.end) for hit in terms.find(text, context)]
            for guess in guesses:
                if not any(start <= guess.start < end for start, end in listed):
                    yield _as_written(_guess_finding(doc, which, guess), guess.char)


def _confusion_finding(doc: Document, which: Field, hit: confusions.Hit) -> Finding:
    wrong, right = hit.confusion.wrong, hit.confusion.right
    return finding_at(
        doc, which, hit.start, hit.end, rule="typo.confusion", category="typo",
        severity="medium", score=0.9, suggestion=right,
        evidence={"rule": "confusion", "list": "confusions_words.txt", "wrong": wrong, "right": right},
        message=f"常见错别字：“{wrong}”应为“{right}”",
        message_en=f"Commonly confused word: “{wrong}” should be “{right}”",
    )  # fmt: skip


def _repeat_finding(doc: Document, which: Field, repeat: repeats.Repeat) -> Finding:
    start = repeat.start - len(repeat.unit)
    return finding_at(
        doc, which, start, repeat.end, rule="typo.repeat", category="typo",
        severity="low", score=0.8, suggestion=repeat.unit,
        evidence={"rule": "repeat", "unit": repeat.unit, "tag": repeat.tag},
        message=f"字词重复：“{repeat.unit}{repeat.unit}”",
        message_en=f"Repeated {'word' if repeat.tag else 'character'}: “{repeat.unit}” twice",
    )  # fmt: skip


def _guess_finding(doc: Document, which: Field, guess: statistical.Guess) -> Finding:
    severity: Severity = (
        "medium"
        if guess.gain >= statistical.HIGH_GAIN
        else "low"
        if guess.gain >= statistical.QUEUE_GAIN
        else "info"
    )
    how = "同音" if guess.reason == "pinyin" else "形近"
    return finding_at(
        doc, which, guess.start, guess.start + 1, rule="typo.statistical", category="typo",
        severity=severity, score=min(0.9, 0.4 + 0.03 * guess.gain),
        suggestion=guess.replacement, evidence=guess.evidence,
        message=f"疑似错别字：“{guess.char}”或应为“{guess.replacement}”（{how}，{guess.word}）",
        message_en=(
            f"Possible typo: “{guess.char}” may be “{guess.replacement}” "
            f"({'same sound' if guess.reason == 'pinyin' else 'similar shape'}, {guess.word})"
        ),
    )  # fmt: skip


NUMBER_RULES: dict[str, tuple[Severity, float, str, str]] = {
    "stray_zero": (
        "high",
        0.9,
        "数字残缺：“{0}”前缺少数字",
        "Broken number: digits missing before “{0}”",
    ),
    "bare_magnitude": ("medium", 0.8, "数字缺失：“{0}”前没有数字", "Missing number before “{0}”"),
    "missing": (
        "medium",
        0.7,
        "数字缺失：量词或单位“{0}”前没有数字",
        "Missing number before the unit “{0}”",
    ),
    "percent": ("high", 0.85, "数字缺失：百分号前没有数字", "Missing number before the % sign"),
    "ordinal": ("medium", 0.8, "序数缺失：“{0}”中间缺少数字", "Missing ordinal number in “{0}”"),
    "date": ("high", 0.9, "日期不存在：“{0}”", "Impossible date: “{0}”"),
}


@register
class NumberCheck(Check):
    name = "number"
    version = "number-1"
    categories = ("number",)
    title = "数字残缺与错误"
    title_en = "Broken numbers"

    def run(self, doc: Document, context: Context) -> Iterator[Finding]:
        for which, text in _texts(doc):
            for broken in numbers.find(text, context):
                severity, score, message, message_en = NUMBER_RULES[broken.rule]
                finding = finding_at(
                    doc, which, broken.start, broken.end, rule=f"number.{broken.rule}",
                    category="number", severity=severity, score=score,
                    evidence={"rule": broken.rule, "detail": broken.detail},
                    message=message.format(broken.detail), message_en=message_en.format(broken.detail),
                )  # fmt: skip
                yield _as_written(finding, broken.detail)


PUNCTUATION_RULES: dict[str, tuple[str, str]] = {
    "unbalanced": (
        "标点不成对：“{0}”没有配对的另一半",
        "Unbalanced punctuation: “{0}” has no partner",
    ),
    "width_pair": ("括号全半角混用：“{0}”应为“{1}”", "Mixed-width brackets: “{0}” should be “{1}”"),
    "width": (
        "中文中使用了半角标点“{0}”，应为“{1}”",
        "Half-width “{0}” in Chinese text: use “{1}”",
    ),
    "doubled": ("标点重复：“{0}”", "Doubled punctuation: “{0}”"),
}


@register
class PunctuationCheck(Check):
    name = "punctuation"
    version = "punctuation-1"
    categories = ("punctuation",)
    title = "标点符号"
    title_en = "Punctuation"
    BOOK_MARKS: ClassVar[str] = "《》（）()"

    def run(self, doc: Document, context: Context) -> Iterator[Finding]:
        for which, text in _texts(doc):
            for problem in punctuation.find(text):
                message, message_en = PUNCTUATION_RULES[problem.rule]
                medium = problem.rule == "unbalanced" and problem.mark in self.BOOK_MARKS
                yield finding_at(
                    doc, which, problem.start, problem.end, rule=f"punctuation.{problem.rule}",
                    category="punctuation", severity="medium" if medium else "low",
                    score=0.8 if medium else 0.6, suggestion=problem.suggestion,
                    evidence={"rule": problem.rule, "mark": problem.mark},
                    message=message.format(problem.mark, problem.suggestion),
                    message_en=message_en.format(problem.mark, problem.suggestion),
                )  # fmt: skip
