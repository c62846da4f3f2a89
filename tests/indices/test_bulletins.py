"""Bulletins: generate, build, open the .docx and .xlsx, versions, reproducibility, failures."""

import hashlib
import io
from datetime import datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import docx
import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from mediamatrix.engines.indices import containing, get, last_complete
from mediamatrix.indices.bulletins.data import bulletin_data, data_digest
from mediamatrix.indices.choices import BulletinStatus
from mediamatrix.indices.health import health_report_for_scope
from mediamatrix.indices.models import Bulletin
from mediamatrix.indices.services import (
    bulletin_build,
    bulletin_generate,
    bulletin_render,
    scores_compute,
)
from mediamatrix.indices.services import bulletins as service
from mediamatrix.ingestion.records import Metrics, PostRecord
from mediamatrix.ingestion.services import posts_upsert
from mediamatrix.orgs.choices import Platform
from mediamatrix.orgs.models import Account
from tests.factories import AccountFactory

TZ = ZoneInfo("Asia/Shanghai")
PERIOD = last_complete("month", timezone.localdate())
PREVIOUS = PERIOD.previous()
DORMANT_AFTER = PERIOD.start + timedelta(days=9)  # 西山发布 stops posting after this day
LAST_POST_B = PERIOD.start + timedelta(days=8)  # its last post (one every four days)
DORMANT_SINCE = LAST_POST_B + timedelta(days=14)


def at(day, hour=9) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=TZ)


def post_every(account, days, *, reads, step=4, until=None, key="p"):
    """A post every `step` days from the start of `days` (a period) to `until` or its end."""
    day, last = days.start, until or days.end
    records = []
    while day <= last:
        records.append(
            PostRecord(
                account_id=account.pk,
                external_id=f"{key}-{day.isoformat()}",
                title=f"{account.name}{day.isoformat()}",
                published_at=at(day),
                position=1,
                metrics=Metrics(reads=reads, likes=reads // 50, wows=reads // 100),
                captured_at=at(day) + timedelta(days=1),
            )
        )
        day += timedelta(days=step)
    posts_upsert(actor=None, records=records, source="test")
    return len(records)


def populate(world):
    """The world's city with five accounts and two months of posts.

    东湖发布 (WeChat, county A) leads; 东湖街道发布 (WeChat) follows; 东湖微博 is on Weibo;
    西山发布 (WeChat, county B) stops posting early in the period (dormant by its end);
    西山镇发布 (WeChat) never posts at all.
    """
    world.weibo = AccountFactory(owner=world.county_a, name="东湖微博", platform=Platform.WEIBO)
    world.street = AccountFactory(owner=world.town_a, name="东湖街道发布")
    world.silent = AccountFactory(owner=world.town_b, name="西山镇发布")
    registered = at(PREVIOUS.start - timedelta(days=60))
    Account.objects.update(created_at=registered, filed_at=registered)
    world.posts_a = post_every(world.account_a, PERIOD, reads=5000)
    post_every(world.account_a, PREVIOUS, reads=4000, key="q")
    post_every(world.street, PERIOD, reads=800)
    post_every(world.street, PREVIOUS, reads=900, key="q")
    post_every(world.weibo, PERIOD, reads=300, step=3)
    post_every(world.account_b, PREVIOUS, reads=1000, key="q")
    post_every(world.account_b, PERIOD, reads=1200, until=DORMANT_AFTER)
    return world


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def city(world):
    return populate(world)


@pytest.fixture
def generate(django_capture_on_commit_callbacks):
    """Generate as the service does in a request: the build task runs once the row commits."""

    def run(actor, scope, period=PERIOD):
        with django_capture_on_commit_callbacks(execute=True):
            bulletin = bulletin_generate(actor=actor, scope=scope, period=period)
        bulletin.refresh_from_db()
        return bulletin

    return run


def open_docx(path: Path):
    return docx.Document(str(path))


def table_texts(document) -> list[list[list[str]]]:
    return [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables]


def sheet_values(workbook) -> dict[str, list[tuple]]:
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in workbook.worksheets}


def files_of(bulletin) -> tuple[Path, Path]:
    root = Path(service.settings.MEDIA_ROOT)
    return root / bulletin.docx_file, root / bulletin.xlsx_file


# Generating and opening the documents --------------------------------------------------------


