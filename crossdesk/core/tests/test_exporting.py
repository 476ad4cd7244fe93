"""The one Excel export of every list: what a typed value becomes in the file."""

import io
import zipfile
from datetime import UTC, date, datetime, time
from decimal import Decimal

from django.utils import timezone
from openpyxl import load_workbook

from crossdesk.core.exporting import (
    DATETIME_SECONDS_FORMAT,
    XLSX,
    Column,
    clean_text,
    looks_like_formula,
    sheet_title,
    workbook_bytes,
    xlsx_bytes,
    xlsx_response,
)

VALUE = Column("值", lambda row: row, 20)


def cells_of(content: bytes):
    sheet = load_workbook(io.BytesIO(content)).active
    return [row[0] for row in sheet.iter_rows(min_row=2)]


def test_text_that_starts_like_a_formula_is_stored_as_text_as_typed():
    typed = [
        "=1+1",
        "+86 138",
        "-5",
        "@SUM(A1)",
        '=HYPERLINK("http://evil.example","点我")',
        " \t=cmd|' /C calc'!A0",
        "\r\n=1+1",
        "＝１＋１",
    ]
    content = xlsx_bytes("导出", [VALUE], typed)
    cells = cells_of(content)
    # An XML reader turns a stored CR into LF; the cell still holds the typed text.
    assert [c.value for c in cells] == [t.replace("\r\n", "\n") for t in typed]
    assert all(c.data_type == "s" for c in cells)
    assert all(c.quotePrefix for c in cells)
    sheet_xml = zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml


def test_ordinary_text_keeps_no_quote_prefix_and_error_looking_text_stays_text():
    cells = cells_of(xlsx_bytes("导出", [VALUE], ["采购审批", "#N/A", "a-b=c"]))
    assert [(c.value, c.data_type, bool(c.quotePrefix)) for c in cells] == [
        ("采购审批", "s", False),
        ("#N/A", "s", False),
        ("a-b=c", "s", False),
    ]


def test_control_characters_are_dropped_and_line_breaks_kept():
    cells = cells_of(xlsx_bytes("导出", [VALUE], ["合同\x00审批\x1b[31m", "第一行\n第二行\t完"]))
    assert [c.value for c in cells] == ["合同审批[31m", "第一行\n第二行\t完"]
    assert clean_text("\x00=1+1") == "=1+1" and looks_like_formula(clean_text("\x00=1+1"))


def test_characters_xml_cannot_hold_are_dropped_so_the_file_opens():
    cells = cells_of(xlsx_bytes("导出", [VALUE], ["甲\uffff乙\ufffe丙\ud800丁", "a\x7fb"]))
    assert [c.value for c in cells] == ["甲乙丙丁", "a\x7fb"]


def test_numbers_stay_numbers_and_dates_stay_dates_in_local_time():
    moment = datetime(2026, 3, 2, 1, 30, 45, tzinfo=UTC)  # 09:30:45 in Shanghai
    rows = [7, Decimal("12.50"), 0.25, True, date(2026, 3, 2), moment, time(14, 5)]
    cells = cells_of(xlsx_bytes("导出", [VALUE], rows))
    assert [c.value for c in cells[:4]] == [7, 12.5, 0.25, True]
    assert [c.data_type for c in cells[:4]] == ["n", "n", "n", "b"]
    assert (
        cells[4].is_date and cells[4].value == datetime(2026, 3, 2) and cells[4].number_format == "yyyy-mm-dd"
    )
    assert cells[5].is_date and cells[5].number_format == "yyyy-mm-dd hh:mm"
    assert cells[5].value == timezone.localtime(moment).replace(tzinfo=None)
    assert cells[6].value == time(14, 5) and cells[6].number_format == "hh:mm"


def test_nothing_is_an_empty_cell():
    columns = [Column("甲", lambda r: r[0]), Column("乙", lambda r: r[1])]
    sheet = load_workbook(io.BytesIO(xlsx_bytes("导出", columns, [(None, "x"), ("", 0)]))).active
    assert list(sheet.iter_rows(min_row=2, values_only=True)) == [(None, "x"), (None, 0)]


def test_a_column_may_show_seconds():
    moment = datetime(2026, 3, 2, 1, 30, 45, tzinfo=UTC)
    column = Column("时间", lambda row: row, number_format=DATETIME_SECONDS_FORMAT)
    (cell,) = cells_of(xlsx_bytes("导出", [column], [moment]))
    assert cell.number_format == DATETIME_SECONDS_FORMAT and cell.value.second == 45


def test_the_header_row_is_bold_frozen_and_the_sheet_named_safely():
    columns = [Column("=编号", lambda r: r[0], 16), Column("主题", lambda r: r[1], 30)]
    book = load_workbook(io.BytesIO(xlsx_bytes("请求/清单[2026]:*?", columns, [("A-1", "标题")])))
    sheet = book.active
    assert sheet.title == "请求 清单 2026"
    assert [c.value for c in sheet[1]] == ["=编号", "主题"]
    assert all(c.font.b for c in sheet[1]) and sheet[1][0].data_type == "s"
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["B"].width == 30


def test_sheet_titles_are_cut_to_what_excel_accepts():
    assert sheet_title("长" * 40) == "长" * 31
    assert sheet_title("\x00") == "Sheet1"


def test_the_download_is_named_and_typed():
    response = xlsx_response("requests", "请求", [VALUE], ["x"])
    assert response["Content-Type"] == XLSX
    stamp = timezone.localtime().strftime("%Y%m%d")
    assert response["Content-Disposition"].startswith(f'attachment; filename="requests-{stamp}')
    assert response["Content-Disposition"].endswith('.xlsx"')


def test_rows_are_read_once_from_an_iterator():
    written = []

    def rows():
        for n in range(3):
            written.append(n)
            yield n

    assert [c.value for c in cells_of(xlsx_bytes("导出", [VALUE], rows()))] == [0, 1, 2]
    assert written == [0, 1, 2]


def test_a_workbook_may_hold_several_sheets_in_order():
    figures = [Column("指标", lambda r: r[0], 20), Column("数值", lambda r: r[1])]
    book = load_workbook(
        io.BytesIO(
            workbook_bytes([("评分卡", figures, [("按时响应率", 0.92)]), ("逾期事项", [VALUE], ["=X"])])
        )
    )
    assert book.sheetnames == ["评分卡", "逾期事项"]
    assert list(book["评分卡"].iter_rows(values_only=True)) == [("指标", "数值"), ("按时响应率", 0.92)]
    assert book["逾期事项"]["A2"].value == "=X" and book["逾期事项"]["A2"].data_type == "s"
