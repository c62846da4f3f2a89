"""The four forces, the 0–100 scalings, dormancy spells and ranks; no database."""

import random
from datetime import date, timedelta

import pytest

from mediamatrix.engines.indices import (
    DORMANT_AFTER_DAYS,
    FORCE_WEIGHTS,
    INDICATORS,
    change_ratio,
    competition_ranks,
    dormant_spells,
    four_forces,
    indicators,
    ln_scale,
    ratio_score,
)

D = date.fromisoformat

# Every indicator that has data today, with a score; the pending ones are left out on purpose.
FULL = {
    "platform_index": 80.0,  # reach, weight 70
    "followers": 50.0,  # reach, 30
    "original_share": 60.0,  # guidance, 40 (of 40 + 30 = 70 with data)
    "regularity": 100.0,  # guidance, 30
    "peak": 40.0,  # influence, 40 (of 70)
    "headline": 20.0,  # influence, 30
    "no_veto": 100.0,  # credibility, 50 (of 100)
    "no_violation": 50.0,  # credibility, 50: two standing review decisions
}


def test_the_weights_are_as_published():
    assert dict(FORCE_WEIGHTS) == {
        "reach": 40.0,
        "guidance": 20.0,
        "influence": 25.0,
        "credibility": 15.0,
    }
    assert sum(FORCE_WEIGHTS.values()) == 100
    pending = {i.key for i in indicators(pending=True)}
    assert pending == {"task_completion", "timely_response", "reprinted"}
    assert len(indicators()) == len(INDICATORS) == len(pending) + len(indicators(pending=False))


def test_four_forces_by_hand():
    scores = four_forces(FULL)
    reach = (70 * 80 + 30 * 50) / 100  # 71
    guidance = (40 * 60 + 30 * 100) / 70  # 77.142857…: the pending task completion drops out
    influence = (40 * 40 + 30 * 20) / 70  # 31.428571…: reprints are pending
    credibility = (50 * 100 + 50 * 50) / 100  # 75
    assert dict(scores.forces) == pytest.approx(
        {"reach": reach, "guidance": guidance, "influence": influence, "credibility": credibility}
    )
    total = (40 * reach + 20 * guidance + 25 * influence + 15 * credibility) / 100
    assert scores.total == pytest.approx(total)  # 66.6857…
    assert dict(scores.used_weights) == pytest.approx(
        {
            "platform_index": 28.0,  # 70/100 of reach's 40
            "followers": 12.0,
            "original_share": 40 / 70 * 20,
            "regularity": 30 / 70 * 20,
            "peak": 40 / 70 * 25,
            "headline": 30 / 70 * 25,
            "no_veto": 7.5,
            "no_violation": 7.5,
        }
    )
    assert sum(scores.used_weights.values()) == pytest.approx(100)
    assert scores.version == "2"


def test_pending_indicators_are_listed_as_none_even_when_given():
    scores = four_forces({**FULL, "task_completion": 0.0, "reprinted": 0.0})
    assert scores.total == pytest.approx(four_forces(FULL).total)
    assert scores.indicators["task_completion"] is None
    assert scores.indicators["reprinted"] is None
    assert set(scores.indicators) == {i.key for i in INDICATORS}
    assert "task_completion" not in scores.used_weights


def test_an_indicator_without_data_is_renormalised_within_its_force():
    scores = four_forces({**FULL, "original_share": None})
    assert scores.forces["guidance"] == pytest.approx(100.0)  # regularity alone
    assert scores.used_weights["regularity"] == pytest.approx(20.0)
    assert "original_share" not in scores.used_weights
    assert scores.indicators["original_share"] is None
    assert sum(scores.used_weights.values()) == pytest.approx(100)