def test_a_generated_bulletin_opens_as_word_with_the_top_list_and_the_named_list(
    city, generate, superuser
):
    bulletin = generate(superuser, city.city)
    assert bulletin.status == BulletinStatus.DONE, bulletin.message
    assert bulletin.version == 1
    assert bulletin.title == f"临江市{PERIOD.label}新媒体传播力通报"
    docx_path, _ = files_of(bulletin)
    document = open_docx(docx_path)
    text = "\n".join(p.text for p in document.paragraphs)
    assert bulletin.title in text
    assert "内容审核模块接入后列出" in text
    # Units get 15 days from the day the bulletin is issued (today, after the period ended).
    rectify = (max(PERIOD.end, timezone.localdate()) + timedelta(days=15)).isoformat()
    assert rectify in text and bulletin.rectify_by.isoformat() == rectify
    tables = table_texts(document)
    wechat_top = tables[0]
    assert wechat_top[0] == ["排名", "账号", "所属单位", "指数", "环比", "上期排名"]
    assert [row[1] for row in wechat_top[1:]][:2] == ["东湖发布", "东湖街道发布"]
    assert wechat_top[1][0] == "1" and wechat_top[1][2] == "东湖区"
    assert wechat_top[1][4].startswith("+")  # 东湖发布 read more than in the previous month
    named = [t for t in tables if t[0][:2] == ["序号", "账号"]]
    dormant_rows = {row[1]: row for row in named[0][1:]}
    assert set(dormant_rows) == {"西山发布", "西山镇发布"}
    assert dormant_rows["西山发布"][4] == DORMANT_SINCE.isoformat()
    assert dormant_rows["西山发布"][6] == LAST_POST_B.isoformat()
    assert dormant_rows["西山镇发布"][6] == "从未更新"
    assert len(document.inline_shapes) >= 2  # unit ranking and distribution charts
    east_asia = document.styles["Normal"].element.rPr.rFonts.get(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia"
    )
    assert east_asia == "仿宋"


def test_the_dormant_account_is_named_with_the_day_its_dormancy_began(city, generate, superuser):
    bulletin = generate(superuser, city.city)
    dormant = next(item for item in bulletin.data["named"]["lists"] if item["key"] == "dormant")
    since = {entry["name"]: entry["since"] for entry in dormant["entries"]}
    assert since["西山发布"] == DORMANT_SINCE.isoformat()
    assert dormant["single_veto"] is True


def test_problems_that_began_after_the_period_wait_for_a_later_bulletin(city, monkeypatch):
    """A month later every account of the world is quiet; only those dormant within the period
    (as its scores recorded) are named in its bulletin, and the list says when it was taken."""
    later = PERIOD.end + timedelta(days=30)
    monkeypatch.setattr(timezone, "localdate", lambda *args: later)
    scores_compute(period=PERIOD)  # building a bulletin makes sure the period has scores
    data = bulletin_data(city.city, PERIOD)
    dormant = next(item for item in data["named"]["lists"] if item["key"] == "dormant")
    assert {entry["name"] for entry in dormant["entries"]} == {"西山发布", "西山镇发布"}
    assert data["named"]["as_of"] == later.isoformat()
    everyone = health_report_for_scope(city.city, today=later).dormant.entries
    assert {"东湖发布", "东湖微博"} <= {entry.account.name for entry in everyone}


