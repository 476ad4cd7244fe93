"""Exports of departments and people in exactly the import format, so an export can be
edited and imported again unchanged (SPEC §2).

.xlsx: one workbook, sheets 部门 and 人员. .csv: one file per table, UTF-8 with a BOM,
which is what makes Excel in China open Chinese text correctly.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from crossdesk.core.exporting import safe_cell, safe_value

from .importing.columns import DEPARTMENTS, PEOPLE, TableSpec, yes_no
from .models import Department, Membership, Person

LIST_JOIN = "、"
# Wide enough for Chinese names and codes without the reader resizing columns.
WIDTHS = {"部门名称": 24, "邮箱": 28, "分管领导工号": 20, "部门代码": 14, "职务": 16}


def department_rows(departments: QuerySet[Department] | None = None) -> list[list]:
    """Rows of the 部门 sheet (two queries)."""
    base = departments if departments is not None else Department.objects.all()
    supervisors: dict[int, list[str]] = {}
    links = Department.supervisors.through.objects.filter(department__in=base.values("id"))
    for dept_id, number in links.values_list("department_id", "person__employee_no").order_by(
        "person__employee_no"
    ):
        supervisors.setdefault(dept_id, []).append(number)
    return [
        [
            d.code,
            d.name,
            d.parent.code if d.parent else "",
            d.head.employee_no if d.head else "",
            d.default_liaison.employee_no if d.default_liaison else "",
            LIST_JOIN.join(supervisors.get(d.id, [])),
            d.sort_order,
            yes_no(d.is_active),
        ]
        for d in base.select_related("parent", "head", "default_liaison").order_by("sort_order", "code")
    ]


def person_rows(people: QuerySet[Person] | None = None) -> list[list]:
    """Rows of the 人员 sheet (two queries, whatever the number of people): the primary
    department comes first in 部门代码, as the import reads it."""
    people = people if people is not None else Person.objects.all()
    fields = (
        "id",
        "employee_no",
        "name",
        "title",
        "phone",
        "email",
        "dingtalk_id",
        "wecom_id",
        "feishu_id",
        "is_active",
    )
    rows = list(people.order_by("employee_no").values_list(*fields))
    codes: dict[int, list[str]] = {}
    memberships = (
        Membership.objects.filter(person__in=people.values("id"))
        .order_by("person_id", "-is_primary", "department__sort_order", "department__code")
        .values_list("person_id", "department__code")
    )
    for person_id, code in memberships:
        codes.setdefault(person_id, []).append(code)
    return [
        [
            no,
            name,
            LIST_JOIN.join(codes.get(pk, [])),
            title,
            phone,
            email,
            ding,
            wecom,
            feishu,
            yes_no(active),
        ]
        for pk, no, name, title, phone, email, ding, wecom, feishu, active in rows
    ]


def xlsx_bytes(
    sheets: Iterable[tuple[TableSpec, Iterable[list]]], *, notes: list[list[str]] | None = None
) -> bytes:
    """A workbook with one sheet per table, bold frozen headers, cells written safely
    (``core.exporting.safe_value``: a name typed as ``=…`` stays text and imports back as typed)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    for spec, rows in sheets:
        sheet = workbook.create_sheet(spec.sheet)
        sheet.freeze_panes = "A2"
        for index, header in enumerate(spec.headers, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = WIDTHS.get(header, 12)
        header_cells = []
        for header in spec.headers:
            cell = safe_cell(sheet, header)
            cell.font = bold
            header_cells.append(cell)
        sheet.append(header_cells)
        for row in rows:
            sheet.append([safe_value(sheet, value) for value in row])
    if notes:
        sheet = workbook.create_sheet("说明")
        sheet.column_dimensions["A"].width = 16
        sheet.column_dimensions["B"].width = 90
        for row in notes:
            sheet.append([safe_value(sheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(spec: TableSpec, rows: Iterable[list]) -> bytes:
    """One table as CSV in UTF-8 with a BOM."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(spec.headers)
    writer.writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def template_notes() -> list[list[str]]:
    sheet_departments, sheet_people = DEPARTMENTS.sheet, PEOPLE.sheet
    return [
        [_("Sheet"), _("How to fill it in")],
        [
            sheet_departments,
            _("部门代码: 2 to 10 upper-case letters or digits, starting with a letter, e.g. MKT. Required."),
        ],
        [
            sheet_departments,
            _("部门名称 and 负责人工号 are required; leave 上级部门代码 empty for a top-level department."),
        ],
        [
            sheet_departments,
            _("对接人工号 may be empty; 分管领导工号 may hold several numbers separated by 、 or commas."),
        ],
        [sheet_departments, _("排序: a whole number, smaller first. 启用: 是 or 否, empty means 是.")],
        [
            sheet_people,
            _(
                "工号, 姓名 and 部门代码 are required. 部门代码 may hold several codes; the first is the primary department."
            ),
        ],
        [
            sheet_people,
            _(
                "在职: 是 or 否, empty means 是. New people get a login named after their 工号, without a password until an administrator sets one."
            ),
        ],
        [
            "*",
            _(
                "Rows are matched by 部门代码 and 工号 and updated; rows not in the file stay as they are. If any row has an error, nothing is imported."
            ),
        ],
    ]


def template_xlsx() -> bytes:
    """An empty workbook to fill in: sheets 部门 and 人员 with headers, and 说明 (notes)."""
    return xlsx_bytes([(DEPARTMENTS, []), (PEOPLE, [])], notes=template_notes())


def organisation_xlsx() -> bytes:
    """Every department and person, in the import format."""
    return xlsx_bytes([(DEPARTMENTS, department_rows()), (PEOPLE, person_rows())])


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"


def download(content: bytes, filename: str):
    """An attachment response; the Chinese file name survives (RFC 6266 ``filename*``)."""
    from django.http import HttpResponse
    from django.utils.http import content_disposition_header

    content_type = XLSX_TYPE if filename.endswith(".xlsx") else CSV_TYPE
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "private, no-store"
    return response


def errors_csv(errors: list[dict]) -> bytes:
    """An import's error list as CSV (UTF-8 with BOM): table, row, column, message."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([_("Table"), _("Row"), _("Column"), _("Problem")])
    for error in errors:
        writer.writerow(
            [
                error.get("table", ""),
                error.get("row") or "",
                error.get("column", ""),
                error.get("message", ""),
            ]
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def export_file(name: str, *, people: QuerySet[Person] | None = None) -> tuple[bytes, str]:
    """The content and download name of one of the exports:

    ``org.xlsx`` (both sheets), ``departments.csv``, ``people.csv``, ``people.xlsx``,
    and the empty templates ``template.xlsx``, ``template-departments.csv``,
    ``template-people.csv``. ``people`` narrows the people exports (the directory filter).
    """
    stamp = timezone.localdate().strftime("%Y%m%d")
    if name == "org.xlsx":
        return organisation_xlsx(), f"组织架构-{stamp}.xlsx"
    if name == "departments.csv":
        return csv_bytes(DEPARTMENTS, department_rows()), f"部门-{stamp}.csv"
    if name == "people.csv":
        return csv_bytes(PEOPLE, person_rows(people)), f"人员-{stamp}.csv"
    if name == "people.xlsx":
        return xlsx_bytes([(PEOPLE, person_rows(people))]), f"人员-{stamp}.xlsx"
    if name == "template.xlsx":
        return template_xlsx(), "组织架构导入模板.xlsx"
    if name == "template-departments.csv":
        return csv_bytes(DEPARTMENTS, []), "部门导入模板.csv"
    if name == "template-people.csv":
        return csv_bytes(PEOPLE, []), "人员导入模板.csv"
    raise KeyError(name)
