"""The posts import template, as .csv or .xlsx: our layout's header row and nothing to import.

CSV is UTF-8 with a BOM so that Excel opens it without garbling the Chinese. The .xlsx template
keeps the header on its first sheet (text-formatted id columns, so Excel does not turn long ids
into 2.24748E+09) and explains every column on a second sheet, “说明”.
"""

import csv
import io

import openpyxl
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from mediamatrix.ingestion.files.layouts import ACCOUNT_ID, TEMPLATE, Column

FORMATS = ("csv", "xlsx")
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
SHEET = "稿件"
INSTRUCTIONS_SHEET = "说明"
TEXT_COLUMNS = frozenset({"handle", "external_id"})
# The account id is accepted instead of 账号平台 + 平台账号 but not offered: people know handles.
TEMPLATE_COLUMNS: tuple[Column, ...] = tuple(c for c in TEMPLATE.columns if c is not ACCOUNT_ID)


def template_filename(fmt: str) -> str:
    return f"稿件导入模板.{fmt}"


def posts_template(fmt: str) -> bytes:
    if fmt == "csv":
        text = io.StringIO()
        csv.writer(text, lineterminator="\r\n").writerow([c.header for c in TEMPLATE_COLUMNS])
        return text.getvalue().encode("utf-8-sig")
    if fmt != "xlsx":
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(SHEET)
    header_font, required_font = Font(bold=True), Font(bold=True, color="C62828")
    fill = PatternFill("solid", fgColor="DDE6F0")
    cells = []
    for index, column in enumerate(TEMPLATE_COLUMNS, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column.width
        if column.key in TEXT_COLUMNS:
            sheet.column_dimensions[letter].number_format = "@"
        cell = WriteOnlyCell(sheet, value=column.header)
        cell.font = required_font if column.required else header_font
        cell.fill = fill
        cells.append(cell)
    sheet.freeze_panes = "A2"
    sheet.append(cells)
    _instructions(workbook)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _instructions(workbook: openpyxl.Workbook) -> None:
    sheet = workbook.create_sheet(INSTRUCTIONS_SHEET)
    for letter, width in zip("ABCD", (14, 8, 70, 24), strict=True):
        sheet.column_dimensions[letter].width = width
    wrap = Alignment(wrap_text=True, vertical="top")

    def line(*values: str, font: Font | None = None) -> None:
        row = []
        for value in values:
            cell = WriteOnlyCell(sheet, value=value)
            cell.alignment = wrap
            if font is not None:
                cell.font = font
            row.append(cell)
        sheet.append(row)

    line("稿件导入说明", font=Font(bold=True, size=14))
    line(f"在第一个工作表“{SHEET}”中填写：第一行是表头，请勿修改；从第二行起每行一条稿件。")
    line(
        "红色表头为必填列。账号用“账号平台”+“平台账号”指明（也可用“账号ID”一列代替），"
        "或留空并在导入时选择账号。同一账号的同一“平台内容ID”再次导入会更新，不会重复登记。"
    )
    line("也可另存为 CSV（UTF-8 或 GBK 编码、逗号或制表符分隔）后导入。本页仅为说明，不会被导入。")
    line()
    line("列名", "必填", "填写说明", "示例", font=Font(bold=True))
    for column in TEMPLATE_COLUMNS:
        line(column.header, "是" if column.required else "否", column.help, column.example)
