"""Reading uploaded files into tables of text cells; no database access.

A file is recognised by its content, not only its name: an .xlsx is a zip archive, an
old .xls an OLE document (refused with a hint to save as .xlsx), anything else must be
text. CSV text may be UTF-8 with or without a BOM, UTF-16 (Excel's "Unicode text"), or
GBK/GB18030, which is what Excel in mainland China writes by default.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import PurePath

from django.utils.translation import gettext as _

from .columns import TABLES, TABLES_BY_KEY, TableSpec, normalise_header
from .problems import ProblemList

Progress = Callable[[str, int, int], None]

XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
PROGRESS_EVERY = 1000


@dataclass
class Source:
    """One uploaded file. ``slot`` is what it was uploaded as: ``workbook`` (sheets 部门
    and 人员), ``departments`` or ``people``."""

    slot: str
    name: str
    content: bytes


@dataclass
class Table:
    """A table read from a file: the header row, which column holds what, and the data
    rows as ``(spreadsheet row number, {column key: text})``; blank rows are skipped."""

    spec: TableSpec
    origin: str
    header_row: int = 1
    headers: dict[str, str] = field(default_factory=dict)
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)

    def header(self, key: str) -> str:
        return self.headers.get(key) or self.spec.column(key).header

    def has(self, key: str) -> bool:
        return key in self.headers


def cell_text(value) -> str:
    """A cell as text: numbers without a trailing ``.0`` (Excel stores 1001 as 1001.0)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).replace("\u00a0", " ").replace("\u200b", "").replace("\ufeff", "").strip()


def decode_text(content: bytes) -> str | None:
    """The text of a CSV file, or None when the encoding is not one we know."""
    if content.startswith(codecs.BOM_UTF8):
        encodings = ["utf-8-sig"]
    elif content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ["utf-16"]
    else:
        if b"\x00" in content[:4096]:
            return None
        encodings = ["utf-8", "gb18030"]
    for encoding in encodings:
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def _delimiter(text: str) -> str:
    first_line = text.split("\n", 1)[0]
    if "," in first_line or "，" in first_line:
        return ","
    if "\t" in first_line:
        return "\t"
    if ";" in first_line:
        return ";"
    return ","


