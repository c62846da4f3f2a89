"""Reading a posts file row by row without loading it: CSV (any common encoding) or .xlsx.

- **CSV** is read line by line from the binary file and decoded line by line. A BOM names the
  encoding (UTF-8, or UTF-16 read as text); otherwise the first line holding non-ASCII bytes
  decides (ASCII reads the same in every candidate): valid UTF-8 means UTF-8, anything else
  GB18030 (a superset of GBK and GB2312, what Chinese Excel writes). A line that does not decode is an error of its
  row, not of the file. Quoting is parsed strictly: a stray quote is an error of its row, and a
  quote never closed is an error of the row it opened. Comma- or tab-separated.
- **Excel (.xlsx)**: the first worksheet in openpyxl's read-only mode (rows stream from the zip).
- **Rows** are numbered as a spreadsheet shows them: the file's first row is 1, a cell holding
  line breaks is still one row. The header row is the first of the first ten that holds known
  headers; rows above it (a title line) are skipped, as are blank rows.
"""

import codecs
import csv
import datetime
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import IO, Any

import openpyxl
from django.utils.translation import gettext as _
from openpyxl.utils.exceptions import InvalidFileException

from mediamatrix.ingestion.files.layouts import HEADER_SCAN_ROWS, Layout, detect_layout, fold_header
from mediamatrix.orgs.registry_io.readers import unquote_formula

SNIFF_CHUNK = 1 << 16
COUNT_CHUNK = 1 << 20
XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls format
_NON_ASCII = re.compile(rb"[\x80-\xff]")
# A body of HTML can be long; the csv module's default cap (128 KiB per field) is not enough.
MAX_FIELD = 16 * 1024 * 1024
ENCODING_LABELS = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8（带 BOM）",
    "utf-16": "UTF-16",
    "gb18030": "GBK/GB18030",
    "xlsx": "Excel",
}

if csv.field_size_limit() < MAX_FIELD:
    csv.field_size_limit(MAX_FIELD)


class FileProblem(ValueError):
    """The file as a whole cannot be imported (format, headers, emptiness); nothing is written."""

    def __init__(self, message: str, *, row: int | None = None, column: str = "") -> None:
        super().__init__(message)
        self.row = row
        self.column = column

    @property
    def message(self) -> str:
        return str(self.args[0])


@dataclass(frozen=True)
class RawRow:
    number: int
    cells: list[str]
    # Why the row could not be read (bad quoting, undecodable text); its cells are then partial.
    problem: str = ""


@dataclass
class Table:
    """The data rows of one file under its header; iterate for `RawRow`s keyed by column."""

    layout: Layout
    keys: dict[int, str]  # cell index → column key
    header_row: int
    ignored_columns: tuple[str, ...]
    encoding: str
    rows_estimate: int | None
    _rows: Iterator[RawRow] = field(repr=False)

    def __iter__(self) -> Iterator[RawRow]:
        for row in self._rows:
            if row.problem or any(row.cells):
                yield row

    def close(self) -> None:
        close = getattr(self._rows, "close", None)
        if close is not None:
            close()

    @property
    def encoding_label(self) -> str:
        return ENCODING_LABELS.get(self.encoding, self.encoding)


def open_table(path: Path, filename: str) -> Table:
    """Open the file at `path` (named `filename` by its owner) at its header row."""
    with path.open("rb") as probe:
        head = probe.read(SNIFF_CHUNK)
    if not head:
        raise FileProblem(_("文件是空的。"))
    if sniff_suffix(head, filename) == ".xlsx":
        rows, estimate, encoding = _xlsx_rows(path)
    else:
        encoding = sniff_encoding(path)
        rows, estimate = _csv_rows(path, encoding), count_lines(path)
    return _at_header(rows, estimate, encoding)


