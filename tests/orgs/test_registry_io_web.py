"""The import page, template downloads and exports through the web, as each kind of user."""

import csv
import io
import re
from urllib.parse import quote

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from mediamatrix.orgs.models import Account
from tests.factories import AccountFactory, GridGroupFactory
from tests.orgs.test_registry_io import ACCOUNT_HEADER, GOOD_ACCOUNT, csv_bytes


def upload(client, content, name="accounts.csv", **fields):
    data = {"kind": "accounts", "mode": "all_or_nothing", **fields}
    data["file"] = SimpleUploadedFile(name, content)
    return client.post(reverse("orgs:imports"), data)


def export(client, kind, fmt="csv", **params):
    response = client.get(reverse("orgs:export", args=[kind, fmt]), params)
    assert response.status_code == 200, response.status_code
    return response


def csv_rows(response):
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_import_page_url_and_form(client, world):
    client.force_login(world.user(world.county_a, "editor"))

    page = client.get(reverse("orgs:imports")).content.decode()

    assert 'enctype="multipart/form-data"' in page
    assert 'accept=".xlsx,.csv"' in page
    assert re.search(r'<input type="radio" name="mode" value="all_or_nothing"[^>]* checked', page)
    assert not re.search(r'value="valid_rows"[^>]* checked', page)
    assert 'name="dry_run"' in page
    assert reverse("orgs:import-template", args=["accounts", "xlsx"]) in page
    assert reverse("orgs:import-template", args=["grid_groups", "csv"]) in page


@pytest.mark.parametrize("role", ["viewer", "reviewer", "operator"])
def test_users_who_cannot_import_get_404(client, world, role):
    client.force_login(world.user(world.county_a, role))
    assert client.get(reverse("orgs:imports")).status_code == 404
    assert upload(client, csv_bytes([ACCOUNT_HEADER, GOOD_ACCOUNT])).status_code == 404
    assert not Account.objects.filter(handle="dh_news").exists()


def test_anonymous_users_are_sent_to_login(client, db):
    for url in (
        reverse("orgs:imports"),
        reverse("orgs:import-template", args=["accounts", "xlsx"]),
        reverse("orgs:export", args=["accounts", "xlsx"]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response["Location"]


def test_upload_with_a_bad_row_shows_the_error_table_and_imports_nothing(client, world):
    client.force_login(world.user(world.county_a, "editor"))
    content = csv_bytes(
        [ACCOUNT_HEADER, GOOD_ACCOUNT, ["推特", "dh_x", "东湖推特", "政务号", "临江市/东湖区"]]
    )

    response = upload(client, content)

    assert response.status_code == 200
    result = response.context["result"]
    assert (result.created, result.rejected, result.committed) == (1, 1, False)
    page = response.content.decode()
    assert 'id="import-errors"' in page
    assert '<th class="num">行</th><th>列</th><th>原因</th><th>值</th>' in page
    assert '<td class="num">3</td><td>平台</td><td>未知的平台“推特”' in page
    assert "<td>推特</td>" in page
    assert "未导入任何数据" in page
    assert not Account.objects.filter(handle="dh_news").exists()


def test_valid_rows_mode_and_success_message(client, world):
    client.force_login(world.user(world.county_a, "editor"))
    content = csv_bytes(
        [ACCOUNT_HEADER, GOOD_ACCOUNT, ["推特", "dh_x", "东湖推特", "政务号", "临江市/东湖区"]]
    )

    response = upload(client, content, mode="valid_rows")
    assert "正确的行已导入" in response.content.decode()
    assert Account.objects.filter(handle="dh_news").exists()

    response = upload(client, csv_bytes([ACCOUNT_HEADER, GOOD_ACCOUNT]))
    messages = [str(m) for m in response.context["messages"]]
    assert messages == ["导入完成：新建 0 条，更新 0 条，未变 1 条。"]


def test_dry_run_through_the_page_writes_nothing(client, world):
    client.force_login(world.user(world.county_a, "editor"))

    response = upload(client, csv_bytes([ACCOUNT_HEADER, GOOD_ACCOUNT]), dry_run="on")

    assert response.context["result"].created == 1
    assert "数据库未做任何改动" in response.content.decode()
    assert not Account.objects.filter(handle="dh_news").exists()


def test_county_user_cannot_import_into_another_county(client, world):
    client.force_login(world.user(world.county_a, "editor"))
    row = ["微博", "xs_weibo", "西山微博", "政务号", "临江市/西山县", "", "", ""]

    response = upload(client, csv_bytes([ACCOUNT_HEADER, row]), mode="valid_rows")

    [error] = response.context["result"].errors
    assert (error.row, error.column) == (2, "主办单位")
    assert "不在您的管理范围内" in error.reason
    assert "不在您的管理范围内" in response.content.decode()
    assert not Account.objects.filter(handle="xs_weibo").exists()


def test_editor_choosing_units_is_told_they_lack_the_right(client, world):
    client.force_login(world.user(world.county_a, "editor"))
    content = csv_bytes([["单位名称", "上级单位", "类型"], ["新街道", "临江市/东湖区", "街道"]])

    response = upload(client, content, kind="units")

    assert response.context["form"].errors["kind"] == ["您没有导入单位的权限。"]


@override_settings(MEDIAMATRIX_IMPORT_MAX_BYTES=100)
def test_files_over_the_size_limit_are_refused_with_a_clear_error(client, world):
    client.force_login(world.user(world.county_a, "editor"))

    response = upload(client, csv_bytes([ACCOUNT_HEADER, GOOD_ACCOUNT, GOOD_ACCOUNT]))

    [message] = response.context["form"].errors["file"]
    assert message.startswith("文件太大（") and "上限为 100" in message
    assert response.context["result"] is None


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("old.xls", b"\xd0\xcf\x11\xe0", "不支持旧版 Excel（.xls）文件"),
        ("notes.docx", b"x", "请上传 .xlsx 或 .csv 文件。"),
        ("a.csv", "平台,平台账号\n".encode(), "缺少必填列：账号名称、类别、主办单位。"),
    ],
)
def test_unreadable_files_are_reported_on_the_file_field(client, world, name, content, message):
    client.force_login(world.user(world.county_a, "editor"))

    response = upload(client, content, name=name)

    assert message in response.context["form"].errors["file"][0]


