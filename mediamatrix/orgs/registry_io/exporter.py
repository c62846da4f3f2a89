"""Exports and empty templates, as .xlsx or .csv, with the same headers as the import.

Exports stream: rows come from the database in chunks (`.iterator(chunk_size=2000)`) and go to an
openpyxl write-only workbook (kept on disk by openpyxl, not in memory) or straight out as CSV. CSV
is UTF-8 with a BOM so that Excel opens it without garbling the Chinese. Text that a spreadsheet
would take for a formula (starting with = + - @) is written as text in .xlsx and behind a `'` in
CSV; the importer removes that `'` again.
"""

import csv
import datetime
import io
from collections.abc import Iterable, Iterator
from itertools import batched
from typing import IO, Any

import openpyxl
from django.db.models import Model, QuerySet
from django.utils import translation
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from mediamatrix.core.tree import subtree_q
from mediamatrix.orgs.access import is_system
from mediamatrix.orgs.models import Account, GridGroup, Unit
from mediamatrix.orgs.registry_io.columns import Column, KindSpec, kind_spec
from mediamatrix.orgs.registry_io.readers import FORMULA_PREFIXES
from mediamatrix.orgs.registry_io.references import UnitReferences
from mediamatrix.orgs.selectors import account_list, grid_group_list, unit_list

FORMATS = ("xlsx", "csv")
CHUNK = 2000
HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")
REQUIRED_FONT = Font(bold=True, color="C62828")
HEADER_FONT = Font(bold=True)
INSTRUCTIONS_SHEET = "说明"

Cell = str | int
Sheet = Any  # openpyxl's write-only worksheet (a private class)


# What to export --------------------------------------------------------------------------------


def export_queryset(kind: str, user: Any, *, within: Unit | None = None) -> QuerySet[Any]:
    """The records of `kind` that `user` may see (everything for the system, `user=None`),
    optionally limited to the subtree of `within`, in an order that imports again: parents first."""
    spec = kind_spec(kind)
    qs: QuerySet[Any]
    order: tuple[str, ...]
    if spec.kind == "units":
        qs = (Unit.objects.all() if is_system(user) else unit_list(user)).select_related("parent")
        field, order = "path", ("path",)
    elif spec.kind == "accounts":
        qs = Account.objects.select_related("owner") if is_system(user) else account_list(user)
        field, order = "owner_path", ("owner_path", "platform", "name", "pk")
    else:
        qs = GridGroup.objects.select_related("owner") if is_system(user) else grid_group_list(user)
        field, order = "owner_path", ("owner_path", "name", "pk")
    if within is not None:
        qs = qs.filter(subtree_q(field, [within.path]))
    return qs.order_by(*order)


def export_rows(kind: str, queryset: QuerySet[Any]) -> Iterator[list[Cell]]:
    """Rows of cell values in the spec's column order, Chinese labels for choices."""
    spec = kind_spec(kind)
    references = UnitReferences()
    values = _ROW_VALUES[spec.kind]
    with translation.override("zh-hans"):
        for chunk in batched(queryset.iterator(chunk_size=CHUNK), CHUNK):
            references.preload(_paths(chunk))
            for obj in chunk:
                row = values(obj, references)
                yield [row[column.key] for column in spec.columns]


def _paths(objects: Iterable[Model]) -> list[str]:
    return [str(getattr(obj, "path", None) or getattr(obj, "owner_path", "")) for obj in objects]


def _unit_values(unit: Unit, refs: UnitReferences) -> dict[str, Cell]:
    return {
        "name": unit.name,
        "short_name": unit.short_name,
        "parent": refs.reference(unit.parent) if unit.parent_id else "",
        "level": unit.get_level_display(),
        "kind": unit.get_kind_display(),
        "division_code": unit.division_code or "",
    }


def _account_values(account: Account, refs: UnitReferences) -> dict[str, Cell]:
    return {
        "platform": account.get_platform_display(),
        "handle": account.handle,
        "name": account.name,
        "category": account.get_category_display(),
        "owner": refs.reference(account.owner),
        "operator_name": account.operator_name,
        "operator_phone": account.operator_phone,
        "followers": account.followers,
        "status": account.get_status_display(),
        "filing_number": account.filing_number,
    }


def _grid_group_values(group: GridGroup, refs: UnitReferences) -> dict[str, Cell]:
    return {
        "name": group.name,
        "platform": group.get_platform_display(),
        "owner": refs.reference(group.owner),
        "member_count": group.member_count,
        "contact_name": group.contact_name,
        "contact_phone": group.contact_phone,
    }


_ROW_VALUES: dict[str, Any] = {
    "units": _unit_values,
    "accounts": _account_values,
    "grid_groups": _grid_group_values,
}


# Writing ---------------------------------------------------------------------------------------


def registry_export(*, kind: str, queryset: QuerySet[Any], fmt: str, out: IO[bytes]) -> int:
    """Write the rows of `queryset` to `out` as `fmt` ("xlsx" or "csv"); return the row count."""
    spec = kind_spec(kind)
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    count = 0

    def counted() -> Iterator[list[Cell]]:
        nonlocal count
        for row in export_rows(kind, queryset):
            count += 1
            yield row

    if fmt == "xlsx":
        _write_xlsx(spec, spec.columns, counted(), out)
    else:
        for chunk in _csv_chunks(spec.columns, counted()):
            out.write(chunk)
    return count


