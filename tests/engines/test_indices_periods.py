"""Reporting periods: calendar arithmetic, 环比 and 同比, keys and labels; no database."""

from datetime import date

import pytest

from mediamatrix.engines.indices import (
    KINDS,
    Period,
    PeriodError,
    containing,
    last_complete,
    parse_period,
)

D = date.fromisoformat


def span(start: str, end: str, kind: str) -> Period:
    return Period(D(start), D(end), kind)  # type: ignore[arg-type]


# Containing ----------------------------------------------------------------------------------


@pytest.mark.parametrize("day", ["2026-11-22", "2026-11-23", "2026-11-25", "2026-11-28"])
def test_weeks_run_sunday_to_saturday(day):
    # 2026-11-22 is a Sunday, 2026-11-23 a Monday, 2026-11-28 a Saturday.
    assert containing("week", D(day)) == span("2026-11-22", "2026-11-28", "week")


def test_a_week_may_straddle_two_years():
    week = containing("week", D("2027-01-01"))  # a Friday
    assert week == span("2026-12-27", "2027-01-02", "week")
    assert week.key == "week:2026-12-27" and week.days == 7


@pytest.mark.parametrize(
    ("kind", "day", "start", "end"),
    [
        ("day", "2026-11-23", "2026-11-23", "2026-11-23"),
        ("month", "2026-11-23", "2026-11-01", "2026-11-30"),
        ("month", "2026-02-15", "2026-02-01", "2026-02-28"),
        ("month", "2028-02-15", "2028-02-01", "2028-02-29"),
        ("month", "2026-12-31", "2026-12-01", "2026-12-31"),
        ("quarter", "2026-11-23", "2026-10-01", "2026-12-31"),
        ("quarter", "2026-01-01", "2026-01-01", "2026-03-31"),
        ("quarter", "2026-06-30", "2026-04-01", "2026-06-30"),
        ("year", "2026-11-23", "2026-01-01", "2026-12-31"),
    ],
)
def test_the_period_containing_a_day(kind, day, start, end):
    period = containing(kind, D(day))
    assert period == span(start, end, kind)
    assert period.contains(D(day)) and period.days == (D(end) - D(start)).days + 1


def test_custom_periods_are_not_calendar_units():
    with pytest.raises(PeriodError):
        containing("custom", D("2026-11-23"))


def test_a_period_cannot_end_before_it_starts():
    with pytest.raises(PeriodError):
        Period(D("2026-11-02"), D("2026-11-01"))
    assert Period(D("2026-11-02"), D("2026-11-02")).days == 1


# 环比: the period before ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "start", "end"),
    [
        ("day:2026-11-01", "2026-10-31", "2026-10-31"),
        ("day:2026-01-01", "2025-12-31", "2025-12-31"),
        ("week:2026-11-22", "2026-11-15", "2026-11-21"),
        ("month:2026-11", "2026-10-01", "2026-10-31"),
        ("month:2026-01", "2025-12-01", "2025-12-31"),
        ("month:2026-03", "2026-02-01", "2026-02-28"),
        ("month:2028-03", "2028-02-01", "2028-02-29"),
        ("quarter:2026-Q1", "2025-10-01", "2025-12-31"),
        ("quarter:2026-Q4", "2026-07-01", "2026-09-30"),
        ("year:2026", "2025-01-01", "2025-12-31"),
        # A custom range: the same number of days just before it (15 days here).
        ("custom:2026-10-01..2026-10-15", "2026-09-16", "2026-09-30"),
    ],
)
def test_previous_period(key, start, end):
    period = parse_period(key)
    previous = period.previous()
    assert (previous.start, previous.end, previous.kind) == (D(start), D(end), period.kind)


def test_the_month_before_a_31_day_month_is_the_calendar_month():
    # Not "31 days before": March's previous is February, however long.
    assert parse_period("month:2026-03").previous().days == 28
    assert parse_period("month:2026-07").previous() == span("2026-06-01", "2026-06-30", "month")


