"""Templates and exports: template → filled in → import → export → import again changes nothing."""

import csv
import io

import openpyxl
import pytest

from mediamatrix.orgs.models import Account, GridGroup, Unit
from mediamatrix.orgs.registry_io import (
    export_queryset,
    kind_spec,
    registry_export,
    registry_template,
)
from tests.factories import AccountFactory
from tests.orgs.test_registry_io import run_import

FILLED_ROWS = {
    "units": [
        ["东湖新区街道", "新区", "临江市/东湖区", "乡镇（街道）级", "街道", "341102003000"],
        ["新湖社区", "", "临江市/东湖区/东湖新区街道", "", "社区", "341102003001"],
    ],
    "accounts": [
        [
            "微信公众号",
            "dh_news",
            "东湖新闻",
            "新闻号",
            "临江市/东湖区",
            "张三",
            "13800000000",
            "1.2万",
        ],
        ["抖音", "dh_douyin", "东湖抖音", "政务号", "临江市/东湖区/东湖街道", "", "", "10万+"],
    ],
    "grid_groups": [
        [
            "东湖社区2网格",
            "微信群",
            "临江市/东湖区/东湖街道/东湖社区",
            "356",
            "李四",
            "13900000000",
        ],
    ],
}
MODELS = {"units": Unit, "accounts": Account, "grid_groups": GridGroup}


def fill_template(kind, fmt, rows):
    template = registry_template(kind, fmt)
    if fmt == "csv":
        text = template.decode("utf-8-sig")
        buffer = io.StringIO()
        csv.writer(buffer).writerows(rows)
        return (text + buffer.getvalue()).encode("utf-8-sig")
    workbook = openpyxl.load_workbook(io.BytesIO(template))
    sheet = workbook.worksheets[0]
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def export_bytes(kind, user, fmt):
    out = io.BytesIO()
    count = registry_export(kind=kind, queryset=export_queryset(kind, user), fmt=fmt, out=out)
    return out.getvalue(), count


def xlsx_rows(content):
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    return [["" if v is None else v for v in row] for row in sheet.iter_rows(values_only=True)]


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
@pytest.mark.parametrize("kind", ["units", "accounts", "grid_groups"])
def test_template_round_trip(world, superuser, kind, fmt):
    filled = fill_template(kind, fmt, FILLED_ROWS[kind])

    imported = run_import(superuser, kind, filled, f"filled.{fmt}")

    assert (imported.created, imported.rejected) == (len(FILLED_ROWS[kind]), 0), imported.errors
    exported, count = export_bytes(kind, superuser, fmt)
    assert count == MODELS[kind].objects.count()
    again = run_import(superuser, kind, exported, f"export.{fmt}")
    assert (again.created, again.updated, again.unchanged, again.rejected) == (0, 0, count, 0)
    assert again.ignored_columns == ()
    assert MODELS[kind].objects.count() == count


def test_xlsx_template_has_headers_only_and_an_instructions_sheet():
    workbook = openpyxl.load_workbook(io.BytesIO(registry_template("accounts", "xlsx")))

    assert workbook.sheetnames == ["账号", "说明"]
    sheet = workbook["账号"]
    assert sheet.max_row == 1
    assert [c.value for c in sheet[1]] == [
        "平台", "平台账号", "账号名称", "类别", "主办单位", "运维联系人", "联系电话", "粉丝数",
    ]  # fmt: skip
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.bold
    lists = {str(v.sqref): v.formula1 for v in sheet.data_validations.dataValidation}
    assert lists["A2:A1048576"].startswith('"微信公众号,微信视频号,微博')
    assert lists["D2:D1048576"] == '"政务号,新闻号,服务号,自媒体"'
    notes = {row[0]: row for row in workbook["说明"].iter_rows(values_only=True) if row[0]}
    assert notes["平台"][1] == "是" and "微信公众号" in notes["平台"][3]
    assert notes["粉丝数"][1] == "否" and "10万+" in notes["粉丝数"][2]
    assert "区划代码" in notes["主办单位"][2]


def test_csv_template_is_a_utf8_header_line_with_bom():
    content = registry_template("grid_groups", "csv")

    assert content == "\ufeff群名称,平台,所属村（社区）,成员数,群主/联系人,联系电话\r\n".encode()


def test_account_export_has_template_headers_readable_values_and_export_only_columns(
    world, superuser
):
    content, _ = export_bytes("accounts", superuser, "xlsx")

    rows = xlsx_rows(content)
    template_headers = [c.header for c in kind_spec("accounts").importable]
    assert rows[0] == [*template_headers, "状态", "备案编号"]
    by_name = {row[2]: row for row in rows[1:]}
    assert by_name["东湖发布"][:5] == [
        "微信公众号", world.account_a.handle, "东湖发布", "政务号", "临江市/东湖区",
    ]  # fmt: skip
    assert by_name["东湖发布"][8] == "正常"
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["E"].width == 30


def test_formula_like_text_stays_text_and_survives_a_round_trip(world, superuser):
    AccountFactory(owner=world.county_a, name="=1+1", handle="@dh", operator_phone="+86 138")

    for fmt in ("xlsx", "csv"):
        content, count = export_bytes("accounts", superuser, fmt)
        if fmt == "xlsx":
            sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
            cells = next(row for row in sheet.iter_rows(min_row=2) if row[1].value == "@dh")
            assert (cells[2].value, cells[2].data_type) == ("=1+1", "s")
        else:
            assert "微信公众号,'@dh,'=1+1,政务号,临江市/东湖区,,'+86 138,0," in content.decode()
        again = run_import(superuser, "accounts", content, f"export.{fmt}")
        assert (again.unchanged, again.rejected) == (count, 0), again.errors
    assert Account.objects.get(handle="@dh").name == "=1+1"


def test_county_admin_round_trip_of_their_own_units(world):
    admin = world.user(world.county_a, "admin")

    content, count = export_bytes("units", admin, "xlsx")

    names = [row[0] for row in xlsx_rows(content)[1:]]
    assert names == ["东湖区", "东湖街道", "东湖社区"]
    assert xlsx_rows(content)[1][2] == "临江市"  # the county's parent, named by its path
    again = run_import(admin, "units", content, "units.xlsx")
    assert (again.unchanged, again.rejected) == (count, 0), again.errors


def test_a_unit_whose_name_contains_a_slash_is_referenced_by_division_code(world, superuser):
    world.village_a.name = "东湖/新湖社区"
    world.village_a.division_code = "341102001001"
    world.village_a.save()

    content, count = export_bytes("grid_groups", superuser, "csv")

    assert "东湖社区1网格,微信群,341102001001," in content.decode("utf-8-sig")
    assert run_import(superuser, "grid_groups", content).unchanged == count


def test_an_account_without_owner_round_trips_but_a_new_one_needs_an_owner(world, superuser):
    AccountFactory(owner=None, name="无主账号", handle="orphan")

    content, count = export_bytes("accounts", superuser, "csv")
    again = run_import(superuser, "accounts", content)

    assert (again.unchanged, again.rejected) == (count, 0), again.errors
    new = content.decode("utf-8-sig").splitlines()[0] + "\r\n微博,new_orphan,新账号,政务号,\r\n"
    result = run_import(superuser, "accounts", new.encode())
    assert [(e.row, e.column, e.reason) for e in result.errors] == [
        (2, "主办单位", "新登记的账号必须填写主办单位。")
    ]
