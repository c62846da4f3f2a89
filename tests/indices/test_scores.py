"""`scores_compute` on constructed posts: settled metrics, caps, forces, units, failures."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from mediamatrix.engines.indices import FormulaError, get, parse_period
from mediamatrix.indices.choices import BulletinStatus, SubjectKind
from mediamatrix.indices.models import IndexScore, ScoreRun
from mediamatrix.indices.services import scores_compute
from mediamatrix.indices.settled import settled_refresh
from mediamatrix.ingestion.models import MetricSnapshot, Post
from mediamatrix.orgs.choices import AccountStatus, Platform
from mediamatrix.orgs.models import Account
from tests.factories import AccountFactory

TZ = ZoneInfo("Asia/Shanghai")
OCTOBER = parse_period("month:2026-10")
REGISTERED = datetime(2026, 1, 1, tzinfo=TZ)
METRICS = ("reads", "likes", "wows", "shares", "comments", "plays")


def at(day: str, hour: int = 10, minute: int = 0) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, minute=minute, tzinfo=TZ)


def make_post(account, published: datetime, *, position=1, snapshots=(), **metrics):
    """A post with its own (latest) figures and any snapshots: (days after publishing, metrics)."""
    count = Post.objects.filter(account=account).count()
    post = Post.objects.create(
        account=account,
        owner_path=account.owner_path,
        platform=account.platform,
        external_id=f"{account.pk}-{count}",
        title=f"稿件 {count}",
        published_at=published,
        position=position,
        content_hash=f"{account.pk:08d}{count:056d}",
        **{m: metrics.get(m, 0) for m in METRICS},
        is_original=metrics.get("is_original"),
    )
    for after, figures in snapshots:
        MetricSnapshot.objects.create(
            post=post, captured_at=published + after, **{m: figures.get(m, 0) for m in METRICS}
        )
    settled_refresh([post.pk])  # written past ingestion's service, which would do this
    return post


@pytest.fixture
def city(world):
    """The world's two WeChat accounts, registered at the start of the year."""
    Account.objects.update(created_at=REGISTERED)
    world.account_a.refresh_from_db()
    world.account_b.refresh_from_db()
    return world


def scores(period=OCTOBER, **filters):
    return IndexScore.objects.filter(
        period_kind=period.kind, period_start=period.start, period_end=period.end, **filters
    )


def account_row(account, formula, period=OCTOBER):
    return scores(period, account=account, formula=formula).get()


def post_weekly(account, first: str = "2026-10-01", **metrics):
    """A post every five days from `first` to the month's end: never dormant."""
    day = date.fromisoformat(first)
    while day <= OCTOBER.end:
        make_post(account, at(day.isoformat()), **metrics)
        day += timedelta(days=5)


# The settled-metrics rule --------------------------------------------------------------------


def test_each_post_counts_with_its_metrics_seven_days_after_publishing(city):
    a = city.account_a
    day = timedelta(days=1)
    # Latest snapshot at or before +7 days: 300 (the +10-day 900 and the row's 9,999 are later).
    make_post(
        a,
        at("2026-10-05"),
        reads=9999,
        snapshots=[(day, {"reads": 100}), (7 * day, {"reads": 300}), (10 * day, {"reads": 900})],
    )
    # Only a snapshot after the cut-off: the earliest snapshot counts.
    make_post(
        a,
        at("2026-10-06"),
        position=2,
        reads=800,
        snapshots=[(9 * day, {"reads": 500}), (12 * day, {"reads": 650})],
    )
    # No snapshot at all: the post's own figures.
    make_post(a, at("2026-10-07"), reads=70)
    # Published at 23:30 on 31 October (Shanghai) belongs to October, 00:10 on 1 November not.
    make_post(a, at("2026-10-31", 23, 30), reads=30, position=2)
    make_post(a, at("2026-11-01", 0, 10), reads=100000)
    make_post(a, at("2026-09-30", 23, 50), reads=100000)
    scores_compute(period=OCTOBER)
    row = account_row(a, "wci-v14.2")
    assert row.inputs["R"] == 300 + 500 + 70 + 30
    assert row.inputs["Rmax"] == 500
    assert row.inputs["n"] == 4 and row.post_count == 4
    assert row.inputs["d"] == 31


def test_a_day_period_settles_after_two_days(city):
    a = city.account_a
    make_post(
        a,
        at("2026-10-05"),
        reads=50,
        snapshots=[(timedelta(days=2), {"reads": 20}), (timedelta(days=3), {"reads": 40})],
    )
    scores_compute(period=parse_period("day:2026-10-05"))
    assert account_row(a, "wci-v14.2", parse_period("day:2026-10-05")).inputs["R"] == 20