def test_xlsx_upload(client, world):
    client.force_login(world.user(world.county_a, "editor"))
    workbook = openpyxl.Workbook()
    workbook.active.append(ACCOUNT_HEADER)
    workbook.active.append(GOOD_ACCOUNT)
    out = io.BytesIO()
    workbook.save(out)

    response = upload(client, out.getvalue(), name="账号.xlsx")

    assert response.context["result"].created == 1
    assert Account.objects.get(handle="dh_news").followers == 12000


# Templates -------------------------------------------------------------------------------------


def test_template_downloads(client, world):
    client.force_login(world.user(world.county_a, "viewer"))

    response = client.get(reverse("orgs:import-template", args=["accounts", "xlsx"]))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''" + quote("账号导入模板.xlsx")
    )
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert sheet["A1"].value == "平台"
    csv_template = client.get(reverse("orgs:import-template", args=["units", "csv"]))
    assert csv_template.content.decode("utf-8-sig").startswith("单位名称,简称,上级单位")


@pytest.mark.parametrize(("kind", "fmt"), [("people", "xlsx"), ("accounts", "pdf")])
def test_unknown_template_or_export_kinds_are_404(client, world, kind, fmt):
    client.force_login(world.user(world.county_a, "editor"))
    assert client.get(reverse("orgs:import-template", args=[kind, fmt])).status_code == 404
    assert client.get(reverse("orgs:export", args=[kind, fmt])).status_code == 404


# Exports ---------------------------------------------------------------------------------------


def test_account_export_contains_only_the_users_scope(client, world):
    client.force_login(world.user(world.county_a, "viewer"))

    response = export(client, "accounts", "xlsx")

    today = timezone.localdate().strftime("%Y%m%d")
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''" + quote(f"账号_{today}.xlsx")
    )
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    names = [row[2] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert names == ["东湖发布"]


def test_account_export_honours_the_list_filters(client, world):
    AccountFactory(owner=world.village_a, name="东湖社区微博", platform="weibo", handle="dhsq")
    AccountFactory(owner=world.county_a, name="东湖抖音", platform="douyin", handle="dhdy")
    AccountFactory(owner=world.county_b, name="西山微博", platform="weibo", handle="xswb")
    client.force_login(world.user(world.county_a, "viewer"))

    def names(**params):
        return sorted(row[2] for row in csv_rows(export(client, "accounts", **params))[1:])

    assert names() == ["东湖发布", "东湖抖音", "东湖社区微博"]
    assert names(platform="weibo") == ["东湖社区微博"]
    assert names(level="4") == ["东湖社区微博"]
    assert names(unit=world.town_a.pk) == ["东湖社区微博"]
    assert names(q="抖音") == ["东湖抖音"]
    assert names(status="pending") == []
    assert names(category="government", platform="douyin") == ["东湖抖音"]
    other = client.get(
        reverse("orgs:export", args=["accounts", "csv"]), {"unit": world.county_b.pk}
    )
    assert other.status_code == 404


def test_unit_and_grid_group_exports_are_scoped(client, world):
    GridGroupFactory(owner=world.village_a, name="东湖社区QQ群", platform="qq")
    client.force_login(world.user(world.county_a, "viewer"))

    units = csv_rows(export(client, "units"))
    groups = csv_rows(export(client, "grid_groups"))
    qq_groups = csv_rows(export(client, "grid_groups", platform="qq"))

    assert units[0] == ["单位名称", "简称", "上级单位", "层级", "类型", "区划代码"]
    assert [row[0] for row in units[1:]] == ["东湖区", "东湖街道", "东湖社区"]
    assert units[2][2:5] == ["临江市/东湖区", "乡镇（街道）级", "镇"]
    assert sorted(row[0] for row in groups[1:]) == ["东湖社区1网格", "东湖社区QQ群"]
    assert [row[:3] for row in qq_groups[1:]] == [
        ["东湖社区QQ群", "QQ群", "临江市/东湖区/东湖街道/东湖社区"]
    ]
