"""Counts and dates as exports write them: pure functions, no database."""

from datetime import UTC, datetime, timedelta, timezone

import pytest

from mediamatrix.engines.text import CountError, DateTextError, parse_count, parse_datetime


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0", 0),
        ("3456", 3456),
        ("3,456", 3456),
        ("1,234,567", 1234567),
        (" 12 ", 12),
        ("１２０００", 12000),
        ("1.2万", 12000),
        ("1.2w", 12000),
        ("1.2W", 12000),
        ("3千", 3000),
        ("2.5k", 2500),
        ("10万+", 100001),
        ("10w+", 100001),
        ("1.5亿", 150_000_000),
        ("1.23456万", 12345),
        ("999+", 1000),
    ],
)
def test_counts_as_people_write_them(text, expected):
    assert parse_count(text) == expected


@pytest.mark.parametrize("text", ["", "  ", "-", "--", "—", "——", "/"])
def test_placeholders_mean_no_value(text):
    assert parse_count(text) is None


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("-5", "negative"),
        ("-1.2万", "negative"),
        ("很多", "format"),
        ("12次", "format"),
        ("1e5", "format"),
        ("12.5", "fraction"),
        ("99999999亿", "too_large"),
        ("9999999999999999", "too_large"),
    ],
)
def test_what_is_not_a_count_says_why(text, code):
    with pytest.raises(CountError) as caught:
        parse_count(text)
    assert caught.value.code == code
    assert text in str(caught.value)
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026年11月3日", datetime(2026, 11, 3)),
        ("2026年11月3日 08:30", datetime(2026, 11, 3, 8, 30)),
        ("2026年11月3日08:30", datetime(2026, 11, 3, 8, 30)),
        ("2026年11月3日 8时30分", datetime(2026, 11, 3, 8, 30)),
        ("2026年11月3号 8点30分15秒", datetime(2026, 11, 3, 8, 30, 15)),
        ("2026-11-03 08:30:00", datetime(2026, 11, 3, 8, 30)),
        ("2026-11-03 08:30", datetime(2026, 11, 3, 8, 30)),
        ("2026-11-03", datetime(2026, 11, 3)),
        ("2026/11/3", datetime(2026, 11, 3)),
        ("2026/11/3 15:05", datetime(2026, 11, 3, 15, 5)),
        ("2026/11/3 下午3:05", datetime(2026, 11, 3, 15, 5)),
        ("2026/11/3 上午12:10", datetime(2026, 11, 3, 0, 10)),
        ("2026/11/3 3:05 PM", datetime(2026, 11, 3, 15, 5)),
        ("2026.11.3 9:00", datetime(2026, 11, 3, 9, 0)),
        ("２０２６－１１－０３", datetime(2026, 11, 3)),
        ("20261103", datetime(2026, 11, 3)),
        ("20261103 0830", datetime(2026, 11, 3, 8, 30)),
        ("2026-11-03 08:30:00.250", datetime(2026, 11, 3, 8, 30, 0, 250000)),
        ("46329", datetime(2026, 11, 3)),
        ("46329.354166667", datetime(2026, 11, 3, 8, 30)),
    ],
)
def test_local_dates_and_times_are_naive(text, expected):
    assert parse_datetime(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "2026-11-03T08:30:00+08:00",
            datetime(2026, 11, 3, 8, 30, tzinfo=timezone(timedelta(hours=8))),
        ),
        ("2026-11-03T00:30:00Z", datetime(2026, 11, 3, 0, 30, tzinfo=UTC)),
        ("2026-11-03 08:30:00+0800", datetime(2026, 11, 3, 0, 30, tzinfo=UTC)),
        ("2026-11-02T19:30:00-05:00", datetime(2026, 11, 3, 0, 30, tzinfo=UTC)),
    ],
)
def test_an_offset_gives_an_aware_datetime(text, expected):
    parsed = parse_datetime(text)
    assert parsed.tzinfo is not None
    assert parsed == expected


def test_excel_serials_follow_the_1900_date_system():
    assert parse_datetime("1") == datetime(1900, 1, 1)
    assert parse_datetime("59") == datetime(1900, 2, 28)
    assert parse_datetime("61") == datetime(1900, 3, 1)
    assert parse_datetime("45658") == datetime(2025, 1, 1)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "昨天",
        "11月3日",
        "2026-13-01",
        "2026-02-30",
        "2026-11-03 25:00",
        "2026-11-03 08:61",
        "2026-11-03 早些时候",
        "0",
        "123456789",
        "3/11/2026",
    ],
)
def test_what_is_not_a_date_says_so(text):
    with pytest.raises(DateTextError) as caught:
        parse_datetime(text)
    assert isinstance(caught.value, ValueError)
    assert str(caught.value)
