"""Shared personas: one small company so every permission test is one line.

MKT raises requests; CS and LOG receive them; the supervisor oversees CS and LOG;
the outsider works in FIN and is involved in nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from crossdesk.org.models import Department, Person
from crossdesk.org.tests.factories import DepartmentFactory, PersonFactory, UserFactory, add_member

PASSWORD = "crossdesk-test"


@dataclass
class Personas:
    mkt: Department
    cs: Department
    log: Department
    fin: Department
    mkt_staff: Person
    mkt_head: Person
    cs_liaison: Person
    cs_staff: Person
    cs_head: Person
    log_head: Person
    supervisor: Person
    outsider: Person
    admin_user: object


def make_personas() -> Personas:
    mkt = DepartmentFactory.create(code="MKT", name="市场部", sort_order=1)
    cs = DepartmentFactory.create(code="CS", name="客户服务部", sort_order=2)
    log = DepartmentFactory.create(code="LOG", name="物流部", sort_order=3)
    fin = DepartmentFactory.create(code="FIN", name="财务部", sort_order=4)

    def person(no: str, name: str, department: Department, title: str) -> Person:
        p = PersonFactory.create(employee_no=no, name=name, title=title)
        add_member(p, department)
        return p

    mkt_staff = person("P001", "张伟", mkt, "市场专员")
    mkt_head = person("P002", "王芳", mkt, "市场部经理")
    cs_liaison = person("P003", "李娜", cs, "客服主管")
    cs_staff = person("P004", "赵磊", cs, "客服专员")
    cs_head = person("P005", "刘洋", cs, "客服部经理")
    log_head = person("P006", "陈静", log, "物流部经理")
    supervisor = person("P007", "杨总", mkt, "副总经理")
    outsider = person("P008", "周敏", fin, "会计")
    mkt.head, cs.head, log.head = mkt_head, cs_head, log_head
    cs.default_liaison = cs_liaison
    mkt.default_liaison = mkt_staff
    for d in (mkt, cs, log):
        d.save()
    cs.supervisors.add(supervisor)
    log.supervisors.add(supervisor)
    admin_user = UserFactory.create(username="admin", is_staff=True, is_superuser=True)
    return Personas(
        mkt=mkt,
        cs=cs,
        log=log,
        fin=fin,
        mkt_staff=mkt_staff,
        mkt_head=mkt_head,
        cs_liaison=cs_liaison,
        cs_staff=cs_staff,
        cs_head=cs_head,
        log_head=log_head,
        supervisor=supervisor,
        outsider=outsider,
        admin_user=admin_user,
    )


def xlsx_rows(response) -> list[tuple]:
    """The cell values of an .xlsx download's first sheet, the header row first."""
    import io

    from openpyxl import load_workbook

    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))


def queries_of(client, path: str, params: dict | None = None) -> int:
    """How many queries one GET of ``path`` makes (it must answer 200)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, params or {})
    assert response.status_code == 200
    return len(captured)


def pdf_text(content: bytes) -> str:
    """The text of a PDF as a reader's copy-and-paste gets it (printed forms' tests)."""
    import io

    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def pdf_fonts(content: bytes) -> set[tuple[str, bool]]:
    """Each font a PDF's pages use, without its subset prefix, and whether the file is embedded."""
    import io

    from pypdf import PdfReader

    found = set()
    for page in PdfReader(io.BytesIO(content)).pages:
        resources: Any = page["/Resources"]
        for ref in resources["/Font"].values():
            font = ref.get_object()
            if "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            else:
                descriptor = font["/FontDescriptor"].get_object()
            embedded = any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
            found.add((str(font["/BaseFont"]).split("+")[-1], embedded))
    return found