def sniff_suffix(head: bytes, filename: str) -> str:
    """What the content is, `.xlsx` or `.csv`, from its first bytes; refuses anything else."""
    name_suffix = PurePath(filename).suffix.lower()
    if head.startswith(OLE_MAGIC) or name_suffix == ".xls":
        raise FileProblem(_("不支持旧版 Excel（.xls）文件，请在 Excel 中另存为 .xlsx 或 CSV。"))
    if head.startswith(XLSX_MAGIC):
        return ".xlsx"
    if name_suffix in {".xlsx", ".xlsm"}:
        raise FileProblem(_("文件扩展名是 .xlsx，但内容不是 Excel 文件。"))
    utf16 = head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    if b"\x00" in head and not utf16:
        raise FileProblem(_("这不是文本（CSV）文件，也不是 Excel（.xlsx）文件。"))
    return ".csv"


# Header --------------------------------------------------------------------------------------


def _at_header(rows: Iterator[RawRow], estimate: int | None, encoding: str) -> Table:
    for row in rows:
        if row.number > HEADER_SCAN_ROWS:
            break
        layout = None if row.problem else detect_layout(row.cells)
        if layout is None:
            continue
        keys, ignored = _map_headers(row, layout)
        left = estimate - row.number if estimate is not None else None
        return Table(layout, keys, row.number, ignored, encoding, left, rows)
    _close(rows)
    raise FileProblem(
        _(
            "前%(n)d行中没有找到表头。请使用稿件导入模板（表头含“平台内容ID”“标题”“发布时间”），"
            "或微信公众号后台导出的原始文件（表头含“标题”“发表时间”）。"
        )
        % {"n": HEADER_SCAN_ROWS}
    )


def _map_headers(row: RawRow, layout: Layout) -> tuple[dict[int, str], tuple[str, ...]]:
    lookup = layout.lookup()
    keys: dict[int, str] = {}
    seen: dict[str, str] = {}
    ignored: list[str] = []
    for index, cell in enumerate(row.cells):
        if not cell:
            continue
        key = lookup.get(fold_header(cell))
        if key is None:
            ignored.append(cell)
            continue
        if key in seen:
            raise FileProblem(
                _("“%(header)s”列出现了两次（“%(first)s”和“%(second)s”）。")
                % {"header": layout.header_of(key), "first": seen[key], "second": cell},
                row=row.number,
                column=layout.header_of(key),
            )
        seen[key] = cell
        keys[index] = key
    missing = [column.header for column in layout.required if column.key not in seen]
    if missing:
        raise FileProblem(
            _("缺少必填列：%(missing)s（%(layout)s）。")
            % {"missing": "、".join(missing), "layout": layout.label},
            row=row.number,
            column="、".join(missing),
        )
    return keys, tuple(ignored)


def _close(rows: Iterator[RawRow]) -> None:
    close = getattr(rows, "close", None)
    if close is not None:
        close()


# CSV -----------------------------------------------------------------------------------------


def sniff_encoding(path: Path) -> str:
    """UTF-8 (with or without BOM), UTF-16 (BOM) or GB18030, from the first line with non-ASCII."""
    with path.open("rb") as file:
        first = file.read(SNIFF_CHUNK)
        if first.startswith(codecs.BOM_UTF8):
            return "utf-8-sig"
        if first.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return "utf-16"
        chunk = first
        while chunk:
            if not chunk.isascii():
                found = _NON_ASCII.search(chunk)
                assert found is not None
                # The rest of that line decides: a line of GBK text is never valid UTF-8.
                window = chunk[found.start() :]
                if b"\n" not in window:
                    window += file.read(SNIFF_CHUNK)
                window = window.split(b"\n", 1)[0]
                try:
                    # Not final: a character cut by the window's end is not an error.
                    codecs.getincrementaldecoder("utf-8")().decode(window, final=False)
                except UnicodeDecodeError:
                    return "gb18030"
                return "utf-8"
            chunk = file.read(SNIFF_CHUNK)
    return "utf-8"  # pure ASCII


def count_lines(path: Path) -> int:
    """Lines in the file: an upper bound of its rows for a progress bar, at the speed of I/O."""
    lines = 0
    last = b""
    with path.open("rb") as file:
        while chunk := file.read(COUNT_CHUNK):
            lines += chunk.count(b"\n")
            last = chunk[-1:]
    return lines + (1 if last and last != b"\n" else 0)


