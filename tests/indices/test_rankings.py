"""Rankings: scoped boards with competition ranks, 环比/同比 from stored scores, unit boards,
filters, the page with its charts and export, and computing a period that has no scores."""

import io
import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mediamatrix.engines.indices import change_ratio, competition_ranks, last_complete, parse_period
from mediamatrix.indices.choices import BulletinStatus
from mediamatrix.indices.models import IndexScore, ScoreRun
from mediamatrix.indices.selectors import (
    BOARD_FORCES,
    BOARD_PLATFORM,
    BOARD_UNIT_COMPOSITE,
    BOARD_UNIT_FORCES,
    KIND_ALL,
    ranking,
    ranking_periods,
)
from mediamatrix.indices.services import scores_compute
from mediamatrix.ingestion.records import Metrics, PostRecord
from mediamatrix.ingestion.services import posts_upsert
from mediamatrix.orgs.choices import Platform, UnitKind
from mediamatrix.orgs.models import Account, Unit
from tests.factories import AccountFactory, UnitFactory

TZ = ZoneInfo("Asia/Shanghai")
OCT = parse_period("month:2026-10")
SEP = parse_period("month:2026-09")
OCT_LAST_YEAR = parse_period("month:2025-10")
FILED = datetime(2025, 1, 1, tzinfo=TZ)


