"""Every kind of bad input gets an error naming its row, column and reason, and nothing is written."""

from datetime import timedelta

import pytest
from django.utils import timezone

from mediamatrix.core.models import AuditEvent
from mediamatrix.ingestion.models import ImportRun, MetricSnapshot, Post
from mediamatrix.orgs.choices import Role
from tests.ingestion.files_support import (
    HEADER,
    chinese,  # noqa: F401 - an autouse fixture
    csv_bytes,
    errors,
    row,
    run_file,
    write_csv,
)


def assert_nothing_written(run):
    assert run.status == "rejected"
    assert (run.created, run.updated, run.unchanged) == (0, 0, 0)
    assert Post.objects.count() == 0 and MetricSnapshot.objects.count() == 0


def test_malformed_quoting_names_the_row(world, superuser, tmp_path):
    good = csv_bytes([HEADER, row(world.account_a, "m1")])
    stray = '微信公众号,{h},m2,"标题"多出的字,https://mp.weixin.qq.com/s/m2,作者,2026-01-03,1,是,1,1,1,1,1\r\n'
    path = tmp_path / "posts.csv"
    path.write_bytes(good + stray.format(h=world.account_a.handle).encode())
    run = run_file(superuser, path)
    assert_nothing_written(run)
    assert errors(run) == [
        (3, "", '引号使用有误：结束引号后面应紧跟逗号或换行；内容里的引号要写成两个（""）。')
    ]


def test_unclosed_quote_names_the_row_it_opened(world, superuser, tmp_path):
    good = csv_bytes([HEADER, row(world.account_a, "m1"), row(world.account_a, "m2")])
    opened = f'微信公众号,{world.account_a.handle},m3,"没有结束的标题,2026-01-03\r\n'.encode()
    path = tmp_path / "posts.csv"
    path.write_bytes(good + opened + csv_bytes([row(world.account_a, "m4")])[3:])
    run = run_file(superuser, path)
    assert_nothing_written(run)
    assert errors(run) == [
        (4, "", "引号没有闭合：从这一行开始的带引号的内容直到文件末尾都没有结束引号。")
    ]


def test_a_row_in_another_encoding_is_its_own_error(world, superuser, tmp_path):
    """A UTF-8 file with one row pasted in from a GBK file: that row, not the file, fails."""
    content = (
        csv_bytes([HEADER, row(world.account_a, "m1")], encoding="utf-8")
        + csv_bytes([row(world.account_a, "m2", title="西山县召开会议")], encoding="gbk")
        + csv_bytes([row(world.account_a, "m3")], encoding="utf-8")
    )
    path = tmp_path / "posts.csv"
    path.write_bytes(content)
    run = run_file(superuser, path)
    assert_nothing_written(run)
    assert errors(run) == [
        (3, "", "这一行有无法按 UTF-8 解码的文字；请把文件另存为 UTF-8 编码的 CSV。")
    ]
    partial = run_file(superuser, path, mode="valid_rows")
    assert (partial.status, partial.created, partial.rejected) == ("partial", 2, 1)


def test_a_binary_file_is_not_read_as_text(world, superuser, tmp_path):
    path = tmp_path / "posts.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    run = run_file(superuser, path)
    assert_nothing_written(run)
    assert errors(run) == [(None, "", "这不是文本（CSV）文件，也不是 Excel（.xlsx）文件。")]


def test_xlsx_named_file_that_is_not_one(world, superuser, tmp_path):
    path = tmp_path / "posts.xlsx"
    path.write_bytes(csv_bytes([HEADER, row(world.account_a)]))
    run = run_file(superuser, path)
    assert errors(run) == [(None, "", "文件扩展名是 .xlsx，但内容不是 Excel 文件。")]


def test_missing_required_columns(world, superuser, tmp_path):
    header = ["账号平台", "平台账号", "标题", "阅读"]
    path = write_csv(tmp_path, [header, ["微信公众号", world.account_a.handle, "标题", "1"]])
    run = run_file(superuser, path)
    assert_nothing_written(run)
    assert errors(run) == [
        (1, "平台内容ID、发布时间", "缺少必填列：平台内容ID、发布时间（稿件导入模板）。")
    ]


