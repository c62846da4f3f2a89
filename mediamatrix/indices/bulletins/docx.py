"""The bulletin as a Word document (python-docx), rendered from the bulletin's data alone.

Fonts follow office custom: the title in 宋体 bold, section headings in 黑体, body text in 仿宋,
tables in 宋体. The East Asian font is named on every run (w:eastAsia), so Word shows Chinese in
it rather than falling back to the Latin font.
"""

import io
from typing import Any

from docx import Document
from docx.document import Document as DocumentType
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.text.run import Run

from mediamatrix.indices.bulletins import charts
from mediamatrix.indices.bulletins.data import board_bottom, board_top
from mediamatrix.indices.bulletins.format import change, number, rank

LATIN = "Times New Roman"
TITLE_FONT, HEADING_FONT, BODY_FONT, TABLE_FONT = "宋体", "黑体", "仿宋", "宋体"
NUMERALS = "一二三四五六七八九十"
CHART_WIDTH = Cm(15)


def render_docx(data: dict[str, Any], *, version: int) -> bytes:
    document = Document()
    _page(document)
    _title(document, data, version)
    sections = [_overview, _boards, _units, _charts, _named, _review, _rectify, _formulas]
    for position, section in enumerate(sections):
        section(document, data, NUMERALS[position])
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# Typography ------------------------------------------------------------------------------------


def _fonts(run: Run, east: str, size: float, *, bold: bool = False) -> Run:
    run.font.name = LATIN
    run.font.size = Pt(size)
    run.font.bold = bold
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), east)
    return run


def _page(document: DocumentType) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)  # A4, as offices print
    section.left_margin = section.right_margin = Cm(2.6)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    normal = document.styles["Normal"]
    normal.font.name = LATIN
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)


def _paragraph(
    document: DocumentType,
    text: str,
    *,
    east: str = BODY_FONT,
    size: float = 14,
    bold: bool = False,
    centre: bool = False,
    indent: bool = True,
) -> None:
    paragraph = document.add_paragraph()
    if centre:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif indent:
        paragraph.paragraph_format.first_line_indent = Pt(size * 2)
    _fonts(paragraph.add_run(text), east, size, bold=bold)


def _heading(document: DocumentType, text: str) -> None:
    _paragraph(document, text, east=HEADING_FONT, size=15, indent=False)


def _subheading(document: DocumentType, text: str) -> None:
    _paragraph(document, text, east=BODY_FONT, size=14, bold=True, indent=False)


def _table(document: DocumentType, header: list[str], rows: list[list[str]]) -> None:
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        _fonts(cell.paragraphs[0].add_run(text), HEADING_FONT, 10.5)
    for values in rows:
        for cell, text in zip(table.add_row().cells, values, strict=True):
            _fonts(cell.paragraphs[0].add_run(text), TABLE_FONT, 10.5)
    document.add_paragraph()


def _picture(document: DocumentType, png: bytes | None) -> None:
    if png is None:
        return
    document.add_picture(io.BytesIO(png), width=CHART_WIDTH)
    document.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER


# Sections --------------------------------------------------------------------------------------


def _title(document: DocumentType, data: dict[str, Any], version: int) -> None:
    _paragraph(document, data["title"], east=TITLE_FONT, size=22, bold=True, centre=True)
    period = data["period"]
    line = f"（统计周期：{period['start']}至{period['end']}　第{version}版）"
    _paragraph(document, line, east=BODY_FONT, size=12, centre=True)


def _overview(document: DocumentType, data: dict[str, Any], numeral: str) -> None:
    _heading(document, f"{numeral}、总体情况")
    coverage, summary = data["coverage"], data["summary"]
    platforms = "、".join(f"{item['label']}{item['accounts']}个" for item in coverage["platforms"])
    text = (
        f"本期通报范围为{data['scope']['name']}及所属单位，统计周期为{data['period']['label']}。"
        f"共有{coverage['accounts']}个账号纳入排名（{platforms or '无'}），"
        f"分属{coverage['units']}个单位，期内发稿{coverage['posts']}篇。"
    )
    if summary["mean"] is not None:
        text += (
            f"账号四力总分均值{number(summary['mean'])}分，中位数{number(summary['median'])}分。"
        )
    if summary["composite"] is not None:
        text += f"{data['scope']['name']}综合指数{number(summary['composite'])}。"
    if not data["previous"]["available"]:
        text += f"上期（{data['previous']['label']}）无可比数据，本期不计环比。"
    _paragraph(document, text)


