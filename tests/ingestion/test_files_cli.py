"""`mediamatrix import-posts` and `mediamatrix posts-template`."""

from io import StringIO

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from mediamatrix.cli import main
from mediamatrix.ingestion.models import ImportRun, Post
from mediamatrix.orgs.choices import Role
from tests.ingestion.files_support import (
    HEADER,
    WECHAT_HEADER,
    chinese,  # noqa: F401 - an autouse fixture
    row,
    write_csv,
)


def run_command(*args):
    out = StringIO()
    call_command("import_posts", *map(str, args), stdout=out, stderr=StringIO())
    return out.getvalue()


def test_import_posts_prints_counts(world, tmp_path):
    path = write_csv(tmp_path, [HEADER, row(world.account_a, "m1"), row(world.account_b, "m2")])
    out = run_command(path, "--no-progress")
    assert "共 2 行：新增 2，更新 0，未变 0，有错误 0。" in out and "导入完成。" in out
    assert Post.objects.count() == 2
    run = ImportRun.objects.get()
    assert run.actor is None and run.connector == "file"
    again = run_command(path, "--no-progress")
    assert "新增 0，更新 0，未变 2" in again


def test_errors_are_printed_by_row_and_column_and_exit_1(world, tmp_path, capsys):
    path = write_csv(
        tmp_path,
        [
            HEADER,
            row(world.account_a, "m1", 阅读="-2"),
            row(world.account_a, "m2", 发布时间="某天"),
        ],
    )
    out = StringIO()
    # A CommandError is what makes `mediamatrix import-posts` exit with status 1.
    with pytest.raises(CommandError, match="有 2 行未通过检查，共 2 处错误。"):
        call_command("import_posts", str(path), stdout=out)
    assert "第2行 [阅读] 不能为负数。（值：-2）" in out.getvalue()
    assert "第3行 [发布时间] 无法识别的日期时间" in out.getvalue()
    assert "未导入任何数据" in out.getvalue()
    assert "检查" in capsys.readouterr().err  # the progress bar
    assert Post.objects.count() == 0


def test_the_console_script_exits_with_1_on_errors(db, tmp_path, monkeypatch):
    """Through `mediamatrix import-posts` itself (Django's system checks may touch the database)."""
    monkeypatch.setattr("django.db.connections.close_all", lambda: None)
    path = tmp_path / "missing.csv"
    with pytest.raises(SystemExit) as exited:
        main(["import-posts", str(path)])
    assert exited.value.code == 1


def test_valid_rows_and_dry_run_options(world, tmp_path):
    path = write_csv(
        tmp_path, [HEADER, row(world.account_a, "m1"), row(world.account_a, "m2", 点赞="x")]
    )
    with pytest.raises(CommandError):
        run_command(path, "--dry-run", "--no-progress")
    assert Post.objects.count() == 0
    with pytest.raises(CommandError, match="有 1 行未通过检查"):
        run_command(path, "--valid-rows", "--no-progress")
    assert list(Post.objects.values_list("external_id", flat=True)) == ["m1"]


def test_wechat_export_with_account_option(world, tmp_path):
    path = write_csv(
        tmp_path, [WECHAT_HEADER, ["东湖要闻", "2026-01-03 08:30", "10万+", "1", "2", "3", "4"]]
    )
    out = run_command(path, "--account", f"微信公众号:{world.account_a.handle}", "--no-progress")
    assert "新增 1" in out
    by_id = run_command(path, "--account", world.account_a.pk, "--no-progress")
    assert "未变 1" in by_id
    with pytest.raises(CommandError, match="没有账号"):
        run_command(path, "--account", "微信公众号:nobody")
    with pytest.raises(CommandError, match="未知的平台"):
        run_command(path, "--account", "推特:x")


def test_as_user_is_scoped(world, tmp_path):
    editor = world.user(world.county_a, Role.EDITOR)
    path = write_csv(tmp_path, [HEADER, row(world.account_b, "m1")])
    out = StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_posts", str(path), "--as", editor.username, "--no-progress", stdout=out
        )
    assert "第2行 [平台账号] 账号不存在或不在您的管理范围内。" in out.getvalue()
    assert ImportRun.objects.get().actor == editor


def test_posts_template_command(tmp_path):
    out = StringIO()
    call_command("posts_template", "-o", str(tmp_path / "t.xlsx"), stdout=out)
    assert openpyxl.load_workbook(tmp_path / "t.xlsx").sheetnames == ["稿件", "说明"]
    call_command("posts_template", "--format", "csv", "-o", str(tmp_path / "t.txt"), stdout=out)
    assert (tmp_path / "t.txt").read_bytes().decode("utf-8-sig").startswith("账号平台,平台账号")
