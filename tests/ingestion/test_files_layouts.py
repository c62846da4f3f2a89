"""Posts files in every layout and encoding people bring: our template, the WeChat export."""

import hashlib
from datetime import datetime
from zoneinfo import ZoneInfo

import openpyxl
import pytest

from mediamatrix.ingestion.files import posts_template
from mediamatrix.ingestion.models import MetricSnapshot, Post
from mediamatrix.orgs.choices import Platform
from tests.factories import AccountFactory
from tests.ingestion.files_support import (
    HEADER,
    WECHAT_HEADER,
    chinese,  # noqa: F401 - an autouse fixture
    errors,
    row,
    run_file,
    write_csv,
    write_xlsx,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_template_rows_become_posts_with_metrics(world, superuser, tmp_path):
    path = write_csv(
        tmp_path,
        [
            HEADER,
            row(world.account_a, "m1", 阅读="10万+", 点赞="1.2万", 在看="--", 推送位置="头条"),
            row(
                world.account_b, "m2", title="西山县秋收", 原创="否", 阅读="3,456", 推送位置="第2条"
            ),
        ],
    )
    run = run_file(superuser, path)
    assert (run.status, run.created, run.rejected, run.errors) == ("succeeded", 2, 0, [])
    assert run.connector == "file" and run.filename == "posts.csv" and run.rows_total == 2
    first = Post.objects.get(external_id="m1")
    assert first.account == world.account_a and first.source == "file"
    assert (first.reads, first.likes, first.wows, first.shares) == (100001, 12000, 0, 12)
    assert first.position == 1 and first.is_original is True
    assert first.published_at == datetime(2026, 1, 3, 8, 30, tzinfo=SHANGHAI)
    assert first.url == "https://mp.weixin.qq.com/s/m1"
    second = Post.objects.get(external_id="m2")
    assert second.account == world.account_b and second.reads == 3456
    assert second.position == 2 and second.is_original is False
    assert MetricSnapshot.objects.count() == 2
    assert "稿件导入模板" in run.message and "UTF-8" in run.message


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("2026年1月3日", datetime(2026, 1, 3, 0, 0)),
        ("2026年1月3日 08:30", datetime(2026, 1, 3, 8, 30)),
        ("2026年1月3日8时30分", datetime(2026, 1, 3, 8, 30)),
        ("2026/1/3 8:30", datetime(2026, 1, 3, 8, 30)),
        ("20260103", datetime(2026, 1, 3, 0, 0)),
        ("46025.3541666667", datetime(2026, 1, 3, 8, 30)),
        ("2026-01-03T00:30:00Z", datetime(2026, 1, 3, 8, 30)),
    ],
)
def test_chinese_and_spreadsheet_dates_are_beijing_time(
    world, superuser, tmp_path, written, expected
):
    path = write_csv(tmp_path, [HEADER, row(world.account_a, 发布时间=written)])
    run = run_file(superuser, path)
    assert run.status == "succeeded", run.errors
    assert Post.objects.get().published_at == expected.replace(tzinfo=SHANGHAI)


@pytest.mark.parametrize(
    ("encoding", "label"),
    [
        ("utf-8", "UTF-8"),
        ("utf-8-sig", "UTF-8（带 BOM）"),
        ("gbk", "GBK/GB18030"),
        ("gb18030", "GBK/GB18030"),
    ],
)
def test_csv_encodings_are_recognised(world, superuser, tmp_path, encoding, label):
    path = write_csv(
        tmp_path,
        [HEADER, row(world.account_a, title="东湖区“十五五”规划·征求意见")],
        encoding=encoding,
    )
    run = run_file(superuser, path)
    assert run.status == "succeeded", run.errors
    assert Post.objects.get().title == "东湖区“十五五”规划·征求意见"
    assert label in run.message


def test_gbk_file_whose_first_lines_are_ascii(world, superuser, tmp_path):
    """The encoding is decided by the first non-ASCII bytes, wherever they are."""
    world.account_a.handle = "donghu"
    world.account_a.save()
    header = ["platform", "handle", "external_id", "title", "published_at"]
    lines = [header] + [
        ["wechat_oa", "donghu", f"a{i}", f"title {i}", "2026-01-03 08:30"] for i in range(3000)
    ]
    lines.append(["wechat_oa", "donghu", "cn", "东湖区召开会议", "2026-01-03 08:30"])
    run = run_file(superuser, write_csv(tmp_path, lines, encoding="gbk"))
    assert run.status == "succeeded", run.errors
    assert Post.objects.get(external_id="cn").title == "东湖区召开会议"


def test_tab_separated_and_utf16_text(world, superuser, tmp_path):
    tsv = write_csv(
        tmp_path, [HEADER, row(world.account_a, "t1")], name="posts.tsv", delimiter="\t"
    )
    assert run_file(superuser, tsv).created == 1
    utf16 = write_csv(
        tmp_path,
        [HEADER, row(world.account_a, "t2")],
        name="u.txt",
        delimiter="\t",
        encoding="utf-16",
    )
    run = run_file(superuser, utf16)
    assert run.created == 1 and "UTF-16" in run.message


def test_xlsx_with_a_title_row_and_typed_cells(world, superuser, tmp_path):
    values = row(world.account_a, "x1", 阅读=120000, 点赞=30.0)
    values[HEADER.index("发布时间")] = datetime(2026, 1, 3, 8, 30)
    values[HEADER.index("平台内容ID")] = 2247483650
    path = write_xlsx(tmp_path, [HEADER, values], title_row="2026年1月东湖区稿件数据")
    run = run_file(superuser, path)
    assert run.status == "succeeded", run.errors
    post = Post.objects.get()
    assert post.external_id == "2247483650" and post.reads == 120000 and post.likes == 30
    assert post.published_at == datetime(2026, 1, 3, 8, 30, tzinfo=SHANGHAI)
    assert "Excel" in run.message


