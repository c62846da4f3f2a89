"""The import centre: upload with the queued task, the run page and its progress, history, re-run."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from mediamatrix.ingestion.models import ImportRun, MetricSnapshot, Post
from mediamatrix.ingestion.services.files import posts_import_stored
from mediamatrix.orgs.choices import Role
from tests.ingestion.files_support import (
    HEADER,
    WECHAT_HEADER,
    chinese,  # noqa: F401 - an autouse fixture
    csv_bytes,
    row,
)

CENTRE = "/ingestion/"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def upload(client, content, name="posts.csv", **fields):
    data = {"file": SimpleUploadedFile(name, content), "mode": "all_or_nothing", **fields}
    return client.post(CENTRE, data)


def login(client, user):
    client.force_login(user)
    return client


def test_upload_runs_the_import_and_shows_the_run(client, world, media):
    editor = world.user(world.county_a, Role.EDITOR)
    login(client, editor)
    page = client.get(CENTRE)
    assert page.status_code == 200
    assert 'id="upload-form"' in page.text and "posts-template.xlsx" in page.text
    response = upload(
        client, csv_bytes([HEADER, row(world.account_a, "m1"), row(world.account_a, "m2")])
    )
    run = ImportRun.objects.get()
    assert response.status_code == 302 and response["Location"] == run.get_absolute_url()
    assert (run.status, run.created, run.actor, run.scope_path) == (
        "succeeded",
        2,
        editor,
        world.county_a.path,
    )
    assert run.stored_file.startswith("imports/") and run.stored_file.endswith(".csv")
    assert (media / run.stored_file).read_bytes().startswith(b"\xef\xbb\xbf")
    detail = client.get(run.get_absolute_url())
    assert detail.status_code == 200
    assert 'id="run-progress"' in detail.text and "hx-trigger" not in detail.text
    assert "posts.csv" in detail.text and 'id="rerun-form"' in detail.text


def test_upload_through_htmx_redirects_the_browser(client, world):
    login(client, world.user(world.county_a, Role.EDITOR))
    response = client.post(
        CENTRE,
        {
            "file": SimpleUploadedFile("p.csv", csv_bytes([HEADER, row(world.account_a)])),
            "mode": "all_or_nothing",
        },
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 204
    assert response["HX-Redirect"] == ImportRun.objects.get().get_absolute_url()


def test_row_errors_are_listed_and_titles_are_escaped(client, world, superuser):
    login(client, superuser)
    script = "<script>alert('x')</script>"
    upload(
        client,
        csv_bytes(
            [
                HEADER,
                row(world.account_a, "m1", title=script),
                row(world.account_a, "m2", 阅读="-1", title=script),
            ]
        ),
    )
    run = ImportRun.objects.get()
    assert run.status == "rejected"
    page = client.get(run.get_absolute_url()).text
    table = page[page.index('id="run-errors"') :]
    cells = re.findall(r"<td[^>]*>(.*?)</td>", table)
    assert cells[:4] == ["3", "阅读", "不能为负数。", "-1"]
    upload(client, csv_bytes([HEADER, row(world.account_a, "m1", title=script)]), name="ok.csv")
    assert Post.objects.get().title == script
    posts = client.get("/posts/")
    assert posts.status_code == 200
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in posts.text
    assert script not in posts.text
    detail = client.get(Post.objects.get().get_absolute_url())
    assert script not in detail.text and "&lt;script&gt;" in detail.text


def test_wechat_export_upload_with_a_chosen_account(client, world):
    editor = world.user(world.county_a, Role.EDITOR)
    login(client, editor)
    content = csv_bytes(
        [WECHAT_HEADER, ["东湖要闻", "2026-01-03 08:30", "10万+", "1", "2", "3", "4"]],
        encoding="gbk",
    )
    upload(client, content, name="内容分析.csv", account=world.account_a.pk)
    run = ImportRun.objects.get()
    assert (run.status, run.created) == ("succeeded", 1)
    assert Post.objects.get().reads == 100001
    page = client.get(run.get_absolute_url()).text
    assert world.account_a.name in page
    # Another county's account is not a choice.
    response = upload(client, content, name="again.csv", account=world.account_b.pk)
    assert response.status_code == 200 and ImportRun.objects.count() == 1
    assert "account" in response.context["form"].errors


def test_oversized_empty_and_wrong_type_uploads_are_refused(client, world, settings):
    login(client, world.user(world.county_a, Role.EDITOR))
    settings.MEDIAMATRIX_IMPORT_MAX_BYTES = 100
    big = upload(client, csv_bytes([HEADER, row(world.account_a)]))
    assert "文件太大" in big.context["form"].errors["file"][0]
    settings.MEDIAMATRIX_IMPORT_MAX_BYTES = 50 * 1024 * 1024
    empty = upload(client, b"")
    assert empty.context["form"].errors["file"]
    old = upload(client, b"\xd0\xcf\x11\xe0" + b"\x00" * 100, name="posts.xls")
    assert "旧版 Excel" in old.context["form"].errors["file"][0]
    binary = upload(client, b"\x89PNG\r\n\x1a\n\x00\x00\x00", name="posts.csv")
    assert "不是文本" in binary.context["form"].errors["file"][0]
    pdf = upload(client, b"%PDF-1.7", name="posts.pdf")
    assert pdf.context["form"].errors["file"] == ["请上传 .xlsx 或 .csv 文件。"]
    assert ImportRun.objects.count() == 0


def test_users_without_import_rights_cannot_upload(client, world):
    viewer = world.user(world.county_a, Role.VIEWER)
    login(client, viewer)
    page = client.get(CENTRE)
    assert page.status_code == 200 and 'id="upload-form"' not in page.text
    assert upload(client, csv_bytes([HEADER, row(world.account_a)])).status_code == 404
    assert ImportRun.objects.count() == 0


def test_history_is_scoped(client, world, superuser, tmp_path):
    editor_a = world.user(world.county_a, Role.EDITOR)
    editor_b = world.user(world.county_b, Role.EDITOR)
    login(client, editor_a)
    upload(client, csv_bytes([HEADER, row(world.account_a, "a1")]), name="a.csv")
    login(client, editor_b)
    upload(client, csv_bytes([HEADER, row(world.account_b, "b1")]), name="b.csv")
    run_a, run_b = ImportRun.objects.get(filename="a.csv"), ImportRun.objects.get(filename="b.csv")
    login(client, editor_a)
    history = client.get(CENTRE).text
    assert "a.csv" in history and "b.csv" not in history
    for url in (
        run_b.get_absolute_url(),
        reverse("ingestion:import-run-progress", args=[run_b.pk]),
    ):
        assert client.get(url).status_code == 404
    assert (
        client.post(
            reverse("ingestion:import-rerun", args=[run_b.pk]), {"mode": "valid_rows"}
        ).status_code
        == 404
    )
    city_admin = world.user(world.city, Role.ADMIN)
    login(client, city_admin)
    history = client.get(CENTRE).text
    assert "a.csv" in history and "b.csv" in history
    assert client.get(run_a.get_absolute_url()).status_code == 200


def test_rerun_imports_the_stored_file_again(client, world):
    editor = world.user(world.county_a, Role.EDITOR)
    login(client, editor)
    upload(
        client,
        csv_bytes([HEADER, row(world.account_a, "m1"), row(world.account_a, "m2", 阅读="-1")]),
    )
    first = ImportRun.objects.get()
    assert first.status == "rejected" and Post.objects.count() == 0
    response = client.post(
        reverse("ingestion:import-rerun", args=[first.pk]), {"mode": "valid_rows"}
    )
    again = ImportRun.objects.exclude(pk=first.pk).get()
    assert response.status_code == 302 and response["Location"] == again.get_absolute_url()
    assert (again.status, again.mode, again.created, again.rejected) == (
        "partial",
        "valid_rows",
        1,
        1,
    )
    assert again.stored_file == first.stored_file and again.filename == first.filename
    client.post(reverse("ingestion:import-rerun", args=[first.pk]), {"mode": "valid_rows"})
    third = ImportRun.objects.order_by("-pk").first()
    assert (third.created, third.unchanged) == (0, 1)
    assert MetricSnapshot.objects.count() == 1


def test_rerun_keeps_the_chosen_account(client, world):
    login(client, world.user(world.county_a, Role.EDITOR))
    content = csv_bytes([WECHAT_HEADER, ["东湖要闻", "2026-01-03 08:30", "1", "1", "1", "1", "1"]])
    upload(client, content, account=world.account_a.pk, dry_run="on")
    first = ImportRun.objects.get()
    assert first.status == "dry_run" and first.created == 1 and Post.objects.count() == 0
    client.post(reverse("ingestion:import-rerun", args=[first.pk]), {"mode": "all_or_nothing"})
    assert Post.objects.get().account == world.account_a


def test_a_viewer_sees_a_run_but_may_not_rerun_it(client, world):
    login(client, world.user(world.county_a, Role.EDITOR))
    upload(client, csv_bytes([HEADER, row(world.account_a, "m1")]))
    run = ImportRun.objects.get()
    login(client, world.user(world.county_a, Role.VIEWER))
    page = client.get(run.get_absolute_url())
    assert page.status_code == 200 and 'id="rerun-form"' not in page.text
    assert (
        client.post(
            reverse("ingestion:import-rerun", args=[run.pk]), {"mode": "valid_rows"}
        ).status_code
        == 403
    )


def test_the_progress_fragment_polls_while_the_run_is_running(client, world):
    login(client, world.user(world.county_a, Role.EDITOR))
    run = ImportRun.objects.create(
        connector="file",
        scope_path=world.county_a.path,
        filename="big.csv",
        status="running",
        started_at=timezone.now(),
        rows_total=40000,
        rows_done=10000,
        message="正在写入",
    )
    url = reverse("ingestion:import-run-progress", args=[run.pk])
    fragment = client.get(url).text
    assert f'hx-get="{url}"' in fragment and 'hx-trigger="every 1s"' in fragment
    assert '<progress value="10000" max="40000"' in fragment
    assert (
        re.search(r"10,?000 / 40,?000", fragment) and "25%" in fragment and "正在写入" in fragment
    )
    assert 'hx-trigger="every 1s"' in client.get(run.get_absolute_url()).text
    ImportRun.objects.filter(pk=run.pk).update(status="succeeded", created=40000, rows_done=40000)
    done = client.get(url).text
    assert "hx-trigger" not in done and re.search(r"<strong>40,?000</strong>", done)


def test_template_downloads(client, world):
    login(client, world.user(world.county_a, Role.VIEWER))
    csv_response = client.get(reverse("ingestion:posts-template", args=["csv"]))
    assert csv_response.status_code == 200
    assert csv_response["Content-Type"].startswith("text/csv")
    assert csv_response.content.decode("utf-8-sig").startswith("账号平台,平台账号,平台内容ID,标题")
    xlsx = client.get(reverse("ingestion:posts-template", args=["xlsx"]))
    assert xlsx.status_code == 200 and xlsx.content.startswith(b"PK")
    assert "attachment" in xlsx["Content-Disposition"]
    assert client.get(reverse("ingestion:posts-template", args=["pdf"])).status_code == 404


def test_a_stored_upload_whose_user_is_gone_is_not_imported_as_the_system(client, world):
    login(client, world.user(world.county_a, Role.EDITOR))
    upload(client, csv_bytes([HEADER, row(world.account_a, "m1")]), dry_run="on")
    first = ImportRun.objects.get()
    orphan = ImportRun.objects.create(
        connector="file",
        scope_path=first.scope_path,
        filename="posts.csv",
        stored_file=first.stored_file,
    )
    run = posts_import_stored(run=orphan)
    assert (run.status, run.message) == ("failed", "提交导入的用户已不存在。")
    assert Post.objects.count() == 0
