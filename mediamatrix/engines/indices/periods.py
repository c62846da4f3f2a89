"""Reporting periods: day, week (Sunday–Saturday), month, quarter, year and custom ranges.

A period is a closed range of calendar days in the office's time zone; it knows the period before
it (环比) and the same period a year earlier (同比), and has a stable key for URLs and storage:
``day:2026-11-20``, ``week:2026-11-15``, ``month:2026-10``, ``quarter:2026-Q3``, ``year:2026``,
``custom:2026-10-01..2026-10-15``.
"""

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

PeriodKind = Literal["day", "week", "month", "quarter", "year", "custom"]
KINDS: tuple[PeriodKind, ...] = ("day", "week", "month", "quarter", "year", "custom")
KIND_NAMES = {
    "day": ("日", "day"),
    "week": ("周", "week"),
    "month": ("月", "month"),
    "quarter": ("季度", "quarter"),
    "year": ("年", "year"),
    "custom": ("自定义", "custom"),
}


class PeriodError(ValueError):
    pass


@dataclass(frozen=True, order=True)
class Period:
    start: date
    end: date  # inclusive
    kind: PeriodKind = "custom"

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise PeriodError("a period ends on or after the day it starts")

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def key(self) -> str:
        match self.kind:
            case "day" | "week":
                return f"{self.kind}:{self.start.isoformat()}"
            case "month":
                return f"month:{self.start:%Y-%m}"
            case "quarter":
                return f"quarter:{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
            case "year":
                return f"year:{self.start.year}"
            case _:
                return f"custom:{self.start.isoformat()}..{self.end.isoformat()}"

    @property
    def label(self) -> str:
        """The period as a Chinese bulletin names it."""
        match self.kind:
            case "day":
                return f"{self.start.year}年{self.start.month}月{self.start.day}日"
            case "month":
                return f"{self.start.year}年{self.start.month}月"
            case "quarter":
                return f"{self.start.year}年第{(self.start.month - 1) // 3 + 1}季度"
            case "year":
                return f"{self.start.year}年"
            case _:
                return f"{self.start.isoformat()} 至 {self.end.isoformat()}"

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def previous(self) -> "Period":
        """The period before (环比): the previous calendar unit, or the same length before."""
        if self.kind in ("day", "week", "custom"):
            return Period(
                self.start - timedelta(days=self.days), self.start - timedelta(days=1), self.kind
            )
        return containing(self.kind, self.start - timedelta(days=1))

    def year_ago(self) -> "Period":
        """The same period a year earlier (同比)."""
        if self.kind == "week":
            return containing("week", _shift_year(self.start, -1))
        return Period(_shift_year(self.start, -1), _shift_year(self.end, -1), self.kind)


def containing(kind: PeriodKind, day: date) -> Period:
    """The day/week/month/quarter/year period that contains `day`."""
    match kind:
        case "day":
            return Period(day, day, "day")
        case "week":
            start = day - timedelta(days=(day.weekday() + 1) % 7)  # back to Sunday
            return Period(start, start + timedelta(days=6), "week")
        case "month":
            last = calendar.monthrange(day.year, day.month)[1]
            return Period(day.replace(day=1), day.replace(day=last), "month")
        case "quarter":
            first_month = (day.month - 1) // 3 * 3 + 1
            start = date(day.year, first_month, 1)
            end_month = first_month + 2
            end = date(day.year, end_month, calendar.monthrange(day.year, end_month)[1])
            return Period(start, end, "quarter")
        case "year":
            return Period(date(day.year, 1, 1), date(day.year, 12, 31), "year")
    raise PeriodError(f"no calendar period of kind {kind!r}")


def last_complete(kind: PeriodKind, today: date) -> Period:
    """The latest period of this kind that has ended before `today`."""
    return containing(kind, containing(kind, today).start - timedelta(days=1))


_KEY = re.compile(
    r"^(?:day:(?P<day>\d{4}-\d{2}-\d{2})"
    r"|week:(?P<week>\d{4}-\d{2}-\d{2})"
    r"|month:(?P<month>\d{4}-\d{2})"
    r"|quarter:(?P<qy>\d{4})-Q(?P<q>[1-4])"
    r"|year:(?P<year>\d{4})"
    r"|custom:(?P<cs>\d{4}-\d{2}-\d{2})\.\.(?P<ce>\d{4}-\d{2}-\d{2}))$"
)


def parse_period(key: str) -> Period:
    """A period from its key; a week key may name any day of the week."""
    match = _KEY.match(key.strip())
    if match is None:
        raise PeriodError(f"not a period: {key!r}")
    try:
        if match["day"]:
            return containing("day", date.fromisoformat(match["day"]))
        if match["week"]:
            return containing("week", date.fromisoformat(match["week"]))
        if match["month"]:
            return containing("month", date.fromisoformat(match["month"] + "-01"))
        if match["qy"]:
            return containing("quarter", date(int(match["qy"]), int(match["q"]) * 3 - 2, 1))
        if match["year"]:
            return containing("year", date(int(match["year"]), 1, 1))
        return Period(date.fromisoformat(match["cs"]), date.fromisoformat(match["ce"]), "custom")
    except ValueError as error:
        raise PeriodError(f"not a period: {key!r} ({error})") from error


def _shift_year(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)