def publish(account, period, *, count, reads, title="稿件", **metrics):
    """`count` headline posts on distinct days of `period`, settled a day after publishing."""
    records = []
    for i in range(count):
        published = datetime.combine(period.start + timedelta(days=i), time(10), tzinfo=TZ)
        records.append(
            PostRecord(
                account_id=account.pk,
                external_id=f"{period.key}-{i}",
                title=f"{account.name}{title}{i}",
                published_at=published,
                position=1,
                metrics=Metrics(reads=reads, likes=reads // 20, wows=reads // 50, **metrics),
                captured_at=published + timedelta(days=1),
            )
        )
    result = posts_upsert(actor=None, records=records, source="test")
    assert not result.rejected


@dataclass
class City:
    world: object
    a: Account  # county A, the strongest
    b: Account  # county B
    c: Account  # town B: ties with b
    d: Account  # village A: small, filed this year (no score a year ago)
    weibo: Account  # county A on Weibo
    department: Unit  # a city department at level 2


@pytest.fixture
def city(world):
    Account.objects.update(filed_at=FILED)
    department = UnitFactory(name="市委宣传部", parent=world.city, kind=UnitKind.DEPARTMENT)
    made = City(
        world=world,
        a=world.account_a,
        b=world.account_b,
        c=AccountFactory(owner=world.town_b, name="西山镇发布", category="news", filed_at=FILED),
        d=AccountFactory(
            owner=world.village_a, name="东湖社区号", filed_at=datetime(2026, 5, 1, tzinfo=TZ)
        ),
        weibo=AccountFactory(
            owner=world.county_a, platform=Platform.WEIBO, name="东湖微博", filed_at=FILED
        ),
        department=department,
    )
    AccountFactory(owner=department, name="宣传部号", filed_at=FILED)
    publish(made.a, OCT, count=8, reads=5000)
    publish(made.b, OCT, count=4, reads=1000)
    publish(made.c, OCT, count=4, reads=1000)
    publish(made.d, OCT, count=2, reads=100)
    publish(made.weibo, OCT, count=5, reads=0, shares=30, comments=12)
    publish(made.a, SEP, count=8, reads=2500)
    publish(made.b, SEP, count=4, reads=2000)
    publish(made.a, OCT_LAST_YEAR, count=6, reads=4000)
    for period in (OCT_LAST_YEAR, SEP, OCT):
        scores_compute(period=period)
    return made


def stored(period, account, formula="wci-v14.2"):
    return IndexScore.objects.get(
        formula=formula,
        account=account,
        period_kind=period.kind,
        period_start=period.start,
        period_end=period.end,
    )


def names(board):
    return [row.name for row in board.rows]


# Selector ------------------------------------------------------------------------------------


def test_platform_board_ranks_with_ties(city, superuser):
    board = ranking(superuser, period=OCT, board=BOARD_PLATFORM, platform=Platform.WECHAT_OA)
    assert board.formula == "wci-v14.2"
    assert [row.name for row in board.rows] == [
        "东湖发布",
        "西山发布",
        "西山镇发布",
        "东湖社区号",
        "宣传部号",
    ]
    # b and c published the same: one rank, then ordered by name; the next rank skips one.
    assert [row.rank for row in board.rows] == [1, 2, 2, 4, 5]
    values = {row.name: row.value for row in board.rows}
    assert values["东湖发布"] == stored(OCT, city.a).value
    assert values["西山发布"] == values["西山镇发布"]
    ranks = {row.name: row.rank for row in board.rows}
    assert ranks["东湖发布"] == 1 and ranks["西山发布"] == ranks["西山镇发布"] == 2
    assert ranks["东湖社区号"] > 2
    assert "东湖微博" not in values  # Weibo has its own board
    a = board.rows[0]
    assert a.post_count == 8
    assert dict(zip([c.key for c in board.columns], a.key_values, strict=True))["R"] == 40000


def test_county_user_sees_only_their_county(city, world):
    viewer = world.user(world.county_a, "viewer")
    board = ranking(viewer, period=OCT, board=BOARD_PLATFORM)
    assert names(board) == ["东湖发布", "东湖社区号"]
    assert [row.rank for row in board.rows] == [1, 2]  # ranked within what they see
    forces = ranking(viewer, period=OCT, board=BOARD_FORCES)
    assert set(names(forces)) == {"东湖发布", "东湖社区号", "东湖微博"}
    units = ranking(viewer, period=OCT, board=BOARD_UNIT_COMPOSITE)
    assert names(units) == ["东湖区"]


def test_scope_unit_narrows_the_board(city, superuser, world):
    board = ranking(superuser, period=OCT, board=BOARD_PLATFORM, scope=world.county_b)
    assert names(board) == ["西山发布", "西山镇发布"]
    assert [row.rank for row in board.rows] == [1, 1]


def test_month_on_month_and_year_on_year_from_stored_scores(city, superuser):
    board = ranking(superuser, period=OCT, board=BOARD_PLATFORM)
    rows = {row.name: row for row in board.rows}
    a_oct, a_sep, a_last = (stored(p, city.a).value for p in (OCT, SEP, OCT_LAST_YEAR))
    assert rows["东湖发布"].mom.ratio == pytest.approx(change_ratio(a_oct, a_sep))
    assert rows["东湖发布"].mom.previous_value == a_sep
    assert rows["东湖发布"].yoy.ratio == pytest.approx(change_ratio(a_oct, a_last))
    assert rows["东湖发布"].yoy.direction == ("up" if a_oct > a_last else "down")
    # September's ranks among the same accounts: a and b posted, the rest scored 0.
    september = IndexScore.objects.filter(
        formula="wci-v14.2", period_kind="month", period_start=SEP.start, platform="wechat_oa"
    )
    by_id = dict(september.values_list("account_id", "value"))
    order = list(by_id)
    sep_ranks = dict(zip(order, competition_ranks([by_id[i] for i in order]), strict=True))
    assert rows["东湖发布"].mom.previous_rank == sep_ranks[city.a.pk]
    assert rows["西山发布"].mom.previous_rank == sep_ranks[city.b.pk]
    assert rows["西山发布"].mom.direction == "down"  # 2,000 reads a post in Sep., 1,000 in Oct.
    # c scored 0 in September: there is a previous score but no ratio to divide by.
    assert rows["西山镇发布"].mom.ratio is None
    assert rows["西山镇发布"].mom.previous_value == 0
    # d was filed this year: no score a year ago at all.
    assert rows["东湖社区号"].yoy.previous_value is None
    assert rows["东湖社区号"].yoy.previous_rank is None


def test_three_queries_however_many_rows(city, superuser):
    with CaptureQueriesContext(connection) as queries:
        board = ranking(superuser, period=OCT, board=BOARD_PLATFORM)
        for row in board.rows:
            assert row.name and row.owner_name
    assert len(queries) == 3  # current, previous period, a year ago


def test_unit_board_ranks_counties(city, superuser, world):
    board = ranking(superuser, period=OCT, board=BOARD_UNIT_COMPOSITE)
    assert set(names(board)) == {"东湖区", "西山县"}  # the department is left out
    assert {row.owner_name for row in board.rows} == {"临江市"}
    values = [row.value for row in board.rows]
    assert [row.rank for row in board.rows] == competition_ranks(values)
    assert values == sorted(values, reverse=True)
    with_departments = ranking(superuser, period=OCT, board=BOARD_UNIT_COMPOSITE, kind=KIND_ALL)
    assert set(names(with_departments)) == {"东湖区", "西山县", "市委宣传部"}
    towns = ranking(superuser, period=OCT, board=BOARD_UNIT_FORCES, level=3)
    assert set(names(towns)) == {"东湖街道", "西山镇"}
    assert [c.key for c in towns.columns] == ["accounts", "vetoed"]


def test_filters(city, superuser):
    news = ranking(superuser, period=OCT, board=BOARD_PLATFORM, category="news")
    assert names(news) == ["西山镇发布"]
    villages = ranking(superuser, period=OCT, board=BOARD_PLATFORM, level=4)
    assert names(villages) == ["东湖社区号"]
    weibo = ranking(superuser, period=OCT, board=BOARD_PLATFORM, platform=Platform.WEIBO)
    assert weibo.formula == "bci" and names(weibo) == ["东湖微博"]
    forces = ranking(superuser, period=OCT, board=BOARD_FORCES)
    assert len(forces.rows) == 6  # every platform's accounts
    assert [c.key for c in forces.columns] == ["reach", "guidance", "influence", "credibility"]
    weibo_forces = ranking(superuser, period=OCT, board=BOARD_FORCES, platform=Platform.WEIBO)
    assert names(weibo_forces) == ["东湖微博"]


def test_periods_with_scores(city):
    assert ranking_periods() == [OCT, SEP, OCT_LAST_YEAR]
    assert ranking_periods("day") == []


# Pages ---------------------------------------------------------------------------------------

OCT_QUERY = {"kind": "month", "month": "2026-10"}


def test_page_shows_the_board_with_links_and_chart_data(client, city, superuser):
    client.force_login(superuser)
    response = client.get(reverse("indices:rankings"), OCT_QUERY)
    html = response.content.decode()
    assert response.status_code == 200
    assert "2026年10月" in html and "微信传播指数 WCI V14.2" in html
    a = stored(OCT, city.a)
    assert f'href="{a.get_absolute_url()}"' in html
    assert f"{a.value:.2f}" in html
    chart = response.context["chart"]
    assert chart["names"][0] == "东湖发布"
    assert 'id="ranking-chart-data"' in html and 'id="ranking-top-chart"' in html
    assert sum(chart["histogram"]["counts"]) == len(response.context["ranking"].rows)


def test_page_defaults_to_last_complete_month_and_the_users_unit(client, city, world):
    client.force_login(world.user(world.county_a, "viewer"))
    response = client.get(reverse("indices:rankings"))
    expected = last_complete("month", timezone.localdate())
    assert response.context["period"] == expected
    assert response.context["form"].cleaned_data["scope"] == world.county_a.pk
    assert response.context["ranking"].formula == "wci-v14.2"


def test_page_filters_and_rejects_foreign_scope(client, city, world):
    client.force_login(world.user(world.county_a, "viewer"))
    query = {**OCT_QUERY, "board": BOARD_FORCES}
    html = client.get(reverse("indices:rankings"), query).content.decode()
    assert "东湖微博" in html and "西山发布" not in html
    response = client.get(reverse("indices:rankings"), {**OCT_QUERY, "scope": world.county_b.pk})
    assert response.status_code == 200 and "ranking" not in response.context
    assert response.context["form"].errors["scope"]
    assert "西山发布" not in response.content.decode()


def test_custom_period_needs_ordered_dates(client, city, superuser):
    client.force_login(superuser)
    query = {"kind": "custom", "start": "2026-10-20", "end": "2026-10-01"}
    response = client.get(reverse("indices:rankings"), query)
    assert "截止日不能早于起始日" in response.content.decode()


def test_xlsx_export_holds_the_rows(client, city, superuser):
    client.force_login(superuser)
    response = client.get(reverse("indices:rankings"), {**OCT_QUERY, "format": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:6] == ("排名", "名称", "主办单位", "平台", "指数值", "稿件数")
    board = ranking(superuser, period=OCT, board=BOARD_PLATFORM)
    assert [(r[0], r[1], r[4]) for r in rows[1:]] == [
        (row.rank, row.name, round(row.value, 2)) for row in board.rows
    ]
    assert rows[1][rows[0].index("环比")] == pytest.approx(board.rows[0].mom.ratio)


def test_empty_period_offers_computation_to_those_who_may(client, city, world):
    august = {"kind": "month", "month": "2026-08"}
    viewer = world.user(world.city, "viewer")
    client.force_login(viewer)
    html = client.get(reverse("indices:rankings"), august).content.decode()
    assert "2026年8月尚未计算指数" in html and "compute-button" not in html
    response = client.post(reverse("indices:rankings-compute"), {"p": "month:2026-08"})
    assert response.status_code == 403
    assert not ScoreRun.objects.filter(period_start=date(2026, 8, 1)).exists()

    client.force_login(world.user(world.city, "admin"))
    html = client.get(reverse("indices:rankings"), august).content.decode()
    assert 'id="compute-button"' in html
    response = client.post(
        reverse("indices:rankings-compute"),
        {"p": "month:2026-08", "query": "kind=month&month=2026-08&board=forces"},
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("indices:rankings") + "?kind=month")
    # The test task backend runs at once: August and July (for 环比) are computed.
    for start in (date(2026, 8, 1), date(2026, 7, 1)):
        run = ScoreRun.objects.get(period_start=start, period_kind="month")
        assert run.status == BulletinStatus.DONE
        assert IndexScore.objects.filter(period_start=start, period_kind="month").exists()
    page = client.get(response["Location"])
    assert page.context["has_scores"] and len(page.context["ranking"].rows) == 6


def test_score_run_status_reloads_the_page_when_done(client, city, superuser):
    run = ScoreRun.objects.order_by("-pk").first()
    client.force_login(superuser)
    url = reverse("indices:score-run", args=[run.pk])
    response = client.get(url, headers={"HX-Request": "true"})
    assert response["HX-Refresh"] == "true"
    ScoreRun.objects.filter(pk=run.pk).update(status=BulletinStatus.RUNNING)
    response = client.get(url, headers={"HX-Request": "true"})
    assert "HX-Refresh" not in response and 'hx-trigger="every 2s"' in response.content.decode()


def test_chart_data_is_json_not_markup(client, city, superuser):
    Account.objects.filter(pk=city.a.pk).update(name="</script><b>x</b>")
    client.force_login(superuser)
    html = client.get(reverse("indices:rankings"), OCT_QUERY).content.decode()
    assert "</script><b>x</b>" not in html
    data = html.split('id="ranking-chart-data" type="application/json">')[1].split("</script>")[0]
    assert json.loads(data)["names"][0] == "</script><b>x</b>"


def test_rankings_need_login(client):
    response = client.get(reverse("indices:rankings"))
    assert response.status_code == 302 and "/login/" in response["Location"]
