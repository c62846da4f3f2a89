"""Inspection health: named lists with since-when, scoped like every read."""

import io
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mediamatrix.indices.health import health_report, health_report_for_scope
from mediamatrix.orgs import services
from mediamatrix.orgs.choices import AccountStatus, Platform, Role
from mediamatrix.review.services.decisions import appeal_decide, appeal_file, decision_make
from tests.factories import AccountFactory
from tests.review.cases import make_case, only_test_check

TZ = ZoneInfo("Asia/Shanghai")
TODAY = timezone.localdate()  # the page reports as of the real today


def days_ago(n: int, hour: int = 12) -> datetime:
    return datetime.combine(TODAY - timedelta(days=n), time(hour), tzinfo=TZ)


def names(health_list) -> list[str]:
    return [entry.account.name for entry in health_list.entries]


def since_of(health_list) -> dict[str, date]:
    return {entry.account.name: entry.since for entry in health_list.entries}


@pytest.fixture
def histories(world):
    """Accounts of county A with constructed histories (world.account_a/b posted yesterday)."""
    owner = world.town_a
    world.account_a.last_post_at = days_ago(1)
    world.account_a.save()
    world.account_b.last_post_at = days_ago(300)  # county B: outside county A's sight
    world.account_b.save()
    made = {
        "d13": AccountFactory(owner=owner, name="d13", last_post_at=days_ago(13)),
        "d14": AccountFactory(
            owner=owner, name="d14", last_post_at=days_ago(14, hour=23), platform=Platform.WEIBO
        ),
        "d100": AccountFactory(
            owner=owner, name="d100", last_post_at=days_ago(100), platform=Platform.DOUYIN
        ),
        "d200": AccountFactory(
            owner=world.village_a, name="d200", last_post_at=days_ago(200), status="dormant"
        ),
        "never": AccountFactory(
            owner=world.village_a,
            name="never",
            platform=Platform.WEIBO,
            last_post_at=None,
            filed_at=days_ago(20),
        ),
        "never_new": AccountFactory(
            owner=world.village_a,
            name="never_new",
            platform=Platform.DOUYIN,
            last_post_at=None,
            filed_at=days_ago(5),
        ),
        "pending": AccountFactory(
            owner=owner,
            name="pending",
            platform=Platform.TOUTIAO,
            status=AccountStatus.PENDING,
            last_post_at=None,
            created_at=days_ago(60),
        ),
        "closed": AccountFactory(
            owner=owner,
            name="closed",
            platform=Platform.BILIBILI,
            status=AccountStatus.CLOSED,
            closed_at=days_ago(30),
            last_post_at=days_ago(3),
        ),
        "closed_quiet": AccountFactory(
            owner=owner,
            name="closed_quiet",
            platform=Platform.KUAISHOU,
            status=AccountStatus.CLOSED,
            closed_at=days_ago(30),
            last_post_at=days_ago(300),
        ),
    }
    return made


def test_lists_and_since_dates(world, histories):
    report = health_report(world.user(world.county_a, Role.VIEWER), today=TODAY)

    # 14 days without update is dormant (the last post at 23:00 still counts as that day).
    assert since_of(report.dormant) == {
        "d200": TODAY - timedelta(days=200 - 14),
        "d100": TODAY - timedelta(days=100 - 14),
        "never": TODAY - timedelta(days=20 - 14),
        "d14": TODAY,
    }
    assert names(report.dormant) == ["d200", "d100", "never", "d14"]  # oldest first
    assert report.dormant.single_veto
    assert since_of(report.long_dormant) == {
        "d200": TODAY - timedelta(days=200 - 90),
        "d100": TODAY - timedelta(days=100 - 90),
    }
    assert since_of(report.should_close) == {
        "d200": TODAY - timedelta(days=200 - 180),
        "closed": TODAY - timedelta(days=30),  # closed, yet posted three days ago
    }
    entry = next(e for e in report.dormant.entries if e.account.name == "d100")
    assert entry.last_update == TODAY - timedelta(days=100)
    assert entry.idle_days == 100
    assert entry.days == 100 - 14 + 1
    assert entry.unit == world.town_a
    never = next(e for e in report.dormant.entries if e.account.name == "never")
    assert never.last_update is None and never.idle_days == 20


