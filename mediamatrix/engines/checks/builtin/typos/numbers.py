"""Broken numbers: a number lost in editing ("会员单位个。", "共吸引0余万人次"), impossible dates.

Rules (all on the normalised text, where full-width digits are already ASCII):
- `number.stray_zero`: a lone 0 before 余/多/十/百/千/万/亿 ("0余万"): what is left of a number;
- `number.bare_magnitude`: 余/多 + 十/百/千/万/亿 with no number in front ("吸引余万人次");
- `number.missing`: a measure word or unit (`numbers_units.txt`) that ends a clause with neither a
  number nor a determiner (这/每/各/几 …) in front of it, in a clause that announces a quantity
  (`numbers_cues.txt`: 有, 共, 累计, 接待 … within `CLAUSE_REACH` characters before it), and that
  does not end a dictionary word there (报名, 美元, 整个);
- `number.percent`: a % sign with no number in front;
- `number.ordinal`: 第 directly followed by a measure word ("第届");
- `number.date`: a month above 12, a day above the month's length, "0月"/"0日".
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ...context import lexicon_of
from .lexicon import CJK, Rows, is_word, per_list

NUMERALS = "0123456789〇零一二三四五六七八九十百千万亿两俩几数半多余廿卅"
# Words in front of a measure word that stand for a number: 这个, 每家, 各项, 某位, 哪所 …
DETERMINERS = "这那每各某哪此该本首整全逐挨单双上下前后末头另其诸为"
QUANTITY_WORDS = ("多少", "若干", "好几", "许多", "很多", "众多", "诸多")
CLAUSE_END = "，。；：、！？,.;:!?）)”’》\n"
CLAUSE_START = "，。；：、！？,.;:!?（(“‘《\n"
CLAUSE_REACH = 12  # how far back in its clause a quantity word may stand
WORD_FREQ = 1  # any dictionary word (jieba lists many rare ones) explains a trailing unit
STRAY_ZERO = re.compile(r"(?<![0-9.])0(?=[余多十百千万亿])")
BARE_MAGNITUDE = re.compile(f"(?<=[{CJK}])[余多](?=[十百千万亿])")
PERCENT = re.compile(f"(?<=[{CJK}])%")
ORDINAL = re.compile("第(?=[届次期批名位个条款章节项号轮])")
DATE = re.compile(r"(?<![0-9])(\d{1,2})月(\d{1,2})日")
YEAR_MONTH = re.compile(r"(?<![0-9])\d{4}年(\d{1,2})月(?!\d{1,2}日)")
MONTH_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


@dataclass(frozen=True)
class Broken:
    start: int
    end: int
    rule: str
    detail: str  # the unit, the impossible date …


def find(text: str, context: Any) -> Iterator[Broken]:
    for match in STRAY_ZERO.finditer(text):
        i = match.start()
        yield Broken(i, i + 2, "stray_zero", text[i : i + 2])
    for match in BARE_MAGNITUDE.finditer(text):
        i = match.start()
        if text[i - 1] not in NUMERALS and not is_word(text[i - 1 : i + 1], WORD_FREQ):
            yield Broken(i, i + 2, "bare_magnitude", text[i : i + 2])
    units = _units(lexicon_of(context, "numbers_units.txt"))
    yield from _missing(text, units, _cues(lexicon_of(context, "numbers_cues.txt")))
    for match in PERCENT.finditer(text):
        yield Broken(match.start(), match.end(), "percent", "%")
    for match in ORDINAL.finditer(text):
        i = match.start()
        if i == 0 or not is_word(text[i - 1 : i + 1], WORD_FREQ):  # 门第, 次第 are words
            yield Broken(i, i + 2, "ordinal", text[i : i + 2])
    yield from _dates(text)


@per_list
def _units(rows: Rows) -> re.Pattern[str]:
    units = sorted({row[0] for row in rows if row and row[0]}, key=len, reverse=True)
    alternatives = "|".join(re.escape(unit) for unit in units) or "(?!)"
    return re.compile(f"(?<=[{CJK}])(?:{alternatives})(?=[{re.escape(CLAUSE_END)}]|$)")


@per_list
def _cues(rows: Rows) -> re.Pattern[str]:
    words = sorted({row[0] for row in rows if row and row[0]}, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, words)) or "(?!)")


def _missing(text: str, units: re.Pattern[str], cues: re.Pattern[str]) -> Iterator[Broken]:
    for match in units.finditer(text):
        start, end = match.span()
        clause = max(text.rfind(mark, 0, start) for mark in CLAUSE_START) + 1
        if not cues.search(text, max(clause, start - CLAUSE_REACH), start):
            continue
        before = text[start - 1]
        if before in NUMERALS or before in DETERMINERS:
            continue
        # A word ending here that starts before the unit explains it (报名, 美元, 单元, 整个).
        if any(is_word(text[k:end], WORD_FREQ) for k in range(max(0, start - 3), start)):
            continue
        if text[max(0, start - 2) : start] in QUANTITY_WORDS:
            continue
        # 许多人, 其余人: 余/多 belongs to the word before, not to a number.
        if match.group()[0] in "余多" and is_word(text[start - 1 : start + 1], WORD_FREQ):
            continue
        yield Broken(start, end, "missing", match.group())


def _dates(text: str) -> Iterator[Broken]:
    for match in DATE.finditer(text):
        month, day = int(match.group(1)), int(match.group(2))
        if not 1 <= month <= 12 or not 1 <= day <= MONTH_DAYS[month - 1]:
            yield Broken(match.start(), match.end(), "date", match.group())
    for match in YEAR_MONTH.finditer(text):
        if not 1 <= int(match.group(1)) <= 12:
            yield Broken(match.start(), match.end(), "date", match.group())