class _DecodedLines:
    """A binary file's lines decoded one by one; remembers which lines did not decode."""

    def __init__(self, file: IO[bytes], encoding: str) -> None:
        self.file = file
        self.encoding = "utf-8" if encoding == "utf-8-sig" else encoding
        self.number = 0
        self.bad: set[int] = set()
        self.first = encoding == "utf-8-sig"

    def __iter__(self) -> Iterator[str]:
        for raw in self.file:
            self.number += 1
            if self.first:
                raw = raw.removeprefix(codecs.BOM_UTF8)
                self.first = False
            try:
                yield raw.decode(self.encoding)
            except UnicodeDecodeError:
                self.bad.add(self.number)
                yield raw.decode(self.encoding, errors="replace")


def _csv_rows(path: Path, encoding: str) -> Iterator[RawRow]:
    with path.open("rb") as file:
        if encoding == "utf-16":
            yield from _utf16_rows(file)
            return
        lines = _DecodedLines(file, encoding)
        first_line = file.readline()
        file.seek(0)
        delimiter = _delimiter(first_line.decode(lines.encoding, errors="replace"))
        reader = csv.reader(lines, delimiter=delimiter, strict=True)
        number = 0
        label = ENCODING_LABELS[encoding]
        while True:
            number += 1
            line_before = reader.line_num
            try:
                record = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                yield RawRow(number, [], _quoting_problem(error))
                continue
            problem = ""
            if lines.bad:
                spanned = {n for n in lines.bad if line_before < n <= reader.line_num}
                if spanned:
                    lines.bad -= spanned
                    problem = _(
                        "这一行有无法按 %(encoding)s 解码的文字；请把文件另存为 UTF-8 编码的 CSV。"
                    ) % {"encoding": label}
            yield RawRow(number, [unquote_formula(cell.strip()) for cell in record], problem)


def _utf16_rows(file: IO[bytes]) -> Iterator[RawRow]:
    """Excel's "Unicode text" (UTF-16, tab-separated); read through a strict text stream."""
    text = io.TextIOWrapper(file, encoding="utf-16", newline="")
    first = text.readline()
    text.seek(0)
    reader = csv.reader(text, delimiter=_delimiter(first), strict=True)
    number = 0
    while True:
        number += 1
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            yield RawRow(number, [], _quoting_problem(error))
            continue
        except UnicodeDecodeError as error:
            raise FileProblem(
                _("第%(row)d行附近有无法按 UTF-16 解码的文字。") % {"row": number}, row=number
            ) from error
        yield RawRow(number, [unquote_formula(cell.strip()) for cell in record])


def _delimiter(first_line: str) -> str:
    return "\t" if first_line.count("\t") > first_line.count(",") else ","


def _quoting_problem(error: csv.Error) -> str:
    text = str(error)
    if "unexpected end of data" in text:
        return _("引号没有闭合：从这一行开始的带引号的内容直到文件末尾都没有结束引号。")
    if "expected after" in text:
        return _('引号使用有误：结束引号后面应紧跟逗号或换行；内容里的引号要写成两个（""）。')
    if "field larger than field limit" in text:
        return _("某个单元格超过 16 MB，可能是引号没有闭合。")
    return _("CSV 格式有误（%(error)s）。") % {"error": text}


# Excel ---------------------------------------------------------------------------------------


def cell_text(value: Any) -> str:
    """A cell value as the text a person typed: 12000.0 → "12000", None → ""."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value).strip()


def _xlsx_rows(path: Path) -> tuple[Iterator[RawRow], int | None, str]:
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as error:
        raise FileProblem(_("无法打开 Excel 文件，文件可能已损坏或不是 .xlsx 格式。")) from error
    if not workbook.worksheets:
        workbook.close()
        raise FileProblem(_("Excel 文件中没有工作表。"))
    sheet = workbook.worksheets[0]
    estimate = sheet.max_row  # from the file's dimension record; None when the writer left it out
    sheet.reset_dimensions()  # never trust it for reading: some writers get it wrong

    def rows() -> Iterator[RawRow]:
        try:
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                yield RawRow(number, [cell_text(value) for value in values])
        finally:
            workbook.close()

    return rows(), estimate, "xlsx"