def test_a_county_sees_only_its_county(world, histories):
    a = health_report(world.user(world.county_a, Role.VIEWER), today=TODAY)
    assert "西山发布" not in names(a.dormant)
    b = health_report(world.user(world.county_b, Role.VIEWER), today=TODAY)
    assert names(b.dormant) == ["西山发布"]
    assert names(b.should_close) == ["西山发布"]
    with pytest.raises(Http404):
        health_report(world.user(world.county_b, Role.VIEWER), scope=world.county_a, today=TODAY)


def test_scope_narrows_the_lists(world, histories):
    user = world.user(world.city, Role.VIEWER)
    report = health_report(user, scope=world.village_a, today=TODAY)
    assert set(names(report.dormant)) == {"d200", "never"}
    assert report.accounts == 3  # d200, never, never_new


def test_system_variant_matches_the_users(world, histories):
    user = world.user(world.city, Role.VIEWER)
    for scope in (world.city, world.county_a, world.county_b):
        for_user = health_report(user, scope=scope, today=TODAY)
        for_system = health_report_for_scope(scope, today=TODAY)
        for mine, theirs in zip(for_user.lists, for_system.lists, strict=True):
            assert names(mine) == names(theirs)
            assert since_of(mine) == since_of(theirs)
    city = health_report_for_scope(world.city, today=TODAY)
    assert "西山发布" in names(city.dormant) and "d200" in names(city.dormant)


def test_duplicates_since_the_second_registration(world, histories):
    first = AccountFactory(
        owner=world.county_a, name="东湖发布微博", platform=Platform.WEIBO, last_post_at=days_ago(1)
    )
    first.filed_at = days_ago(400)
    first.save()
    second = AccountFactory(
        owner=world.county_a,
        name="东湖发布微博二",
        platform=Platform.WEIBO,
        last_post_at=days_ago(2),
        filed_at=days_ago(50),
    )
    AccountFactory(owner=world.county_b, name="西山微博", platform=Platform.WEIBO)
    AccountFactory(owner=world.county_b, name="西山微博二", platform=Platform.WEIBO)
    report = health_report(world.user(world.county_a, Role.VIEWER), today=TODAY)
    assert since_of(report.duplicates) == {
        first.name: TODAY - timedelta(days=50),
        second.name: TODAY - timedelta(days=50),
    }
    system = health_report_for_scope(world.county_b, today=TODAY)
    assert set(names(system.duplicates)) == {"西山微博", "西山微博二"}


def test_registered_dormant_for_long_should_close(world, histories, superuser):
    # Marked dormant now (the audit trail says when); it posted once more ten days later.
    marked = timezone.localdate()
    account = AccountFactory(
        owner=world.county_a,
        name="休眠号",
        last_post_at=timezone.now() + timedelta(days=10),
    )
    services.account_set_dormant(actor=superuser, account=account, dormant=True, reason="停更")
    later = marked + timedelta(days=181)
    report = health_report(superuser, scope=world.county_a, today=later)
    entry = next(e for e in report.should_close.entries if e.account.name == "休眠号")
    assert entry.since == marked + timedelta(days=180)
    assert str(entry.reason) == "长期登记为休眠"
    earlier = health_report(superuser, scope=world.county_a, today=later - timedelta(days=2))
    assert "休眠号" not in names(earlier.should_close)


def _serious_error(world, external_id, *, ground="Q-ERROR"):
    """A post of account_a with a high-severity finding, decided as a correction."""
    reviewer = world.user(world.city, Role.REVIEWER)
    with only_test_check():
        item = make_case(world.account_a, external_id, "这里有一个标记。")
    decision = decision_make(
        actor=reviewer,
        item=item,
        kind="correction",
        ground=ground,
        explanation="规范表述错误，须更正。",
        cited_ids=list(item.findings.values_list("pk", flat=True)),
        deadline=timezone.now() + timedelta(days=3),
    )
    return decision


def test_review_vetoes_list_standing_serious_errors(world, histories):
    _serious_error(world, "veto-1")
    vetoes = health_report_for_scope(world.city, today=TODAY).review_vetoes
    assert not vetoes.pending
    assert [entry.account for entry in vetoes.entries] == [world.account_a]
    assert vetoes.entries[0].since == TODAY and str(vetoes.entries[0].reason) == "《测试稿件》"
    # Another ground is not a serious wrong statement.
    _serious_error(world, "veto-2", ground="P2019-7-1")
    assert len(health_report_for_scope(world.city, today=TODAY).review_vetoes.entries) == 1
    # Out of the county B user's sight.
    county_b = health_report(world.user(world.county_b, Role.VIEWER), today=TODAY)
    assert county_b.review_vetoes.entries == []


