"""Reading an uploaded or local .xlsx/.csv file as numbered rows of cells keyed by column.

- **Excel (.xlsx)**: the first worksheet, read with openpyxl in read-only mode (rows stream from
  the zip; the whole sheet is never in memory). Cached values of formulas are read.
- **CSV**: UTF-8 with or without BOM, UTF-16 with BOM (Excel's "Unicode text"), otherwise
  GB18030 (a superset of GBK and GB2312). The whole file is checked as UTF-8 first, so a GBK file
  whose first lines happen to be ASCII is still read right. Comma or tab separated: whichever
  occurs more often in the first lines. Read line by line from a decoded stream.
- **Header row**: the first row, among the first ten, that holds at least one known column
  header; rows above it (a title such as “2026年东湖区账号登记表”) are skipped. Headers may be the
  template's Chinese ones or their English aliases; a `*` marking a required column is ignored.
- **Row numbers** are the ones Excel shows: the first line of the file is row 1.
- Cells are stripped; rows whose cells are all blank are skipped; unknown columns are ignored and
  reported.
"""

import codecs
import csv
import datetime
import io
import zipfile
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import IO, Any

import openpyxl
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from mediamatrix.orgs.registry_io.columns import KindSpec, fold_header

HEADER_SCAN_ROWS = 10
SCAN_CHUNK = 1 << 20
SAMPLE_SIZE = 64 * 1024
XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls format
FORMULA_PREFIXES = ("=", "+", "-", "@")

RawRows = Generator[tuple[int, list[str]], None, None]


class ImportFileError(ValueError):
    """The file as a whole cannot be read (format, encoding, headers); nothing is imported."""

    @property
    def message(self) -> str:
        return str(self.args[0])


@dataclass
class RowSource:
    """Data rows of one file: iterate to get `(row_number, {column_key: text})`."""

    keys: dict[int, str]  # cell index → column key
    header_row: int
    ignored_columns: tuple[str, ...]
    size_hint: int | None  # rows in the file if cheaply known, for progress bars
    encoding: str
    _raw: RawRows = field(repr=False)

    def __iter__(self) -> Iterator[tuple[int, dict[str, str]]]:
        for number, cells in self._raw:
            if not any(cells):
                continue
            yield number, {key: cells[i] if i < len(cells) else "" for i, key in self.keys.items()}


def open_rows(file: IO[bytes], filename: str, spec: KindSpec) -> RowSource:
    """Open `file` (binary, seekable) and position it after the header row."""
    head = file.read(8)
    file.seek(0)
    suffix = PurePath(filename).suffix.lower()
    if head.startswith(OLE_MAGIC) or suffix == ".xls":
        raise ImportFileError(_("不支持旧版 Excel（.xls）文件，请在 Excel 中另存为 .xlsx 或 CSV。"))
    if head.startswith(XLSX_MAGIC) or suffix in {".xlsx", ".xlsm"}:
        raw, hint, encoding = _xlsx_rows(file)
    else:
        raw, hint, encoding = _csv_rows(file)
    return _with_headers(raw, spec, hint, encoding)


# Headers -------------------------------------------------------------------------------------


def _with_headers(raw: RawRows, spec: KindSpec, hint: int | None, encoding: str) -> RowSource:
    lookup = spec.header_lookup()
    try:
        for number, cells in raw:
            if number > HEADER_SCAN_ROWS:
                break
            if any(fold_header(cell) in lookup for cell in cells if cell):
                keys, ignored = _map_headers(cells, lookup, spec, number)
                size = hint - number if hint is not None else None
                return RowSource(keys, number, ignored, size, encoding, raw)
    except ImportFileError:
        raw.close()
        raise
    raw.close()
    expected = "、".join(column.header for column in spec.required)
    raise ImportFileError(
        _(
            "前%(n)d行中没有找到%(label)s导入表头（应包含：%(expected)s）。"
            "请使用导入模板，并确认选择的导入内容正确。"
        )
        % {"n": HEADER_SCAN_ROWS, "label": spec.label, "expected": expected}
    )


