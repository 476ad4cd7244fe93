"""Every list's Excel download, written once: exactly the rows given, Chinese headers in
bold, the header row frozen, column widths, cells written as the list shows them."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from typing import Any

from django.http import HttpResponse
from django.utils import timezone

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class Column:
    """One column: its header, how to read a row's cell, its width in characters."""

    def __init__(self, header: Any, value: Callable[[Any], Any], width: int = 12) -> None:
        self.header, self.value, self.width = header, value, width


def cell_text(value: Any) -> Any:
    """What a cell holds: local times to the minute, dates as ISO, None empty."""
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if timezone.is_aware(value) else value
    if isinstance(value, date):
        return value.isoformat()
    return "" if value is None else value


def xlsx_response(
    name: str, sheet_title: Any, columns: Sequence[Column], rows: Iterable[Any]
) -> HttpResponse:
    """``rows`` as an .xlsx download named ``<name>-<local time>.xlsx``."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(str(sheet_title))
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=str(column.header))
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in rows:
        sheet.append([cell_text(column.value(row)) for column in columns])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.xlsx"'
    return response