def test_no_header_at_all(world, superuser, tmp_path):
    path = write_csv(tmp_path, [["a", "b"], ["1", "2"]])
    run = run_file(superuser, path)
    assert_nothing_written(run)
    assert run.errors[0]["row"] is None and "没有找到表头" in run.errors[0]["reason"]


def test_missing_account_columns_without_a_chosen_account(world, superuser, tmp_path):
    path = write_csv(tmp_path, [["平台内容ID", "标题", "发布时间"], ["m1", "标题", "2026-01-03"]])
    run = run_file(superuser, path)
    assert errors(run) == [
        (
            1,
            "平台账号",
            "缺少账号列：请填写“账号平台”和“平台账号”两列（或“账号ID”一列），或在导入时选择账号。",
        )
    ]


def test_unknown_and_out_of_scope_accounts_look_the_same(world, tmp_path):
    county_a_editor = world.user(world.county_a, Role.EDITOR)
    path = write_csv(
        tmp_path,
        [
            HEADER,
            row(world.account_a, "m1"),
            row(world.account_b, "m2"),
            [*row(world.account_a, "m3")[:1], "no_such_handle", *row(world.account_a, "m3")[2:]],
            ["推特", "x", *row(world.account_a, "m4")[2:]],
        ],
    )
    run = run_file(county_a_editor, path)
    assert_nothing_written(run)
    assert run.scope_path == world.county_a.path
    unknown = "账号不存在或不在您的管理范围内。"
    assert errors(run) == [
        (3, "平台账号", unknown),
        (4, "平台账号", unknown),
        (
            5,
            "账号平台",
            "未知的平台“推特”，可填：微信公众号、微信视频号、微博、抖音、快手、今日头条、哔哩哔哩、网站、客户端、其他。",
        ),
    ]
    assert run.errors[0]["value"] == f"微信公众号:{world.account_b.handle}"


def test_account_id_that_is_not_a_number_or_not_there(world, superuser, tmp_path):
    header = ["账号ID", "平台内容ID", "标题", "发布时间"]
    path = write_csv(
        tmp_path,
        [header, ["东湖发布", "m1", "t", "2026-01-03"], ["999999", "m2", "t", "2026-01-03"]],
    )
    run = run_file(superuser, path)
    assert errors(run) == [
        (2, "账号ID", "应为账号编号（整数）。"),
        (3, "账号ID", "账号不存在或不在您的管理范围内。"),
    ]


def test_duplicate_external_id_inside_one_file(world, superuser, tmp_path):
    path = write_csv(
        tmp_path,
        [
            HEADER,
            row(world.account_a, "m1"),
            row(world.account_b, "m1"),
            row(world.account_a, "m1", title="改过的标题"),
        ],
    )
    run = run_file(superuser, path)
    assert_nothing_written(run)
    assert errors(run) == [(4, "平台内容ID", "与第2行重复：同一账号的同一内容在文件中出现了两次。")]


@pytest.mark.parametrize(
    ("column", "value", "reason"),
    [
        ("阅读", "-5", "不能为负数。"),
        ("点赞", "很多", "应为整数，可写成“12000”“1.2万”或“10万+”。"),
        ("在看", "12.5", "应为整数。"),
        ("分享", "1e5", "应为整数，可写成“12000”“1.2万”或“10万+”。"),
        ("评论", "99999999亿", "数字过大。"),
        ("推送位置", "第一百条", "应为 1–99 的整数，或“头条”“次条”“第3条”。"),
        ("推送位置", "0", "应为 1–99。"),
        ("原创", "也许", "应为“是”或“否”。"),
        ("链接", "javascript:alert(1)", "不是有效的 http(s) 链接。"),
        ("标题", "", "不能为空。"),
        ("标题", "长" * 501, "太长（最多 500 个字符）。"),
        ("平台内容ID", "", "不能为空。"),
    ],
)
def test_bad_cells_are_named(world, superuser, tmp_path, column, value, reason):
    path = write_csv(
        tmp_path,
        [HEADER, row(world.account_a, "ok"), row(world.account_a, "m2", **{column: value})],
    )
    run = run_file(superuser, path)
    assert_nothing_written(run)
    assert errors(run) == [(3, column, reason)]
    assert run.errors[0]["value"] == value[:50] or run.errors[0]["value"] == value[:200]


