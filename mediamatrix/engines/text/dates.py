"""Dates and times as exports and people write them, Chinese forms included.

``parse_datetime`` accepts ``2026年11月3日``, ``2026年11月3日 08:30``, ``2026年11月3日8时30分``,
``2026-11-03 08:30:00``, ``2026/11/3``, ``2026.11.3 下午3:05``, ``20261103``, ISO 8601 with an
offset (``2026-11-03T08:30:00+08:00``, ``…Z``) and Excel serial numbers (``46329.35``, the 1900
date system spreadsheets use when a date cell lost its format). It returns a naive datetime for a
local time and an aware one when the text names an offset; the caller decides the local zone.
A date alone is midnight. Anything else raises ``DateTextError``.
"""

import re
import unicodedata
from datetime import UTC, datetime, timedelta, timezone

# Day 60 of Excel's 1900 system is 29 February 1900, a day that never was (a Lotus 1-2-3 bug
# kept for compatibility); serials from 61 on count from 30 December 1899.
EXCEL_EPOCH = datetime(1899, 12, 30)
EXCEL_MAX_SERIAL = 2_958_465  # 9999-12-31

_SEPARATED = re.compile(
    r"^(?P<y>\d{4})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*[日号]?"
    r"(?:(?:\s*[t ]\s*|\s*)(?P<time>.+))?$"
)
_COMPACT = re.compile(r"^(?P<y>(?:19|20)\d{2})(?P<m>\d{2})(?P<d>\d{2})(?:[t ]?(?P<time>\d{4,6}))?$")
_TIME = re.compile(
    r"^(?P<half>上午|下午|凌晨|早上|中午|晚上|am|pm)?\s*"
    r"(?P<h>\d{1,2})\s*[:时点]\s*(?P<mi>\d{1,2})\s*分?"
    r"(?:\s*[:]?\s*(?P<s>\d{1,2})(?P<frac>\.\d{1,6})?\s*秒?)?"
    r"\s*(?P<half_after>am|pm)?"
    r"\s*(?P<tz>z|utc|gmt|[+-]\d{2}:?\d{2})?$"
)
_COMPACT_TIME = re.compile(r"^(?P<h>\d{2})(?P<mi>\d{2})(?P<s>\d{2})?$")
_SERIAL = re.compile(r"^\d{1,5}(?:\.\d+)?$")  # up to 2173
_AFTERNOON = {"下午", "晚上", "pm"}
_MORNING = {"上午", "凌晨", "早上", "am"}


class DateTextError(ValueError):
    """Text that is not a date; the message repeats the text and names the accepted forms."""


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def parse_datetime(text: str) -> datetime:
    """The moment `text` names: naive for local time, aware when it carries an offset."""
    folded = _fold(text)
    if not folded:
        raise DateTextError("日期为空。")
    match = _SEPARATED.match(folded) or _COMPACT.match(folded)
    if match is not None:
        return _combine(text, match)
    if _SERIAL.match(folded):
        return excel_serial(float(folded))
    raise DateTextError(
        f"无法识别的日期“{text}”，可写成“2026-11-03 08:30”“2026/11/3”或“2026年11月3日 08:30”。"
    )


def excel_serial(serial: float) -> datetime:
    """A spreadsheet serial number (days since 1899-12-30, fraction = time of day) as a datetime."""
    if not 1 <= serial <= EXCEL_MAX_SERIAL:
        raise DateTextError(f"不是有效的 Excel 日期序号：{serial:g}")
    days = serial if serial >= 61 else serial + 1
    moment = EXCEL_EPOCH + timedelta(days=days)
    # Serials carry binary fractions: round to the second a person entered.
    return (moment + timedelta(microseconds=500_000)).replace(microsecond=0)


def _combine(text: str, match: re.Match[str]) -> datetime:
    year, month, day = int(match["y"]), int(match["m"]), int(match["d"])
    hour = minute = second = microsecond = 0
    zone: timezone | None = None
    time_text = (match["time"] or "").strip()
    if time_text:
        hour, minute, second, microsecond, zone = _parse_time(text, time_text)
    try:
        return datetime(year, month, day, hour, minute, second, microsecond, tzinfo=zone)
    except ValueError:
        raise DateTextError(f"日期不存在：{text}") from None


def _parse_time(text: str, time_text: str) -> tuple[int, int, int, int, timezone | None]:
    compact = _COMPACT_TIME.match(time_text)
    if compact is not None:
        return int(compact["h"]), int(compact["mi"]), int(compact["s"] or 0), 0, None
    match = _TIME.match(time_text)
    if match is None:
        raise DateTextError(f"无法识别的时间“{text}”，时间可写成“08:30”或“8时30分”。")
    hour, minute, second = int(match["h"]), int(match["mi"]), int(match["s"] or 0)
    half = match["half"] or match["half_after"]
    if half in _AFTERNOON and hour < 12:
        hour += 12
    elif half in _MORNING and hour == 12:
        hour = 0
    elif half == "中午" and hour < 6:
        hour += 12
    if not (hour < 24 and minute < 60 and second < 60):
        raise DateTextError(f"时间不存在：{text}")
    microsecond = round(float(match["frac"]) * 1_000_000) if match["frac"] else 0
    return hour, minute, second, microsecond, _zone(match["tz"])


def _zone(name: str | None) -> timezone | None:
    if name is None:
        return None
    if name in ("z", "utc", "gmt"):
        return UTC
    sign = -1 if name[0] == "-" else 1
    digits = name[1:].replace(":", "")
    offset = timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
    return timezone(sign * offset)