def test_a_force_without_data_is_renormalised_across_the_total():
    values = {k: v for k, v in FULL.items() if k not in ("no_veto", "no_violation")}
    scores = four_forces(values)
    assert scores.forces["credibility"] is None
    forces = four_forces(FULL).forces
    expected = (40 * forces["reach"] + 20 * forces["guidance"] + 25 * forces["influence"]) / 85
    assert scores.total == pytest.approx(expected)
    assert scores.used_weights["platform_index"] == pytest.approx(28 / 85 * 100)
    assert sum(scores.used_weights.values()) == pytest.approx(100)


def test_no_data_at_all_scores_zero():
    scores = four_forces({})
    assert scores.total == 0.0
    assert set(scores.forces.values()) == {None}
    assert dict(scores.used_weights) == {}


def test_scores_outside_0_100_are_clipped():
    scores = four_forces({**FULL, "platform_index": 250.0, "followers": -40.0})
    assert scores.indicators["platform_index"] == 100.0
    assert scores.indicators["followers"] == 0.0
    assert scores.forces["reach"] == pytest.approx(70.0)


def test_the_total_is_always_within_0_100_and_the_used_weights_sum_to_100():
    rng = random.Random(7)
    keys = [i.key for i in INDICATORS]
    for _ in range(300):
        values = {
            key: rng.choice([None, rng.uniform(-50, 150), 0.0, 100.0])
            for key in rng.sample(keys, rng.randrange(len(keys) + 1))
        }
        scores = four_forces(values)
        assert 0.0 <= scores.total <= 100.0
        if scores.used_weights:
            assert sum(scores.used_weights.values()) == pytest.approx(100)
        else:
            assert scores.total == 0.0


# The 0–100 scalings --------------------------------------------------------------------------


def test_ln_scale():
    # 100·ln(x+1)/ln(max+1): ln(10)/ln(100) = 1/2
    assert ln_scale([0, 9, 99]) == pytest.approx([0.0, 50.0, 100.0])
    assert ln_scale([3, 3]) == [100.0, 100.0]
    assert ln_scale([0, 0]) == [0.0, 0.0]
    assert ln_scale([]) == []
    assert ln_scale(x for x in (0.0, 99.0)) == pytest.approx([0.0, 100.0])  # any iterable


@pytest.mark.parametrize(
    ("part", "whole", "expected"),
    [(3, 4, 75.0), (0, 5, 0.0), (5, 5, 100.0), (9, 4, 100.0), (0, 0, None), (3, 0, None)],
)
def test_ratio_score(part, whole, expected):
    assert ratio_score(part, whole) == expected


# Dormancy (14 days without an update) ---------------------------------------------------------

NOVEMBER = {"start": D("2026-11-01"), "end": D("2026-11-30")}


def spells(days, **kwargs):
    found = dormant_spells([D(day) for day in days], **{**NOVEMBER, **kwargs})
    return [(s.since.isoformat(), s.until.isoformat(), s.last_update, s.days) for s in found]


def test_the_threshold_is_fourteen_days():
    assert DORMANT_AFTER_DAYS == 14


def test_never_posted_and_not_known_since_when_is_dormant_all_period():
    assert spells([], last_before=None) == [("2026-11-01", "2026-11-30", None, 30)]


def test_never_posted_counts_from_registration():
    # Registered long before: dormant from the start.
    assert spells([], last_before=None, known_since=D("2026-09-01"))[0][:2] == (
        "2026-11-01",
        "2026-11-30",
    )
    # Registered on 3 November: 14 days of grace, dormant from the 17th.
    assert spells([], last_before=None, known_since=D("2026-11-03")) == [
        ("2026-11-17", "2026-11-30", None, 14)
    ]
    # Registered on 20 November: not yet 14 days by the end.
    assert spells([], last_before=None, known_since=D("2026-11-20")) == []


def test_a_gap_inside_the_period():
    # Posts on 3 and 20 November: the 17th is the fourteenth day after the 3rd without an update.
    found = spells(["2026-11-03", "2026-11-20"], last_before=D("2026-10-31"))
    assert found == [("2026-11-17", "2026-11-19", D("2026-11-03"), 3)]