def _boards(document: DocumentType, data: dict[str, Any], numeral: str) -> None:
    _heading(document, f"{numeral}、各平台排行")
    if not data["boards"]:
        _paragraph(document, "本期无纳入排名的账号。")
    header = ["排名", "账号", "所属单位", "指数", "环比", "上期排名"]
    for position, board in enumerate(data["boards"]):
        _subheading(document, f"（{NUMERALS[position % 10]}）{board['label']}（{board['title']}）")
        lists = [("前", board_top(board)), ("后", board_bottom(board))]
        for word, rows in lists:
            if not rows:
                continue
            _paragraph(document, f"{word}{len(rows)}名：", indent=False, size=12)
            _table(document, header, [_board_cells(row) for row in rows])


def _board_cells(row: dict[str, Any]) -> list[str]:
    return [
        str(row["rank"]),
        row["name"],
        row["owner"],
        number(row["value"]),
        change(row["change"]),
        rank(row["previous_rank"]),
    ]


def _units(document: DocumentType, data: dict[str, Any], numeral: str) -> None:
    _heading(document, f"{numeral}、单位排名")
    units = data["units"]
    if not units:
        _paragraph(document, "本级下无参与排名的下级单位。")
        return
    header = ["排名", "单位", "综合指数", "四力均分", "账号数", "单项否决", "环比"]
    rows = [
        [
            str(unit["rank"]),
            unit["name"],
            number(unit["composite"]),
            number(unit["forces"]),
            str(unit["accounts"]),
            str(unit["vetoed"]),
            change(unit["change"]),
        ]
        for unit in units
    ]
    _table(document, header, rows)
    _picture(document, charts.unit_ranking_png(units))


def _charts(document: DocumentType, data: dict[str, Any], numeral: str) -> None:
    _heading(document, f"{numeral}、得分分布与走势")
    _paragraph(document, "下图为本期各账号四力总分的分布，以及本级近几期均值、中位数的走势。")
    _picture(document, charts.distribution_png(data["distribution"]))
    _picture(document, charts.trend_png(data["trend"]))


def _named(document: DocumentType, data: dict[str, Any], numeral: str) -> None:
    _heading(document, f"{numeral}、点名通报（僵尸号及单项否决）")
    _paragraph(
        document,
        f"以下为统计周期内已出现、截至{data['named']['as_of']}仍存在的问题，起始日期为问题出现之日。",
    )
    header = ["序号", "账号", "平台", "所属单位", "起始日期", "持续天数", "最近更新"]
    for item in data["named"]["lists"]:
        veto = "（单项否决）" if item["single_veto"] else ""
        _subheading(document, f"{item['title']}{veto}")
        if item["pending"]:
            _paragraph(document, item["message"] or "暂无数据。")
            continue
        if not item["entries"]:
            _paragraph(document, "无。")
            continue
        rows = [
            [
                str(position),
                entry["name"],
                entry["platform"],
                entry["owner"],
                entry["since"],
                str(entry["days"]),
                entry["last_update"] or "从未更新",
            ]
            for position, entry in enumerate(item["entries"], start=1)
        ]
        _table(document, header, rows)


def _review(document: DocumentType, data: dict[str, Any], numeral: str) -> None:
    _heading(document, f"{numeral}、内容审核发现的问题")
    if not data["review"]["items"]:
        _paragraph(document, data["review"]["note"])


def _rectify(document: DocumentType, data: dict[str, Any], numeral: str) -> None:
    _heading(document, f"{numeral}、整改要求")
    _paragraph(
        document,
        f"请被点名账号的主管单位对照上述问题认真整改，于{data['rectify']['by']}前完成整改，"
        "并将整改情况报送本级网信部门。",
    )


def _formulas(document: DocumentType, data: dict[str, Any], numeral: str) -> None:
    _heading(document, f"{numeral}、指数说明")
    rows = [
        [item["title"], item["name"], item["version"], item["expression"]]
        for item in data["formulas"]
    ]
    _table(document, ["指数", "名称", "版本", "公式"], rows)
    stamp = data["scores"]
    _paragraph(
        document,
        f"本通报依据{stamp['count']}条已存储的指数得分生成（得分指纹 {stamp['digest'][:16]}），"
        "可据此复核。",
        size=12,
    )