class _Reader:
    def __init__(self, *, max_bytes: int, max_rows: int, progress: Progress | None) -> None:
        self.max_bytes = max_bytes
        self.max_rows = max_rows
        self.progress = progress or (lambda phase, done, total: None)
        self.problems = ProblemList()
        self.tables: dict[str, Table] = {}
        self.rows_read = 0
        self.rows_expected = 0

    # --- files ----------------------------------------------------------------------
    def read(self, source: Source) -> None:
        name = source.name
        if not source.content:
            self.problems.add(name, None, "", _("The file is empty."))
            return
        if len(source.content) > self.max_bytes:
            self.problems.add(name, None, "", too_big_message(len(source.content), self.max_bytes))
            return
        suffix = PurePath(name).suffix.lower()
        if source.content.startswith(XLSX_MAGIC):
            self.read_workbook(source)
        elif source.content.startswith(OLE_MAGIC):
            self.problems.add(
                name,
                None,
                "",
                _("This is an old Excel .xls file: save it as .xlsx (Excel workbook) and upload again."),
            )
        elif suffix in {".xlsx", ".xlsm"}:
            self.problems.add(
                name, None, "", _("The file cannot be read as an Excel workbook; it may be damaged.")
            )
        elif source.slot == "workbook":
            self.problems.add(
                name, None, "", _("A workbook must be an .xlsx file with sheets 部门 and 人员.")
            )
        elif suffix not in {".csv", ".txt", ""}:
            self.problems.add(name, None, "", _("Only .xlsx and .csv files can be imported."))
        else:
            self.read_csv(source)

    def read_csv(self, source: Source) -> None:
        text = decode_text(source.content)
        if text is None:
            self.problems.add(
                source.name,
                None,
                "",
                _("The text encoding of this file is not recognised: save it as CSV in UTF-8 or GBK."),
            )
            return
        self.rows_expected += text.count("\n") + 1
        try:
            rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text)))
        except csv.Error as exc:
            self.problems.add(
                source.name, None, "", _("The CSV file cannot be read: %(error)s") % {"error": exc}
            )
            return
        self.add_table(TABLES_BY_KEY[source.slot], source.name, rows, empty_is_error=True)

    def read_workbook(self, source: Source) -> None:
        try:
            sheets = self.load_sheets_fast(source.content)
        except Exception:  # anything unusual: let openpyxl try, it knows more variants
            sheets = self.load_sheets_openpyxl(source)
            if sheets is None:
                return
        matched: list[tuple[TableSpec, str, list]] = []
        for title, rows in sheets:
            spec = next((t for t in TABLES if normalise_header(title) in t.sheet_names()), None)
            if spec is not None:
                matched.append((spec, title, rows))
        if not matched:
            if source.slot == "workbook" or not sheets:
                self.problems.add(source.name, None, "", _("The workbook has no sheet named 部门 or 人员."))
                return
            title, rows = sheets[0]
            matched = [(TABLES_BY_KEY[source.slot], title, rows)]
        self.rows_expected += sum(len(rows) for _spec, _title, rows in matched)
        for spec, title, rows in matched:
            self.add_table(
                spec,
                f"{source.name} · {title}",
                rows,
                empty_is_error=len(matched) == 1 and source.slot != "workbook",
            )

    @staticmethod
    def load_sheets_fast(content: bytes) -> list[tuple[str, list]]:
        from .xlsx import XlsxReader

        reader = XlsxReader(content)
        try:
            return reader.sheets()
        finally:
            reader.close()

    def load_sheets_openpyxl(self, source: Source) -> list[tuple[str, list]] | None:
        import openpyxl

        try:
            workbook = openpyxl.load_workbook(io.BytesIO(source.content), read_only=True, data_only=True)
            try:
                return [
                    (sheet.title, list(sheet.iter_rows(values_only=True))) for sheet in workbook.worksheets
                ]
            finally:
                workbook.close()
        except Exception:  # openpyxl raises many kinds for a damaged archive
            self.problems.add(
                source.name, None, "", _("The file cannot be read as an Excel workbook; it may be damaged.")
            )
            return None

    # --- tables ---------------------------------------------------------------------
    def add_table(self, spec: TableSpec, origin: str, rows: Iterable, *, empty_is_error: bool) -> None:
        label = str(spec.label)
        if spec.key in self.tables:
            self.problems.add(
                label,
                None,
                "",
                _("The %(table)s table is given twice: in %(first)s and in %(second)s.")
                % {"table": label, "first": self.tables[spec.key].origin, "second": origin},
            )
            return
        table = Table(spec=spec, origin=origin)
        lookup = spec.lookup()
        mapping: list[tuple[int, str]] = []
        header_seen = False
        for number, values in enumerate(rows, start=1):
            cells = [cell_text(v) for v in values]
            if not any(cells):
                continue
            if not header_seen:
                header_seen = True
                table.header_row = number
                mapping = self.parse_header(table, cells, lookup)
                continue
            if len(table.rows) >= self.max_rows:
                self.problems.add(
                    label,
                    number,
                    "",
                    _("Too many rows: a table holds at most %(max)s rows.") % {"max": self.max_rows},
                )
                break
            table.rows.append((number, {key: cells[i] if i < len(cells) else "" for i, key in mapping}))
            self.rows_read += 1
            if self.rows_read % PROGRESS_EVERY == 0:
                self.progress("reading", self.rows_read, max(self.rows_expected, self.rows_read))
        if not header_seen:
            if empty_is_error:
                self.problems.add(
                    label, None, "", _("The table is empty: the first row must hold the column headers.")
                )
            return
        self.tables[spec.key] = table

    def parse_header(self, table: Table, cells: list[str], lookup) -> list[tuple[int, str]]:
        label = str(table.spec.label)
        mapping: list[tuple[int, str]] = []
        for index, text in enumerate(cells):
            if not text:
                continue
            column = lookup.get(normalise_header(text))
            if column is None:
                self.problems.add(
                    label,
                    table.header_row,
                    text,
                    _("Unknown column “%(header)s”; the columns are: %(columns)s.")
                    % {"header": text, "columns": "、".join(table.spec.headers)},
                )
            elif column.key in table.headers:
                self.problems.add(label, table.header_row, text, _("This column appears twice."))
            else:
                table.headers[column.key] = text
                mapping.append((index, column.key))
        for column in table.spec.columns:
            if column.required and column.key not in table.headers:
                self.problems.add(
                    label,
                    table.header_row,
                    column.header,
                    _("The required column “%(header)s” is missing.") % {"header": column.header},
                )
        return mapping


def too_big_message(size: int, max_bytes: int) -> str:
    return _("The file is too big (%(size)s MB); at most %(max)s MB can be imported.") % {
        "size": f"{size / 1048576:.1f}",
        "max": f"{max_bytes / 1048576:.0f}",
    }


def read_sources(
    sources: list[Source], *, max_bytes: int, max_rows: int, progress: Progress | None = None
) -> tuple[dict[str, Table], ProblemList]:
    """Read every uploaded file into the departments and people tables.

    Returns the tables found and the problems met; a table with header problems is
    still returned, but the caller must not go on to validation when there are problems.
    """
    reader = _Reader(max_bytes=max_bytes, max_rows=max_rows, progress=progress)
    for source in sources:
        reader.read(source)
    if not reader.tables and not reader.problems:
        reader.problems.add("", None, "", _("The files hold neither a departments table nor a people table."))
    reader.progress("reading", reader.rows_read, reader.rows_read)
    return reader.tables, reader.problems
