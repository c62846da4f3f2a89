"""A bulletin in a real browser: generate it from the archive page, read it with its three
charts drawn by the locally served ECharts, and download its Word and Excel documents."""

import pytest

from mediamatrix.indices.models import Bulletin
from mediamatrix.indices.services.bulletins import CONTENT_TYPES
from tests.indices.test_bulletins import PERIOD, populate

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_generate_read_and_download_a_bulletin(page, live_server, world, login, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    city = populate(world)
    login(city.user(city.city, "editor").username)
    page.goto(f"{live_server.url}/indices/bulletins/")
    page.select_option("#id_scope", str(city.city.pk))
    page.select_option("#id_kind", "month")
    page.fill("#id_period", PERIOD.key)
    page.click("#bulletin-generate")

    bulletin = Bulletin.objects.get()
    page.wait_for_url(f"**/indices/bulletins/{bulletin.pk}/")
    for chart in ("bulletin-distribution", "bulletin-trend", "bulletin-units"):
        page.wait_for_selector(f"#{chart}[data-rendered=true] canvas")
    assert bulletin.title in page.inner_text("#bulletin-title")
    top = page.inner_text("#board-wechat_oa table")
    assert top.index("东湖发布") < top.index("东湖街道发布")
    assert "西山镇发布" in page.inner_text("#named-dormant")

    for kind in ("docx", "xlsx"):
        href = page.get_attribute(f"#download-{kind}", "href")
        response = page.request.get(f"{live_server.url}{href}")
        assert response.status == 200
        assert response.headers["content-type"] == CONTENT_TYPES[kind]
        assert response.body()[:2] == b"PK"  # both are zip packages
