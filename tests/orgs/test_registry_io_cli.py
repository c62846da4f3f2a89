"""The import-registry, export-registry and registry-template commands."""

import csv
import io

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from mediamatrix import cli
from mediamatrix.orgs.models import Account, Unit
from tests.orgs.test_registry_io import ACCOUNT_HEADER, GOOD_ACCOUNT, csv_bytes

BAD_ROW = ["推特", "dh_x", "东湖推特", "政务号", "临江市/东湖区", "", "", ""]


def command(*args, **options):
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO(), no_color=True, **options)
    return out.getvalue()


@pytest.fixture
def accounts_file(tmp_path):
    path = tmp_path / "账号.csv"
    path.write_bytes(csv_bytes([ACCOUNT_HEADER, GOOD_ACCOUNT, BAD_ROW], encoding="gbk"))
    return path


def test_import_with_errors_prints_each_error_and_exits_1(world, accounts_file):
    out = io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command(
            "import_registry", "accounts", str(accounts_file), no_progress=True, stdout=out
        )

    assert raised.value.returncode == 1
    assert "有 1 行未通过检查" in str(raised.value)
    text = out.getvalue()
    assert "共 2 行：新建 1，更新 0，未变 0，有错误 1。" in text
    assert "第3行 [平台] 未知的平台“推特”" in text and "（值：推特）" in text
    assert "未导入任何数据" in text
    assert not Account.objects.filter(handle="dh_news").exists()


def test_import_valid_rows_and_dry_run(world, accounts_file):
    with pytest.raises(CommandError):
        command("import_registry", "accounts", str(accounts_file), dry_run=True, valid_rows=True)
    assert not Account.objects.filter(handle="dh_news").exists()

    with pytest.raises(CommandError):
        command("import_registry", "accounts", str(accounts_file), valid_rows=True)
    account = Account.objects.get(handle="dh_news")
    assert (account.name, account.followers) == ("东湖新闻", 12000)


def test_import_success_as_the_system_and_idempotent(world, tmp_path):
    path = tmp_path / "accounts.csv"
    path.write_bytes(csv_bytes([ACCOUNT_HEADER, GOOD_ACCOUNT]))

    first = command("import_registry", "accounts", str(path), no_progress=True)
    second = command("import_registry", "accounts", str(path), no_progress=True)

    assert "新建 1" in first and "导入完成，写入 1 行。" in first
    assert "未变 1" in second
    assert Account.objects.filter(handle="dh_news").count() == 1


def test_import_as_a_user_is_limited_to_their_scope(world, tmp_path):
    editor = world.user(world.county_b, "editor")
    path = tmp_path / "accounts.csv"
    path.write_bytes(csv_bytes([ACCOUNT_HEADER, GOOD_ACCOUNT]))
    out = io.StringIO()

    with pytest.raises(CommandError):
        call_command("import_registry", "accounts", str(path), username=editor.username, stdout=out)

    assert "第2行 [主办单位] 主办单位“临江市/东湖区”不存在或不在您的管理范围内" in out.getvalue()
    with pytest.raises(CommandError, match="没有启用的用户 nobody"):
        command("import_registry", "accounts", str(path), username="nobody")


def test_import_of_an_unreadable_file_names_the_problem(world, tmp_path):
    path = tmp_path / "units.csv"
    path.write_bytes(csv_bytes([["单位名称", "上级单位"]]))
    with pytest.raises(CommandError, match="缺少必填列：类型。"):
        command("import_registry", "units", str(path))
    with pytest.raises(CommandError, match="找不到文件"):
        command("import_registry", "units", str(tmp_path / "missing.csv"))


def test_export_with_within_and_format_from_the_extension(world, tmp_path):
    output = tmp_path / "east.csv"

    text = command("export_registry", "accounts", output=str(output), within="临江市/东湖区")

    assert "已导出 1 行" in text
    rows = list(csv.reader(io.StringIO(output.read_text("utf-8-sig"))))
    assert rows[0][:5] == ["平台", "平台账号", "账号名称", "类别", "主办单位"]
    assert [row[2] for row in rows[1:]] == ["东湖发布"]
    with pytest.raises(CommandError, match="不存在"):
        command("export_registry", "accounts", output=str(output), within="临江市/北湖区")


def test_export_as_a_user_and_reimport(world, tmp_path):
    viewer = world.user(world.county_b, "viewer")
    output = tmp_path / "units.xlsx"

    command("export_registry", "units", output=str(output), username=viewer.username)

    sheet = openpyxl.load_workbook(output).worksheets[0]
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == [
        "西山县",
        "西山镇",
        "西山村",
    ]
    assert "未变 3" in command("import_registry", "units", str(output), no_progress=True)
    assert Unit.objects.count() == 7


def test_template_command(tmp_path):
    xlsx = tmp_path / "t.xlsx"
    csv_path = tmp_path / "t.txt"

    command("registry_template", "grid_groups", output=str(xlsx))
    command("registry_template", "units", output=str(csv_path), format="csv")

    assert openpyxl.load_workbook(xlsx).sheetnames == ["网格群", "说明"]
    assert csv_path.read_text("utf-8-sig").startswith("单位名称,简称,上级单位,层级,类型,区划代码")


@pytest.mark.parametrize("name", ["import-registry", "export-registry", "registry-template"])
def test_cli_help(name, capsys):
    with pytest.raises(SystemExit) as exited:
        cli.main([name, "--help"])
    assert exited.value.code == 0
    assert "units" in capsys.readouterr().out
