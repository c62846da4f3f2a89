"""Helpers for the file-import tests: write CSV/xlsx files as exports and people make them."""

import csv
import io
from pathlib import Path

import openpyxl
import pytest
from django.utils import translation

from mediamatrix.ingestion.services.files import posts_import_file

HEADER = [
    "账号平台",
    "平台账号",
    "平台内容ID",
    "标题",
    "链接",
    "作者",
    "发布时间",
    "推送位置",
    "原创",
    "阅读",
    "点赞",
    "在看",
    "分享",
    "评论",
]
WECHAT_HEADER = ["内容标题", "发表时间", "阅读次数", "分享次数", "点赞次数", "在看次数", "留言次数"]


def row(account, external_id="m1", title="东湖区召开防汛工作会议", **cells):
    values = {
        "账号平台": "微信公众号",
        "平台账号": account.handle,
        "平台内容ID": external_id,
        "标题": title,
        "链接": f"https://mp.weixin.qq.com/s/{external_id}",
        "作者": "东湖发布",
        "发布时间": "2026-01-03 08:30",
        "推送位置": "1",
        "原创": "是",
        "阅读": "1.2万",
        "点赞": "30",
        "在看": "5",
        "分享": "12",
        "评论": "3",
    }
    values.update(cells)
    return [values[name] for name in HEADER]


def csv_bytes(rows, *, encoding="utf-8-sig", delimiter=","):
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode(encoding)


def write_csv(directory: Path, rows, *, name="posts.csv", **options) -> Path:
    path = directory / name
    path.write_bytes(csv_bytes(rows, **options))
    return path


def write_xlsx(directory: Path, rows, *, name="posts.xlsx", title_row=None) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    if title_row:
        sheet.append([title_row])
    for values in rows:
        sheet.append(values)
    path = directory / name
    workbook.save(path)
    return path


def run_file(actor, path, **options):
    return posts_import_file(actor=actor, path=path, filename=path.name, **options)


def errors(run):
    return [(e["row"], e["field"], e["reason"]) for e in run.errors]


@pytest.fixture(autouse=True)
def chinese():
    """Messages are compared in Chinese, whatever language an earlier test left active."""
    with translation.override("zh-hans"):
        yield
