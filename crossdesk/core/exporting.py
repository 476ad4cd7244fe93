"""Every list's Excel download, written once: exactly the rows given, Chinese headers in
bold, the header row frozen, column widths, and each cell written safely.

Safely means what a person typed can never act as anything but text when the file is
opened: a text beginning with ``= + - @`` (even after spaces, tabs or line breaks) would
be read by openpyxl, and then by Excel, as a formula (``=HYPERLINK(...)``, ``=cmd|...``);
it is written as a string cell carrying Excel's *quote prefix*, so Excel shows the text as
typed and does not turn it into a formula when someone edits the cell later. Control
characters that the file format cannot hold (NUL, ESC…) are dropped instead of breaking
the whole download. Numbers stay numbers; dates and times stay dates (local time, shown
to the minute), so a list can be sorted and summed in Excel.

A list's export calls ``xlsx_response(name, title, columns, rows)`` with the rows of the
same selector and filter its page uses; ``xlsx_bytes`` gives the file alone (a scheduled
report attaches it to a message), ``workbook_bytes`` one with several sheets.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from crossdesk.core.errors import ApplicationError

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
DATETIME_SECONDS_FORMAT = "yyyy-mm-dd hh:mm:ss"
TIME_FORMAT = "hh:mm"

# What makes Excel (or LibreOffice) read a typed value as a formula, full-width forms
# included, since a Chinese input method types those and Excel accepts them at the start.
FORMULA_STARTS = ("=", "+", "-", "@", "＝", "＋", "－", "＠")
# Leading characters Excel skips before it looks for a formula sign.
IGNORED_LEADING = " \t\r\n\u3000"
# Excel refuses a workbook whose sheet name holds one of these or is longer than 31.
SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
SHEET_TITLE_MAX = 31
# What XML 1.0, so an .xlsx, cannot hold: openpyxl refuses the C0 controls
# (ILLEGAL_CHARACTERS_RE) but writes lone surrogates and U+FFFE/U+FFFF, and the file then
# does not open.
NOT_IN_XML = re.compile(ILLEGAL_CHARACTERS_RE.pattern + "|[\ud800-\udfff\ufffe\uffff]")
# An Excel cell holds at most this many characters; openpyxl would cut it silently.
CELL_TEXT_MAX = 32_767


class Column:
    """One column: its header, how to read a row's cell, its width in characters, and the
    Excel number format of its dates and times when not the usual one (e.g. seconds)."""

    def __init__(
        self, header: Any, value: Callable[[Any], Any], width: int = 12, number_format: str = ""
    ) -> None:
        self.header, self.value, self.width = header, value, width
        self.number_format = number_format


def clean_text(value: str) -> str:
    """``value`` without the characters an .xlsx cannot hold (tab, line feed and carriage
    return stay: a cell may have several lines)."""
    return NOT_IN_XML.sub("", value)[:CELL_TEXT_MAX]


def looks_like_formula(value: str) -> bool:
    return value.lstrip(IGNORED_LEADING).startswith(FORMULA_STARTS)


def sheet_title(value: Any) -> str:
    title = SHEET_TITLE_FORBIDDEN.sub(" ", clean_text(str(value))).strip()[:SHEET_TITLE_MAX]
    return title or "Sheet1"


def safe_value(sheet: WriteOnlyWorksheet, value: Any, number_format: str = "") -> Any:
    """What to append for ``value``: text always text, numbers numbers, dates dates (shown
    with ``number_format`` when given), None empty. Numbers and ordinary text go to openpyxl
    as they are (most cells, and the fast way); the rest become cells set up by hand."""
    if value is None or value == "":
        return None
    if isinstance(value, bool | int | float | Decimal):
        return value
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value).replace(tzinfo=None)
        cell = WriteOnlyCell(sheet, value=value.replace(microsecond=0))
        cell.number_format = number_format or DATETIME_FORMAT
        return cell
    if isinstance(value, date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = number_format or DATE_FORMAT
        return cell
    if isinstance(value, time):
        cell = WriteOnlyCell(sheet, value=value.replace(tzinfo=None, microsecond=0))
        cell.number_format = number_format or TIME_FORMAT
        return cell
    text = clean_text(str(value))
    formula = looks_like_formula(text)
    if not formula and text not in ERROR_CODES:
        return text
    cell = WriteOnlyCell(sheet, value=None)
    # Set after construction: openpyxl's own guess would make "=…" a formula and "#N/A"
    # an error value.
    cell._value = text
    cell.data_type = "s"
    cell.quotePrefix = formula
    return cell


def safe_cell(sheet: WriteOnlyWorksheet, value: Any, number_format: str = "") -> Cell:
    """``safe_value`` always as a cell, for one that gets a style (a bold header)."""
    written = safe_value(sheet, value, number_format)
    return written if isinstance(written, Cell) else WriteOnlyCell(sheet, value=written)


def write_sheet(workbook: Workbook, title: Any, columns: Sequence[Column], rows: Iterable[Any]) -> int:
    """Append one sheet of ``rows`` to a write-only ``workbook``; the number of rows written."""
    sheet = workbook.create_sheet(sheet_title(title))
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for column in columns:
        cell = safe_cell(sheet, str(column.header))
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    count = 0
    for row in rows:
        sheet.append([safe_value(sheet, column.value(row), column.number_format) for column in columns])
        count += 1
    return count


def xlsx_bytes(sheet_title: Any, columns: Sequence[Column], rows: Iterable[Any]) -> bytes:
    """``rows`` as the content of an .xlsx file with one sheet."""
    return workbook_bytes([(sheet_title, columns, rows)])


def workbook_bytes(sheets: Iterable[tuple[Any, Sequence[Column], Iterable[Any]]]) -> bytes:
    """An .xlsx file with one sheet per ``(title, columns, rows)``, in that order (a
    scorecard: its figures, then the records behind them)."""
    workbook = Workbook(write_only=True)
    for title, columns, rows in sheets:
        write_sheet(workbook, title, columns, rows)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_download(content: bytes, name: str) -> HttpResponse:
    """An .xlsx download named ``<name>-<local time>.xlsx`` (``name`` in ASCII)."""
    response = HttpResponse(content, content_type=XLSX)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.xlsx"'
    return response


def xlsx_response(
    name: str, sheet_title: Any, columns: Sequence[Column], rows: Iterable[Any]
) -> HttpResponse:
    """``rows`` as an .xlsx download named ``<name>-<local time>.xlsx``."""
    return xlsx_download(xlsx_bytes(sheet_title, columns, rows), name)


def bad_filter_response(error: ApplicationError) -> HttpResponse:
    """The 400 of an export whose filter is wrong, naming the parameter (a link is followed
    outside any page, so the message alone must say which one)."""
    message = error.message
    if error.field and error.field not in message:
        message = f"{error.field}: {message}"
    return HttpResponse(message, status=error.status_code, content_type="text/plain; charset=utf-8")