def test_the_excel_annex_has_every_account_with_the_formula_inputs(city, generate, superuser):
    bulletin = generate(superuser, city.city)
    _, xlsx_path = files_of(bulletin)
    workbook = openpyxl.load_workbook(xlsx_path)
    assert workbook.sheetnames == [
        "概况",
        "微信公众号",
        "微博",
        "四力综合",
        "单位排名",
        "点名名单",
        "分布与走势",
    ]
    wechat = workbook["微信公众号"]
    assert wechat.freeze_panes == "A2"
    rows = sheet_values(workbook)["微信公众号"]
    header = list(rows[0])
    formula = get("wci-v14.2")
    for spec in formula.inputs:
        assert f"{spec.zh}（{spec.key}）" in header
    by_name = {row[1]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    assert set(by_name) == {"东湖发布", "东湖街道发布", "西山发布", "西山镇发布"}
    leader = by_name["东湖发布"]
    assert leader["排名"] == 1 and leader["指数"] == "wci-v14.2" and leader["版本"] == "14.2"
    assert leader["总阅读数（R）"] == 5000 * city.posts_a
    assert leader["发文篇数（n）"] == city.posts_a
    assert leader["统计天数（d）"] == PERIOD.days
    recomputed = formula.evaluate(
        {spec.key: leader[f"{spec.zh}（{spec.key}）"] for spec in formula.inputs}, {"K": 10.0}
    )
    assert leader["指数值"] == pytest.approx(recomputed.value, abs=1e-3)
    assert by_name["西山镇发布"]["发文篇数（n）"] == 0
    units = sheet_values(workbook)["单位排名"]
    assert [row[1] for row in units[1:]] == ["东湖区", "西山县"]
    named = sheet_values(workbook)["点名名单"]
    assert {row[2] for row in named[1:] if row[0] and row[0].startswith("僵尸号")} == {
        "西山发布",
        "西山镇发布",
    }


def test_the_bulletin_data_holds_coverage_trend_and_previous_period(city, generate, superuser):
    bulletin = generate(superuser, city.city)
    data = bulletin.data
    assert data["coverage"]["accounts"] == 5
    assert {p["label"]: p["accounts"] for p in data["coverage"]["platforms"]} == {
        "微信公众号": 4,
        "微博": 1,
    }
    assert data["previous"]["available"] is True
    assert [point["key"] for point in data["trend"]] == [PREVIOUS.key, PERIOD.key]
    assert sum(bucket["count"] for bucket in data["distribution"]["buckets"]) == 5
    assert data["review"] == {"items": [], "note": "内容审核模块接入后列出"}
    assert {item["name"] for item in data["formulas"]} >= {"wci-v14.2", "bci", "composite"}
    assert bulletin.summary()["accounts"] == 5


# Versions and reproducibility ------------------------------------------------------------------


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_second_generation_is_version_two_and_leaves_version_one_untouched(
    city, generate, superuser
):
    first = generate(superuser, city.city)
    before = [digest(path) for path in files_of(first)]
    second = generate(superuser, city.city)
    first.refresh_from_db()
    assert (first.version, second.version) == (1, 2)
    assert second.status == BulletinStatus.DONE
    assert set(files_of(first)).isdisjoint(files_of(second))
    assert [digest(path) for path in files_of(first)] == before
    assert first.data_hash == second.data_hash  # same scores, same numbers


def test_documents_re_rendered_from_the_stored_data_are_the_same(city, generate, superuser):
    bulletin = generate(superuser, city.city)
    assert data_digest(bulletin.data) == bulletin.data_hash
    assert data_digest(bulletin_data(city.city, PERIOD)) == bulletin.data_hash
    again = bulletin_render(bulletin)
    docx_path, xlsx_path = files_of(bulletin)
    assert table_texts(docx.Document(io.BytesIO(again["docx"]))) == table_texts(
        open_docx(docx_path)
    )
    rerendered = sheet_values(openpyxl.load_workbook(io.BytesIO(again["xlsx"])))
    assert rerendered == sheet_values(openpyxl.load_workbook(xlsx_path))


# Access -----------------------------------------------------------------------------------------


def test_viewers_may_not_generate_and_other_counties_are_out_of_sight(city, generate):
    viewer = city.user(city.county_a, "viewer")
    with pytest.raises(PermissionDenied):
        bulletin_generate(actor=viewer, scope=city.county_a, period=PERIOD)
    editor = city.user(city.county_a, "editor")
    with pytest.raises(Http404):
        bulletin_generate(actor=editor, scope=city.county_b, period=PERIOD)
    assert generate(editor, city.county_a).status == BulletinStatus.DONE
    assert not Bulletin.objects.filter(scope=city.county_b).exists()


def test_only_ended_periods_get_bulletins(city, superuser):
    running = containing("month", timezone.localdate())
    with pytest.raises(ValidationError):
        bulletin_generate(actor=superuser, scope=city.city, period=running)
    assert not Bulletin.objects.exists()


def test_a_county_bulletin_covers_only_its_subtree(city, generate, superuser):
    bulletin = generate(superuser, city.county_a)
    names = {row["name"] for board in bulletin.data["boards"] for row in board["rows"]}
    assert names == {"东湖发布", "东湖街道发布", "东湖微博"}
    assert [unit["name"] for unit in bulletin.data["units"]] == ["东湖街道"]


# Failures and the build's guard -----------------------------------------------------------------


def test_a_failure_leaves_the_bulletin_failed_and_no_file(
    city, generate, superuser, media, monkeypatch
):
    real_replace = service.os.replace

    def fail_on_xlsx(source, target):
        if str(target).endswith(".xlsx"):
            raise OSError("disk full")
        real_replace(source, target)

    monkeypatch.setattr(service.os, "replace", fail_on_xlsx)
    bulletin = generate(superuser, city.city)
    assert bulletin.status == BulletinStatus.FAILED
    assert "disk full" in bulletin.message
    assert bulletin.docx_file == "" and bulletin.xlsx_file == ""
    assert [p for p in Path(media).rglob("*") if p.is_file()] == []


def test_a_bulletin_is_built_once(city, generate, superuser, monkeypatch):
    bulletin = generate(superuser, city.city)
    finished = bulletin.finished_at

    def must_not_run(*args, **kwargs):
        raise AssertionError("built twice")

    monkeypatch.setattr(service, "bulletin_data", must_not_run)
    assert bulletin_build(bulletin).status == BulletinStatus.DONE
    bulletin.refresh_from_db()
    assert bulletin.finished_at == finished