def test_wechat_reads_above_100000_count_as_10万_plus(city):
    make_post(city.account_a, at("2026-10-05"), reads=250000)
    make_post(city.account_a, at("2026-10-06"), reads=90000)
    toutiao = AccountFactory(owner=city.county_a, platform=Platform.TOUTIAO, created_at=REGISTERED)
    make_post(toutiao, at("2026-10-05"), reads=250000)
    scores_compute(period=OCTOBER)
    wechat = account_row(city.account_a, "wci-v14.2")
    assert (wechat.inputs["R"], wechat.inputs["Rmax"]) == (100001 + 90000, 100001)
    assert account_row(toutiao, "aci").inputs["R"] == 250000  # the cap is WeChat's display


def test_headline_totals_are_the_position_1_posts(city):
    a = city.account_a
    make_post(a, at("2026-10-05"), position=1, reads=1000, likes=30, wows=7)
    make_post(a, at("2026-10-05", 10, 1), position=2, reads=400, likes=10, wows=2)
    make_post(a, at("2026-10-06"), position=1, reads=600, likes=20, wows=5)
    make_post(a, at("2026-10-07"), position=None, reads=50, likes=1, wows=1)
    scores_compute(period=OCTOBER)
    inputs = account_row(a, "wci-v14.2").inputs
    assert (inputs["Rt"], inputs["Lt"], inputs["Zt"]) == (1600, 50, 12)
    assert (inputs["R"], inputs["L"], inputs["Z"]) == (2050, 61, 15)
    assert (inputs["Rmax"], inputs["Lmax"], inputs["Zmax"]) == (1000, 30, 7)


# Reproducible rows ---------------------------------------------------------------------------


def test_every_formula_row_reproduces_from_its_stored_inputs(city):
    post_weekly(city.account_a, reads=1200, likes=40, wows=9)
    weibo = AccountFactory(owner=city.town_b, platform=Platform.WEIBO, created_at=REGISTERED)
    post_weekly(weibo, shares=15, comments=7, likes=80)
    douyin = AccountFactory(owner=city.town_a, platform=Platform.DOUYIN, created_at=REGISTERED)
    post_weekly(douyin, plays=20000, likes=300, comments=12, shares=5)
    scores_compute(period=OCTOBER)
    formulas = set(scores().values_list("formula", flat=True))
    assert formulas == {"wci-v14.2", "bci", "svci", "forces", "composite"}
    checked = 0
    for score in scores().exclude(formula="forces"):
        result = get(score.formula).evaluate(score.inputs, score.params)
        assert result.value == score.value
        assert result.input_hash == score.input_hash
        assert score.formula_version == result.version
        checked += 1
    assert checked == 4 + 5  # four accounts, and the city, both counties and both townships


def test_recomputing_gives_the_same_values_and_hashes(city):
    post_weekly(city.account_a, reads=1200, likes=40, wows=9)
    make_post(city.account_b, at("2026-10-09"), reads=300)

    def snapshot():
        rows = scores().values_list("formula", "account_id", "unit_id", "value", "input_hash")
        return sorted(rows, key=repr)

    first_run = scores_compute(period=OCTOBER)
    first = snapshot()
    second_run = scores_compute(period=OCTOBER)
    assert snapshot() == first
    assert len(first) == first_run.scores == second_run.scores == scores().count()
    assert (first_run.status, second_run.status) == (BulletinStatus.DONE, BulletinStatus.DONE)
    assert second_run.accounts == 2


# Who is ranked -------------------------------------------------------------------------------


def test_an_account_without_posts_gets_a_row(city):
    post_weekly(city.account_a, reads=500)
    scores_compute(period=OCTOBER)
    row = account_row(city.account_b, "wci-v14.2")
    assert (row.value, row.post_count, row.inputs["n"], row.inputs["R"]) == (0.0, 0, 0.0, 0.0)
    forces = account_row(city.account_b, "forces")
    # Dormant all month: the single-veto indicator is 0; no review decision stands against it.
    assert (forces.inputs["no_veto"], forces.inputs["no_violation"]) == (0.0, 100.0)
    assert forces.terms["credibility"] == 50


def test_pending_accounts_and_accounts_closed_before_the_period_are_left_out(city):
    pending = AccountFactory(
        owner=city.county_a, status=AccountStatus.PENDING, created_at=REGISTERED
    )
    closed = AccountFactory(
        owner=city.county_a,
        status=AccountStatus.CLOSED,
        created_at=REGISTERED,
        closed_at=at("2026-09-01"),
    )
    late = AccountFactory(owner=city.county_a)  # registered today, after October
    for account in (pending, closed, late):
        make_post(account, at("2026-10-05"), reads=100)
    scores_compute(period=OCTOBER)
    ranked = set(scores(subject_kind=SubjectKind.ACCOUNT).values_list("account_id", flat=True))
    assert ranked == {city.account_a.pk, city.account_b.pk}


# The four forces -----------------------------------------------------------------------------