# 同比: a year earlier ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "start", "end"),
    [
        ("day:2026-11-23", "2025-11-23", "2025-11-23"),
        ("day:2028-02-29", "2027-02-28", "2027-02-28"),
        ("month:2026-10", "2025-10-01", "2025-10-31"),
        ("month:2028-02", "2027-02-01", "2027-02-28"),
        ("quarter:2026-Q4", "2025-10-01", "2025-12-31"),
        ("year:2026", "2025-01-01", "2025-12-31"),
        ("custom:2028-02-01..2028-02-29", "2027-02-01", "2027-02-28"),
        # A week a year ago is the Sunday–Saturday week holding the same date (2025-11-22).
        ("week:2026-11-22", "2025-11-16", "2025-11-22"),
    ],
)
def test_year_ago(key, start, end):
    period = parse_period(key)
    ago = period.year_ago()
    assert (ago.start, ago.end, ago.kind) == (D(start), D(end), period.kind)


# Keys and labels -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("period", "key", "label"),
    [
        (span("2026-11-23", "2026-11-23", "day"), "day:2026-11-23", "2026年11月23日"),
        (span("2026-11-22", "2026-11-28", "week"), "week:2026-11-22", "2026-11-22 至 2026-11-28"),
        (span("2026-10-01", "2026-10-31", "month"), "month:2026-10", "2026年10月"),
        (span("2026-10-01", "2026-12-31", "quarter"), "quarter:2026-Q4", "2026年第4季度"),
        (span("2026-01-01", "2026-12-31", "year"), "year:2026", "2026年"),
        (
            span("2026-10-01", "2026-10-15", "custom"),
            "custom:2026-10-01..2026-10-15",
            "2026-10-01 至 2026-10-15",
        ),
    ],
)
def test_keys_round_trip_through_parse_period(period, key, label):
    assert period.key == key
    assert parse_period(key) == period
    assert parse_period(f"  {key} ") == period
    assert period.label == label


@pytest.mark.parametrize("kind", [k for k in KINDS if k != "custom"])
def test_every_calendar_kind_round_trips(kind):
    for day in ("2026-01-01", "2026-02-28", "2026-11-23", "2028-02-29", "2026-12-31"):
        period = containing(kind, D(day))
        assert parse_period(period.key) == period


def test_a_week_key_may_name_any_day_of_the_week():
    assert parse_period("week:2026-11-25") == span("2026-11-22", "2026-11-28", "week")
    assert parse_period("week:2026-11-25").key == "week:2026-11-22"


@pytest.mark.parametrize(
    "key",
    [
        "",
        "month",
        "month:2026-13",
        "month:26-10",
        "month:2026-1",
        "day:2026-02-30",
        "week:2026-02-30",
        "quarter:2026-Q5",
        "quarter:2026-Q0",
        "year:26",
        "fortnight:2026-11-01",
        "custom:2026-10-15..2026-10-01",
        "custom:2026-10-01",
        "month:2026-10; DROP TABLE",
    ],
)
def test_bad_keys_raise_period_error(key):
    with pytest.raises(PeriodError):
        parse_period(key)


# The last complete period ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "today", "start", "end"),
    [
        ("day", "2026-11-23", "2026-11-22", "2026-11-22"),
        ("week", "2026-11-23", "2026-11-15", "2026-11-21"),  # Monday: last week
        ("week", "2026-11-22", "2026-11-15", "2026-11-21"),  # Sunday: this week has just begun
        ("week", "2026-11-28", "2026-11-15", "2026-11-21"),  # Saturday: this week is not over
        ("month", "2026-11-23", "2026-10-01", "2026-10-31"),
        ("month", "2026-11-01", "2026-10-01", "2026-10-31"),
        ("month", "2026-01-15", "2025-12-01", "2025-12-31"),
        ("quarter", "2026-11-23", "2026-07-01", "2026-09-30"),
        ("quarter", "2026-02-01", "2025-10-01", "2025-12-31"),
        ("year", "2026-11-23", "2025-01-01", "2025-12-31"),
    ],
)
def test_last_complete(kind, today, start, end):
    period = last_complete(kind, D(today))
    assert period == span(start, end, kind)
    assert period.end < D(today)