def test_thirteen_quiet_days_are_not_a_spell_fourteen_are():
    assert spells(["2026-11-03", "2026-11-17"], last_before=D("2026-10-31")) == []
    assert spells(["2026-11-03", "2026-11-18"], last_before=D("2026-10-31")) == [
        ("2026-11-17", "2026-11-17", D("2026-11-03"), 1)
    ]


def test_a_gap_from_before_the_period():
    # Last update on 10 October: dormant since the 24th, so from the period's first day.
    found = spells(["2026-11-10", "2026-11-20"], last_before=D("2026-10-10"))
    assert found == [("2026-11-01", "2026-11-09", D("2026-10-10"), 9)]


def test_the_last_update_before_the_period_counts_toward_the_gap():
    # 25 October + 14 = 8 November: the first post on the 12th ends a spell of four days.
    found = spells(["2026-11-12", "2026-11-20"], last_before=D("2026-10-25"))
    assert found == [("2026-11-08", "2026-11-11", D("2026-10-25"), 4)]


def test_posts_on_the_last_day():
    # Only a post on the last day: dormant until the day before.
    assert spells(["2026-11-30"], last_before=None) == [("2026-11-01", "2026-11-29", None, 29)]
    # A post on the 10th and one on the last day: quiet from the 24th to the 29th.
    found = spells(["2026-11-10", "2026-11-30"], last_before=D("2026-10-31"))
    assert found == [("2026-11-24", "2026-11-29", D("2026-11-10"), 6)]
    # A spell that runs to the end when nothing comes after.
    assert spells(["2026-11-10"], last_before=D("2026-10-31")) == [
        ("2026-11-24", "2026-11-30", D("2026-11-10"), 7)
    ]


def test_regular_posting_has_no_spells_and_days_outside_are_ignored():
    weekly = [(D("2026-11-01") + timedelta(days=7 * i)).isoformat() for i in range(5)]
    assert spells(weekly, last_before=D("2026-10-30")) == []
    # Posts outside the range neither end nor start a spell; duplicates count once.
    outside = ["2026-10-31", "2026-12-01", "2026-11-05", "2026-11-05"]
    assert spells(outside, last_before=D("2026-10-31")) == [
        ("2026-11-19", "2026-11-30", D("2026-11-05"), 12)
    ]


def test_another_threshold():
    assert spells(["2026-11-03", "2026-11-20"], last_before=D("2026-10-31"), threshold=7) == [
        ("2026-11-10", "2026-11-19", D("2026-11-03"), 10),
        ("2026-11-27", "2026-11-30", D("2026-11-20"), 4),
    ]


# Ranks and changes ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "ranks"),
    [
        ([90, 85, 90, 70], [1, 3, 1, 4]),
        ([3, 2, 2, 1], [1, 2, 2, 4]),
        ([1, 2, 3], [3, 2, 1]),
        ([5, 5, 5], [1, 1, 1]),
        ([], []),
        # Equal as shown (two decimals) is a tie; 85.006 shows as 85.01.
        ([85.004, 85.001, 84.996, 85.006], [2, 2, 2, 1]),
    ],
)
def test_competition_ranks(values, ranks):
    assert competition_ranks(values) == ranks


def test_competition_ranks_with_other_places():
    assert competition_ranks([1.4, 1.2, 0.4], places=0) == [1, 1, 3]


@pytest.mark.parametrize(
    ("current", "previous", "expected"),
    [(110, 100, 0.1), (90, 100, -0.1), (0, 50, -1.0), (50, 50, 0.0)],
)
def test_change_ratio(current, previous, expected):
    assert change_ratio(current, previous) == pytest.approx(expected)


@pytest.mark.parametrize(("current", "previous"), [(90, None), (5, 0), (0, 0), (0, None)])
def test_change_ratio_none_when_there_is_nothing_to_compare(current, previous):
    assert change_ratio(current, previous) is None