def _map_headers(
    cells: list[str], lookup: dict[str, str], spec: KindSpec, row: int
) -> tuple[dict[int, str], tuple[str, ...]]:
    keys: dict[int, str] = {}
    seen: dict[str, int] = {}
    ignored: list[str] = []
    for index, cell in enumerate(cells):
        if not cell:
            continue
        key = lookup.get(fold_header(cell))
        if key is None:
            ignored.append(cell)
            continue
        if key in seen:
            raise ImportFileError(
                _("第%(row)d行：“%(header)s”列出现了两次（第%(first)s列和第%(second)s列）。")
                % {
                    "row": row,
                    "header": spec.header_of(key),
                    "first": get_column_letter(seen[key] + 1),
                    "second": get_column_letter(index + 1),
                }
            )
        seen[key] = index
        if spec.column(key).importable:
            keys[index] = key
    missing = [column.header for column in spec.required if column.key not in seen]
    if missing:
        raise ImportFileError(_("缺少必填列：%(missing)s。") % {"missing": "、".join(missing)})
    return keys, tuple(ignored)


# Excel ---------------------------------------------------------------------------------------


def cell_text(value: Any) -> str:
    """A cell value as the text a person typed: 12000.0 → "12000", None → ""."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value).strip()


def _xlsx_rows(file: IO[bytes]) -> tuple[RawRows, int | None, str]:
    try:
        workbook = openpyxl.load_workbook(file, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as error:
        raise ImportFileError(
            _("无法打开 Excel 文件，文件可能已损坏或不是 .xlsx 格式。")
        ) from error
    if not workbook.worksheets:
        workbook.close()
        raise ImportFileError(_("Excel 文件中没有工作表。"))
    sheet = workbook.worksheets[0]
    hint = sheet.max_row  # from the file's dimension record; None when the writer left it out
    sheet.reset_dimensions()  # never trust it for reading: some writers get it wrong

    def rows() -> RawRows:
        try:
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                yield number, [cell_text(value) for value in values]
        finally:
            workbook.close()

    return rows(), hint, "xlsx"


# CSV -----------------------------------------------------------------------------------------


ENCODING_NAMES = {"utf-8-sig": "UTF-8", "utf-16": "UTF-16", "gb18030": "GBK/GB18030"}


def detect_encoding(file: IO[bytes]) -> tuple[str, int]:
    """The file's encoding and its number of lines (a row-count hint); rewinds the file."""
    first = file.read(4)
    file.seek(0)
    if first.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    elif first.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    else:
        encoding = ""
    decoder = codecs.getincrementaldecoder("utf-8")()
    lines = 0
    valid_utf8 = not encoding
    last = b""
    while chunk := file.read(SCAN_CHUNK):
        last = chunk[-1:]
        if encoding != "utf-16":  # a UTF-16 "上" holds a 0x0A byte: don't count there
            lines += chunk.count(b"\n")
        if valid_utf8:
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError:
                valid_utf8 = False
    if valid_utf8:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            valid_utf8 = False
    file.seek(0)
    if not encoding:
        encoding = "utf-8-sig" if valid_utf8 else "gb18030"
    if last and last != b"\n" and encoding != "utf-16":
        lines += 1  # the last line has no line break
    return encoding, lines


def _detect_delimiter(sample: str) -> str:
    lines = sample.splitlines()[:HEADER_SCAN_ROWS]
    text = "\n".join(lines)
    return "\t" if text.count("\t") > text.count(",") else ","


def unquote_formula(text: str) -> str:
    """Exports put `'` before text starting with = + - @ so spreadsheets don't run it; undo it."""
    if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_PREFIXES:
        return text[1:]
    return text


def _csv_rows(file: IO[bytes]) -> tuple[RawRows, int | None, str]:
    encoding, lines = detect_encoding(file)
    sample = file.read(SAMPLE_SIZE).decode(encoding, errors="ignore")
    file.seek(0)
    delimiter = _detect_delimiter(sample)
    label = ENCODING_NAMES[encoding]

    def rows() -> RawRows:
        text = io.TextIOWrapper(file, encoding=encoding, newline="")
        number = 0
        try:
            for number, record in enumerate(csv.reader(text, delimiter=delimiter), start=1):
                yield number, [unquote_formula(cell.strip()) for cell in record]
        except UnicodeDecodeError as error:
            raise ImportFileError(
                _(
                    "第%(row)d行附近有无法按 %(encoding)s 解码的文字，请把文件另存为 UTF-8 编码的 CSV。"
                )
                % {"row": number + 1, "encoding": label}
            ) from error
        except csv.Error as error:
            raise ImportFileError(
                _("第%(row)d行：CSV 格式有误（%(error)s）。") % {"row": number + 1, "error": error}
            ) from error
        finally:
            text.detach()  # leave the caller's file open

    return rows(), lines or None, label
