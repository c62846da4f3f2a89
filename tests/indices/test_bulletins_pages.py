"""Bulletin pages, downloads, the scheduled jobs and charts without a CJK font."""

import io
import logging

import docx
import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from mediamatrix.core.schedule import periodic_jobs
from mediamatrix.engines.indices import containing
from mediamatrix.indices.bulletins import charts
from mediamatrix.indices.choices import BulletinStatus
from mediamatrix.indices.models import Bulletin
from mediamatrix.indices.services import bulletin_generate
from mediamatrix.indices.services.bulletins import CONTENT_TYPES
from mediamatrix.indices.tasks import bulletins_monthly_task, bulletins_weekly_task
from tests.factories import UnitFactory
from tests.indices.test_bulletins import PERIOD, populate

pytestmark = pytest.mark.usefixtures("media")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def city(world):
    return populate(world)


@pytest.fixture
def post_generate(client, django_capture_on_commit_callbacks):
    def run(user, scope, period=PERIOD):
        client.force_login(user)
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                reverse("indices:bulletins"),
                {"scope": scope.pk, "kind": period.kind, "period": period.key},
            )

    return run


def test_an_editor_generates_from_the_archive_page_and_reads_the_web_bulletin(
    city, client, post_generate
):
    editor = city.user(city.city, "editor")
    response = post_generate(editor, city.city)
    bulletin = Bulletin.objects.get()
    assert response.status_code == 302 and response.url == bulletin.get_absolute_url()
    assert bulletin.status == BulletinStatus.DONE and bulletin.created_by == editor
    page = client.get(bulletin.get_absolute_url())
    html = page.content.decode()
    assert bulletin.title in html
    assert 'id="bulletin-chart-data"' in html and "indices/bulletin.js" in html
    for chart in ("bulletin-distribution", "bulletin-trend", "bulletin-units"):
        assert f'id="{chart}"' in html
    assert page.context["chart_data"]["units"]["names"] == ["东湖区", "西山县"]
    assert "东湖发布" in html and "西山镇发布" in html and "内容审核模块接入后列出" in html
    assert reverse("indices:bulletin-docx", args=[bulletin.pk]) in html
    listing = client.get(reverse("indices:bulletins"), {"kind": "month"}).content.decode()
    assert bulletin.title in listing
    assert (
        bulletin.title
        not in client.get(reverse("indices:bulletins"), {"kind": "week"}).content.decode()
    )


def test_downloads_stream_the_documents_with_their_types(city, client, post_generate):
    editor = city.user(city.city, "editor")
    post_generate(editor, city.city)
    bulletin = Bulletin.objects.get()
    for kind, loader in (("docx", docx.Document), ("xlsx", openpyxl.load_workbook)):
        response = client.get(reverse(f"indices:bulletin-{kind}", args=[bulletin.pk]))
        assert response.status_code == 200
        assert response["Content-Type"] == CONTENT_TYPES[kind]
        assert "attachment" in response["Content-Disposition"]
        loader(io.BytesIO(b"".join(response.streaming_content)))


def test_a_county_user_cannot_reach_another_countys_bulletin(city, client, post_generate):
    post_generate(city.user(city.county_b, "admin"), city.county_b)
    bulletin = Bulletin.objects.get()
    client.force_login(city.user(city.county_a, "admin"))
    for name in ("bulletin-detail", "bulletin-status", "bulletin-docx", "bulletin-xlsx"):
        assert client.get(reverse(f"indices:{name}", args=[bulletin.pk])).status_code == 404
    assert bulletin.title not in client.get(reverse("indices:bulletins")).content.decode()


def test_a_viewer_sees_no_form_and_may_not_post_one(city, client, post_generate):
    viewer = city.user(city.city, "viewer")
    client.force_login(viewer)
    assert 'id="bulletin-form"' not in client.get(reverse("indices:bulletins")).content.decode()
    assert post_generate(viewer, city.city).status_code == 403
    assert not Bulletin.objects.exists()


def test_the_form_refuses_a_period_that_has_not_ended_or_does_not_match_its_kind(
    city, client, post_generate
):
    editor = city.user(city.city, "editor")
    running = containing("month", timezone.localdate())
    response = post_generate(editor, city.city, period=running)
    assert response.status_code == 200
    assert "只能为已经结束的周期生成通报" in response.content.decode()
    mismatch = client.post(
        reverse("indices:bulletins"), {"scope": city.city.pk, "kind": "week", "period": PERIOD.key}
    )
    assert "周期与所选周期类型不一致" in mismatch.content.decode()
    assert not Bulletin.objects.exists()


def test_the_status_fragment_polls_until_the_bulletin_is_finished(city, client, superuser):
    queued = bulletin_generate(actor=superuser, scope=city.city, period=PERIOD)  # not committed
    client.force_login(superuser)
    fragment = client.get(reverse("indices:bulletin-status", args=[queued.pk]))
    assert "hx-get" in fragment.content.decode() and "HX-Refresh" not in fragment
    Bulletin.objects.filter(pk=queued.pk).update(status=BulletinStatus.FAILED, message="boom")
    finished = client.get(reverse("indices:bulletin-status", args=[queued.pk]))
    assert finished["HX-Refresh"] == "true"
    assert "boom" in client.get(queued.get_absolute_url()).content.decode()


# Scheduled bulletins ----------------------------------------------------------------------------


def test_the_monthly_and_weekly_jobs_make_one_bulletin_per_city_once(city):
    """Not for the city's departments, which share its level."""
    jobs = {job.name.rsplit(".", 1)[-1]: job.cron for job in periodic_jobs()}
    assert jobs["bulletins_monthly_task"] == "0 6 1 * *"
    assert jobs["bulletins_weekly_task"] == "30 6 * * 0"
    UnitFactory(name="临江市教育局", parent=city.city, level=1, kind="department")
    bulletins_monthly_task.call()
    bulletins_monthly_task.call()  # a second firing finds the bulletin made
    monthly = Bulletin.objects.get(period_kind="month")
    assert (monthly.scope, monthly.period_start, monthly.version) == (city.city, PERIOD.start, 1)
    assert monthly.created_by is None
    bulletins_weekly_task.call()
    weekly = Bulletin.objects.get(period_kind="week")
    assert weekly.period_start.weekday() == 6  # weeks run Sunday to Saturday


# Charts without a CJK font ----------------------------------------------------------------------


def test_charts_render_without_a_cjk_font_and_say_so(monkeypatch, caplog):
    latin_only = [
        entry
        for entry in charts.font_manager.fontManager.ttflist
        if "CJK" not in entry.name and entry.name not in charts.CJK_FAMILIES
    ]
    monkeypatch.setattr(charts.font_manager.fontManager, "ttflist", latin_only)
    charts.cjk_font.cache_clear()
    try:
        with caplog.at_level(logging.WARNING, logger=charts.__name__):
            png = charts.unit_ranking_png(
                [
                    {"name": "东湖区", "rank": 1, "composite": 40.0},
                    {"name": "西山县", "rank": 2, "composite": 20.0},
                ]
            )
        assert png is not None and png.startswith(b"\x89PNG")
        assert "no CJK font" in caplog.text
    finally:
        charts.cjk_font.cache_clear()
