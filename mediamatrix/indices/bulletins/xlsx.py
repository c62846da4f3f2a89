"""The bulletin's Excel annex (openpyxl), rendered from the bulletin's data alone.

A summary sheet, one sheet per board with every ranked account and every input of its formula
as its own column (so anyone can recompute a value), the unit ranking, the named lists, and the
distribution and trend. Header rows are frozen; numbers stay numbers.
"""

import io
import re
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="EEF2F7")
PERCENT = "0.0%"
DECIMAL = "0.00"
SHEET_NAME_UNSAFE = re.compile(r"[\[\]:*?/\\]")


def render_xlsx(data: dict[str, Any], *, version: int) -> bytes:
    workbook = Workbook()
    _summary(workbook.active, data, version)
    used = {"概况"}
    for board in data["boards"]:
        _board(workbook.create_sheet(_sheet_name(board["label"], used)), board)
    _units(workbook.create_sheet("单位排名"), data["units"])
    _named(workbook.create_sheet("点名名单"), data["named"])
    _distribution(workbook.create_sheet("分布与走势"), data)
    workbook.properties.title = data["title"]
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sheet_name(label: str, used: set[str]) -> str:
    base = SHEET_NAME_UNSAFE.sub("_", label)[:28] or "sheet"
    name, n = base, 2
    while name in used:
        name, n = f"{base}{n}", n + 1
    used.add(name)
    return name


def _table(
    sheet: Worksheet,
    header: list[str],
    rows: list[list[Any]],
    *,
    formats: dict[int, str] | None = None,
    widths: dict[int, int] | None = None,
) -> None:
    """Header, rows, frozen header, column widths; `formats` maps 0-based columns to formats."""
    sheet.append(header)
    start = sheet.max_row
    for cell in sheet[start]:
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for values in rows:
        sheet.append(values)
    for column, number_format in (formats or {}).items():
        for row in sheet.iter_rows(min_row=start + 1, min_col=column + 1, max_col=column + 1):
            row[0].number_format = number_format
    if start == 1:
        sheet.freeze_panes = "A2"
    for position, title in enumerate(header):
        width = (widths or {}).get(position, max(8, min(40, len(str(title)) * 2 + 2)))
        letter = get_column_letter(position + 1)
        sheet.column_dimensions[letter].width = max(
            sheet.column_dimensions[letter].width or 0, width
        )


def _summary(sheet: Worksheet, data: dict[str, Any], version: int) -> None:
    sheet.title = "概况"
    coverage, summary = data["coverage"], data["summary"]
    facts = [
        ("标题", data["title"]),
        ("版本", version),
        ("范围", data["scope"]["name"]),
        ("统计周期", data["period"]["label"]),
        ("起始日", data["period"]["start"]),
        ("截止日", data["period"]["end"]),
        ("环比周期", data["previous"]["label"]),
        ("纳入排名账号数", coverage["accounts"]),
        ("单位数", coverage["units"]),
        ("发稿数", coverage["posts"]),
        ("四力总分均值", summary["mean"]),
        ("四力总分中位数", summary["median"]),
        ("本级综合指数", summary["composite"]),
        ("整改期限", data["rectify"]["by"]),
        ("得分条数", data["scores"]["count"]),
        ("得分指纹", data["scores"]["digest"]),
    ]
    _table(sheet, ["项目", "值"], [list(item) for item in facts], widths={0: 18, 1: 60})
    sheet.append([None])
    platforms = [[p["label"], p["accounts"], p["posts"]] for p in coverage["platforms"]]
    _table(sheet, ["平台", "账号数", "发稿数"], platforms)
    sheet.append([None])
    formulas = [[f["name"], f["version"], f["title"], f["expression"]] for f in data["formulas"]]
    _table(sheet, ["指数", "版本", "名称", "公式"], formulas, widths={2: 24, 3: 60})


def _board(sheet: Worksheet, board: dict[str, Any]) -> None:
    inputs: list[list[str]] = board["inputs"]
    parts: list[list[str]] = board["parts"]
    header = [
        "排名",
        "账号",
        "平台",
        "类别",
        "所属单位",
        "指数值",
        "指数",
        "版本",
        *[f"{zh}（{key}）" for key, zh in inputs],
        *[zh for _, zh in parts],
        "稿件数",
        "上期值",
        "上期排名",
        "环比",
    ]
    rows = [
        [
            row["rank"],
            row["name"],
            row["platform"],
            row["category"],
            row["owner"],
            row["value"],
            board["formula"],
            board["version"],
            *[row["inputs"].get(key) for key, _ in inputs],
            *[row["parts"].get(key) for key, _ in parts],
            row["posts"],
            row["previous"],
            row["previous_rank"],
            row["change"],
        ]
        for row in board["rows"]
    ]
    value_columns = [5, len(header) - 3]
    formats = {column: DECIMAL for column in value_columns} | {len(header) - 1: PERCENT}
    _table(sheet, header, rows, formats=formats, widths={1: 28, 4: 24})


def _units(sheet: Worksheet, units: list[dict[str, Any]]) -> None:
    header = ["排名", "单位", "综合指数", "四力排名", "四力均分", "账号数", "单项否决", "稿件数"]
    header += ["上期综合指数", "环比"]
    rows = [
        [
            unit["rank"],
            unit["name"],
            unit["composite"],
            unit["forces_rank"],
            unit["forces"],
            unit["accounts"],
            unit["vetoed"],
            unit["posts"],
            unit["previous"],
            unit["change"],
        ]
        for unit in units
    ]
    formats = {2: DECIMAL, 4: DECIMAL, 8: DECIMAL, 9: PERCENT}
    _table(sheet, header, rows, formats=formats, widths={1: 24})


def _named(sheet: Worksheet, named: dict[str, Any]) -> None:
    header = ["名单", "单项否决", "账号", "平台", "所属单位", "起始日期", "持续天数"]
    header += ["最近更新", "未更新天数", "原因"]
    rows = []
    for item in named["lists"]:
        for entry in item["entries"]:
            rows.append(
                [
                    item["title"],
                    "是" if item["single_veto"] else "否",
                    entry["name"],
                    entry["platform"],
                    entry["owner"],
                    entry["since"],
                    entry["days"],
                    entry["last_update"] or "从未更新",
                    entry["idle_days"],
                    entry["reason"],
                ]
            )
    _table(sheet, header, rows, widths={0: 24, 2: 28, 4: 24})
    pending = [item for item in named["lists"] if item["pending"]]
    for item in pending:
        sheet.append([item["title"], item["message"]])
    sheet.append([f"统计周期内已出现、截至 {named['as_of']} 仍存在的问题"])


def _distribution(sheet: Worksheet, data: dict[str, Any]) -> None:
    buckets = [[b["label"], b["count"]] for b in data["distribution"]["buckets"]]
    _table(sheet, [f"{data['distribution']['basis']}区间", "账号数"], buckets, widths={0: 18})
    sheet.append([None])
    trend = [[p["label"], p["key"], p["mean"], p["median"], p["accounts"]] for p in data["trend"]]
    _table(sheet, ["周期", "周期代码", "均值", "中位数", "账号数"], trend, widths={0: 28})