def test_future_and_unparsable_dates(world, superuser, tmp_path):
    soon = timezone.localtime() + timedelta(days=2)
    path = write_csv(
        tmp_path,
        [
            HEADER,
            row(world.account_a, "m1", 发布时间=soon.strftime("%Y-%m-%d %H:%M")),
            row(world.account_a, "m2", 发布时间="昨天"),
            row(world.account_a, "m3", 发布时间="2026-02-30"),
            row(world.account_a, "m4", 发布时间=""),
            row(world.account_a, "m5", 发布时间="1899"),
        ],
    )
    run = run_file(superuser, path)
    assert_nothing_written(run)
    unparsable = "无法识别的日期时间，可写成“2026-11-03 08:30”“2026/11/3”或“2026年11月3日 08:30”。"
    assert errors(run) == [
        (2, "发布时间", "发布时间在未来。"),
        (3, "发布时间", unparsable),
        (4, "发布时间", unparsable),
        (5, "发布时间", "不能为空。"),
        (6, "发布时间", "早于2000年，可能是日期格式有误。"),
    ]


def test_several_errors_in_one_row_are_all_named(world, superuser, tmp_path):
    path = write_csv(
        tmp_path, [HEADER, row(world.account_a, "m1", 阅读="-1", 点赞="x", 发布时间="?")]
    )
    run = run_file(superuser, path)
    assert [(r, f) for r, f, _ in errors(run)] == [(2, "发布时间"), (2, "阅读"), (2, "点赞")]
    assert run.rejected == 1 and run.error_count == 3


def test_html_and_script_in_a_title_are_stored_as_text(world, superuser, tmp_path):
    title = '<script>alert("x")</script><b>东湖</b>'
    run = run_file(superuser, write_csv(tmp_path, [HEADER, row(world.account_a, title=title)]))
    assert run.status == "succeeded"
    assert Post.objects.get().title == title


def test_empty_file_and_header_only_file(world, superuser, tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    run = run_file(superuser, empty)
    assert errors(run) == [(None, "", "文件是空的。")]
    header_only = write_csv(tmp_path, [HEADER, [], []], name="header.csv")
    run = run_file(superuser, header_only)
    assert errors(run) == [(2, "", "文件中没有数据行。")]
    assert Post.objects.count() == 0


def test_refused_runs_are_recorded_and_audited(world, superuser, tmp_path):
    path = write_csv(tmp_path, [HEADER, row(world.account_a, 阅读="-1")])
    run = run_file(superuser, path)
    stored = ImportRun.objects.get(pk=run.pk)
    assert (stored.status, stored.rejected, stored.error_count) == ("rejected", 1, 1)
    assert stored.actor == superuser and stored.finished_at is not None
    event = AuditEvent.objects.get(verb="import_run.rejected")
    assert event.after["rejected"] == 1 and event.after["filename"] == "posts.csv"


def test_error_counts_stay_exact_beyond_the_stored_errors(world, superuser, tmp_path):
    lines = [HEADER] + [row(world.account_a, f"m{i}", 阅读="-1", 点赞="-1") for i in range(1200)]
    run = run_file(superuser, write_csv(tmp_path, lines))
    assert (run.rejected, run.error_count) == (1200, 2400)
    assert len(run.errors) == 1000
    stored = ImportRun.objects.get(pk=run.pk)
    assert (stored.rejected, stored.error_count) == (1200, 2400)