def test_a_reversed_appeal_lifts_the_veto(world, histories):
    decision = _serious_error(world, "veto-3")
    appeal = appeal_file(
        actor=world.user(world.account_a.owner, Role.OPERATOR), decision=decision, text="表述无误"
    )
    other = world.user(world.city, Role.REVIEWER)
    appeal_decide(actor=other, appeal=appeal, outcome="reversed", explanation="经复核表述无误")
    assert health_report_for_scope(world.city, today=TODAY).review_vetoes.entries == []


def test_unit_summary_per_child(world, histories):
    report = health_report_for_scope(world.county_a, today=TODAY)
    rows = {(row.unit.name, row.own): row for row in report.units}
    own = rows[("东湖区", True)]
    assert (own.accounts, own.dormant) == (1, 0)
    town = rows[("东湖街道", False)]
    # d13, d14, d100 in the town; d200, never, never_new in its village
    assert (town.accounts, town.dormant, town.long_dormant) == (6, 4, 2)
    assert report.accounts == 7


def test_a_handful_of_queries_whatever_the_count(world, histories):
    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            health_report_for_scope(world.city, today=TODAY)
        return len(ctx.captured_queries)

    AccountFactory(owner=world.village_a, last_post_at=days_ago(39))  # a duplicate: one query more
    before = queries()
    for n in range(30):
        AccountFactory(owner=world.village_a, last_post_at=days_ago(40 + n))
    assert queries() == before <= 10


# The page and the export ------------------------------------------------------------------------


def test_page_for_a_county_user(client, world, histories):
    client.force_login(world.user(world.county_a, Role.VIEWER))
    response = client.get(reverse("indices:health"))
    assert response.status_code == 200
    assert response.context["scope"] == world.county_a  # their one top unit
    body = response.content.decode()
    assert histories["d100"].get_absolute_url() in body
    assert "西山发布" not in body and "西山县" not in body  # county B: neither listed nor picked
    assert "严重表述错误" in body
    assert 'id="health-chart-data"' in body
    chart = response.context["chart"]
    assert chart["units"][0] == "东湖区（本级）" and "东湖街道" in chart["units"]


def test_page_scope_picker_and_out_of_sight(client, world, histories):
    client.force_login(world.user(world.county_a, Role.VIEWER))
    response = client.get(reverse("indices:health"), {"unit": world.village_a.pk})
    assert response.context["scope"] == world.village_a
    assert "d13" not in response.content.decode()  # d13 belongs to the town, not the village
    assert client.get(reverse("indices:health"), {"unit": world.county_b.pk}).status_code == 404


def test_page_needs_login(client, world):
    response = client.get(reverse("indices:health"))
    assert response.status_code == 302


def test_xlsx_export_one_sheet_per_list(client, world, histories):
    histories["d14"].name = "=HYPERLINK(1)"  # stays text, never a formula
    histories["d14"].save()
    client.force_login(world.user(world.county_a, Role.VIEWER))
    response = client.get(reverse("indices:health"), {"format": "xlsx"})
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert len(workbook.sheetnames) == 5
    dormant = list(workbook.worksheets[0].iter_rows(values_only=True))
    assert dormant[0][:4] == ("账号", "平台", "平台账号", "主办单位")
    names_in_sheet = [row[0] for row in dormant[1:]]
    assert set(names_in_sheet) == {"d200", "d100", "never", "=HYPERLINK(1)"}
    d100 = next(row for row in dormant[1:] if row[0] == "d100")
    assert d100[3] == "东湖街道"
    assert (d100[4].date(), d100[5]) == (TODAY - timedelta(days=100), 100)
    assert (d100[6].date(), d100[7]) == (TODAY - timedelta(days=86), 87)
    assert workbook.worksheets[0].cell(row=2, column=1).data_type == "s"
    close = list(workbook.worksheets[2].iter_rows(values_only=True))
    assert close[0][-1] == "原因"
    assert {row[0] for row in close[1:]} == {"d200", "closed"}
    vetoes = list(workbook.worksheets[4].iter_rows(values_only=True))
    assert vetoes[0][0] == "账号" and len(vetoes) == 1  # no standing serious error here