def test_a_fourteen_day_gap_vetoes_credibility(city):
    a, b = city.account_a, city.account_b
    make_post(a, at("2026-10-01"), reads=900, likes=30)
    make_post(a, at("2026-10-20"), reads=900, likes=30)  # 2–19 October: 18 days quiet
    make_post(a, at("2026-10-31"), reads=900, likes=30)
    post_weekly(b, reads=900, likes=30)
    scores_compute(period=OCTOBER)
    vetoed, regular = account_row(a, "forces"), account_row(b, "forces")
    # The veto takes its half of credibility; no review decision stands against either.
    assert vetoed.terms["credibility"] == 50 and vetoed.inputs["no_veto"] == 0
    assert regular.terms["credibility"] == 100 and regular.inputs["no_veto"] == 100
    assert 0 <= vetoed.value < regular.value <= 100
    assert sum(regular.terms["weights"].values()) == pytest.approx(100)
    assert set(regular.terms) >= {"reach", "guidance", "influence", "credibility", "weights"}


def test_units_get_composite_and_forces_rows(city):
    post_weekly(city.account_a, reads=5000, likes=100, wows=20)
    make_post(city.account_b, at("2026-10-09"), reads=30)
    village = AccountFactory(owner=city.village_a, created_at=REGISTERED)
    post_weekly(village, reads=200)
    scores_compute(period=OCTOBER)
    units = scores(subject_kind=SubjectKind.UNIT)
    by_unit = {(row.unit_id, row.formula): row for row in units}
    # City and both counties, and the township above the village account; villages are not.
    expected_units = {city.city, city.county_a, city.county_b, city.town_a}
    assert {unit_id for unit_id, _ in by_unit} == {u.pk for u in expected_units}
    assert {formula for _, formula in by_unit} == {"composite", "forces"}
    assert len(by_unit) == 2 * len(expected_units)

    forces = {a.pk: account_row(a, "forces").value for a in (city.account_a, city.account_b)}
    forces[village.pk] = account_row(village, "forces").value
    county_b = by_unit[(city.county_b.pk, "forces")]
    assert county_b.value == pytest.approx(forces[city.account_b.pk])
    assert county_b.level == 2 and county_b.owner_path == city.county_b.path
    assert by_unit[(city.city.pk, "forces")].value == pytest.approx(sum(forces.values()) / 3)
    assert by_unit[(city.city.pk, "forces")].terms["accounts"] == 3
    assert by_unit[(city.county_a.pk, "forces")].post_count == 14  # 7 + 7 posts

    # Composite: each WeChat account's WCI ln-scaled to the best WeChat account (0–100), the
    # mean over the unit's accounts, weighted 30 of 100 by default.
    top = by_unit[(city.county_a.pk, "composite")]
    assert 0 < top.inputs["wechat_oa"] <= 100
    assert top.value == pytest.approx(30 * top.inputs["wechat_oa"] / 100)
    assert by_unit[(city.county_b.pk, "composite")].value < top.value
    for row in units.filter(formula="composite"):
        assert get("composite").evaluate(row.inputs, row.params).value == row.value


# Failures and running periods ----------------------------------------------------------------


def test_a_failure_leaves_the_previous_scores_and_marks_the_run_failed(city, monkeypatch):
    post_weekly(city.account_a, reads=500)
    scores_compute(period=OCTOBER)
    before = sorted(scores().values_list("pk", "value", "input_hash"))
    make_post(city.account_b, at("2026-10-09"), reads=30)

    def broken(name):
        raise FormulaError(f"{name}: broken for the test")

    monkeypatch.setattr("mediamatrix.indices.formulas.get", broken)
    with pytest.raises(FormulaError, match="broken for the test"):
        scores_compute(period=OCTOBER)
    run = ScoreRun.objects.order_by("-pk").first()
    assert run.status == BulletinStatus.FAILED and "broken for the test" in run.message
    assert run.finished_at is not None
    assert sorted(scores().values_list("pk", "value", "input_hash")) == before


def test_a_failure_while_storing_rolls_the_replacement_back(city, monkeypatch):
    post_weekly(city.account_a, reads=500)
    scores_compute(period=OCTOBER)
    before = sorted(scores().values_list("pk", "value", "input_hash"))

    def refuse(*args, **kwargs):
        raise RuntimeError("disk full")

    # The old rows are deleted inside the transaction before the new ones go in.
    monkeypatch.setattr(IndexScore.objects, "bulk_create", refuse)
    with pytest.raises(RuntimeError, match="disk full"):
        scores_compute(period=OCTOBER)
    assert ScoreRun.objects.order_by("-pk").first().status == BulletinStatus.FAILED
    assert sorted(scores().values_list("pk", "value", "input_hash")) == before


def test_a_running_period_counts_the_days_so_far(city, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args: date(2026, 11, 23))
    november = parse_period("month:2026-11")
    for day in range(1, 24, 4):  # 1, 5, … 21 November: not dormant up to the 23rd
        make_post(city.account_a, at(f"2026-11-{day:02d}"), reads=1000)
    scores_compute(period=november)
    row = account_row(city.account_a, "wci-v14.2", november)
    assert row.inputs["d"] == 23
    assert (row.period_start, row.period_end) == (november.start, november.end)
    assert account_row(city.account_a, "forces", november).terms["credibility"] == 100
    # A finished month counts all its days.
    scores_compute(period=OCTOBER)
    assert account_row(city.account_a, "wci-v14.2").inputs["d"] == 31