def csv_stream(kind: str, queryset: QuerySet[Any]) -> Iterator[bytes]:
    """The CSV export as byte chunks, for a streaming HTTP response."""
    spec = kind_spec(kind)
    return _csv_chunks(spec.columns, export_rows(kind, queryset))


def _csv_safe(value: Cell) -> Cell:
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _csv_chunks(columns: Iterable[Column], rows: Iterable[list[Cell]]) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([column.header for column in columns])
    yield "\ufeff".encode() + buffer.getvalue().encode()
    for chunk in batched(rows, CHUNK):
        buffer.seek(0)
        buffer.truncate()
        writer.writerows([_csv_safe(value) for value in row] for row in chunk)
        yield buffer.getvalue().encode()


def _header_cells(sheet: Sheet, columns: Iterable[Column]) -> list[WriteOnlyCell]:
    cells = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=column.header)
        cell.font = REQUIRED_FONT if column.required else HEADER_FONT
        cell.fill = HEADER_FILL
        cells.append(cell)
    return cells


def _data_sheet(workbook: Any, spec: KindSpec, columns: tuple[Column, ...]) -> Sheet:
    sheet: Sheet = workbook.create_sheet(spec.label)
    sheet.freeze_panes = "A2"
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    return sheet


def _text_cell(sheet: Sheet, value: Cell) -> Any:
    """Text starting with "=" would become a formula in openpyxl: keep it a string."""
    if isinstance(value, str) and value.startswith("="):
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell
    return value


def _write_xlsx(
    spec: KindSpec, columns: tuple[Column, ...], rows: Iterable[list[Cell]], out: IO[bytes]
) -> None:
    workbook = openpyxl.Workbook(write_only=True)
    sheet = _data_sheet(workbook, spec, columns)
    sheet.append(_header_cells(sheet, columns))
    for row in rows:
        sheet.append([_text_cell(sheet, value) for value in row])
    workbook.save(out)


# Templates -------------------------------------------------------------------------------------


def registry_template(kind: str, fmt: str) -> bytes:
    """An empty import template: the header row only, so no example can be imported by mistake.

    The .xlsx template adds drop-down lists for the choice columns and a second sheet, “说明”,
    listing every column: required or not, what to write, the allowed values and an example.
    """
    spec = kind_spec(kind)
    columns = spec.importable
    if fmt == "csv":
        return b"".join(_csv_chunks(columns, []))
    if fmt != "xlsx":
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    workbook = openpyxl.Workbook(write_only=True)
    sheet = _data_sheet(workbook, spec, columns)
    for index, column in enumerate(columns, start=1):
        allowed = column.allowed_values()
        if allowed:
            letter = get_column_letter(index)
            # A suggestion list: stored values (wechat_oa …) are accepted too, so no error box.
            validation = DataValidation(
                type="list", formula1=f'"{",".join(allowed)}"', showErrorMessage=False
            )
            validation.add(f"{letter}2:{letter}1048576")
            sheet.data_validations.append(validation)
    sheet.append(_header_cells(sheet, columns))
    _instructions_sheet(workbook, spec, columns)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _instructions_sheet(workbook: Any, spec: KindSpec, columns: tuple[Column, ...]) -> None:
    sheet: Sheet = workbook.create_sheet(INSTRUCTIONS_SHEET)
    for letter, width in zip("ABCDE", (16, 8, 60, 48, 30), strict=True):
        sheet.column_dimensions[letter].width = width
    wrap = Alignment(wrap_text=True, vertical="top")

    def line(*values: str, font: Font | None = None) -> None:
        cells = []
        for value in values:
            cell = WriteOnlyCell(sheet, value=value)
            cell.alignment = wrap
            if font is not None:
                cell.font = font
            cells.append(cell)
        sheet.append(cells)

    line(f"{spec.label}导入说明", font=Font(bold=True, size=14))
    line(f"在第一个工作表“{spec.label}”中填写：第一行是表头，请勿修改；从第二行起每行一条。")
    line(
        "红色表头为必填列。已登记的记录会被识别并更新，不会重复登记；空白的选填单元格不会清除已有数据。"
    )
    line("也可另存为 CSV（UTF-8 或 GBK 编码、逗号或制表符分隔）后导入。本页仅为说明，不会被导入。")
    line()
    line("列名", "必填", "填写说明", "可填的值", "示例", font=HEADER_FONT)
    for column in columns:
        line(
            column.header,
            "是" if column.required else "否",
            column.help,
            "、".join(column.allowed_values()),
            column.example,
        )


# File names ------------------------------------------------------------------------------------


def export_filename(kind: str, fmt: str, day: datetime.date) -> str:
    """`账号_20261123.xlsx`."""
    return f"{kind_spec(kind).label}_{day:%Y%m%d}.{fmt}"


def template_filename(kind: str, fmt: str) -> str:
    """`账号导入模板.xlsx`."""
    return f"{kind_spec(kind).label}导入模板.{fmt}"