def test_account_by_id_and_headers_with_marks_and_aliases(world, superuser, tmp_path):
    header = ["账号ID", "*平台内容ID", "文章标题", "发表时间", "阅读量(次)", "点赞数", "阅读人数"]
    path = write_csv(
        tmp_path,
        [header, [str(world.account_b.pk), "b1", "西山县通知", "2026-01-03", "５００", "7", "400"]],
    )
    run = run_file(superuser, path)
    assert run.status == "succeeded", run.errors
    post = Post.objects.get()
    assert (post.account, post.reads, post.likes) == (world.account_b, 500, 7)
    assert "阅读人数" in run.message  # the unknown column is named as ignored


def test_wechat_export_takes_the_account_as_a_parameter(world, superuser, tmp_path):
    lines = [
        ["已发表内容数据（2026-01-01 至 2026-01-31）"],
        WECHAT_HEADER,
        ["东湖区召开防汛工作会议", "2026-01-03 08:30", "10万+", "120", "2,345", "88", "16"],
        ["东湖街道开展消防演练", "2026年1月4日 18:00", "5400", "12", "45", "3", "--"],
    ]
    path = write_csv(tmp_path, lines, name="内容分析.csv")
    run = run_file(superuser, path, account=world.account_a)
    assert (run.status, run.created) == ("succeeded", 2), run.errors
    assert "微信公众号后台" in run.message
    post = Post.objects.get(title="东湖区召开防汛工作会议")
    assert post.account == world.account_a and post.platform == Platform.WECHAT_OA
    assert (post.reads, post.shares, post.likes, post.wows, post.comments) == (
        100001,
        120,
        2345,
        88,
        16,
    )
    published = datetime(2026, 1, 3, 8, 30, tzinfo=SHANGHAI).astimezone(ZoneInfo("UTC"))
    digest = hashlib.sha256(
        f"{world.account_a.pk}\n东湖区召开防汛工作会议\n{published.isoformat()}".encode()
    ).hexdigest()
    assert post.external_id == f"h-{digest[:40]}"
    again = run_file(superuser, path, account=world.account_a)
    assert (again.created, again.unchanged) == (0, 2)
    assert Post.objects.count() == 2


def test_wechat_export_needs_a_wechat_account(world, superuser, tmp_path):
    path = write_csv(tmp_path, [WECHAT_HEADER, ["标题", "2026-01-03", "1", "1", "1", "1", "1"]])
    run = run_file(superuser, path)
    assert run.status == "rejected" and Post.objects.count() == 0
    assert errors(run) == [
        (
            1,
            "账号",
            "这是微信公众号后台导出的文件，文件中没有账号：请在导入时选择这些稿件所属的账号。",
        )
    ]
    weibo = AccountFactory(owner=world.county_a, platform=Platform.WEIBO)
    run = run_file(superuser, path, account=weibo)
    assert run.status == "rejected" and "不是微信公众号" in run.errors[0]["reason"]


def test_template_rows_may_leave_the_account_to_the_parameter(world, superuser, tmp_path):
    header = ["平台内容ID", "标题", "发布时间", "正文", "摘要", "来源"]
    path = write_csv(
        tmp_path,
        [
            header,
            [
                "c1",
                "转载：省里的通知",
                "2026-01-03",
                "<p>全文<b>如下</b></p>",
                "摘要",
                "省政府网站",
            ],
        ],
    )
    run = run_file(superuser, path, account=world.account_a)
    assert run.status == "succeeded", run.errors
    post = Post.objects.get()
    assert post.account == world.account_a and post.metrics_at is None
    assert post.body_text == "全文如下" and post.declared_source == "省政府网站"
    assert MetricSnapshot.objects.count() == 0  # no metric columns: no snapshot


def test_metrics_time_column_is_kept(world, superuser, tmp_path):
    header = [*HEADER, "数据时间"]
    path = write_csv(tmp_path, [header, [*row(world.account_a), "2026-01-05 12:00"]])
    run_file(superuser, path)
    snapshot = MetricSnapshot.objects.get()
    assert snapshot.captured_at == datetime(2026, 1, 5, 12, 0, tzinfo=SHANGHAI)


def test_template_downloads_import_back(world, superuser, tmp_path):
    csv_template = posts_template("csv")
    assert csv_template.startswith(b"\xef\xbb\xbf")
    header = csv_template.decode("utf-8-sig").strip().split(",")
    assert header[:4] == ["账号平台", "平台账号", "平台内容ID", "标题"] and "数据时间" in header
    (tmp_path / "t.xlsx").write_bytes(posts_template("xlsx"))
    workbook = openpyxl.load_workbook(tmp_path / "t.xlsx")
    assert workbook.sheetnames == ["稿件", "说明"]
    sheet = workbook["稿件"]
    assert [c.value for c in sheet[1]] == header
    values = dict.fromkeys(header, "")
    values.update(
        {
            "账号平台": "微信公众号",
            "平台账号": world.account_a.handle,
            "平台内容ID": "t1",
            "标题": "模板导入",
            "发布时间": "2026-01-03",
            "阅读": "1.5万",
        }
    )
    sheet.append([values[h] for h in header])
    workbook.save(tmp_path / "filled.xlsx")
    run = run_file(superuser, tmp_path / "filled.xlsx")
    assert run.status == "succeeded", run.errors
    assert Post.objects.get().reads == 15000
