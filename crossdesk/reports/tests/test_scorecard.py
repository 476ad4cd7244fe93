"""The department scorecard [004]: each figure against the period before, as a page that
prints as the form, a PDF and an Excel file, for who may see the department's figures."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.utils import translation

from crossdesk.core.testing import pdf_text, xlsx_rows
from crossdesk.reports import selectors
from crossdesk.reports.periods import Period, preset_period
from crossdesk.reports.scorecard import previous_period, scorecard_rows

from .conftest import NOW
from .test_views import FORTNIGHT, get

pytestmark = pytest.mark.django_db

URL = "/reports/departments/CS/scorecard"


def test_the_period_before_is_the_preset_before_or_as_many_days_before():
    assert previous_period(preset_period("quarter", date(2026, 12, 4))) == Period(
        date(2026, 7, 1), date(2026, 9, 30), "quarter"
    )
    assert previous_period(preset_period("month", date(2026, 3, 15))) == Period(
        date(2026, 2, 1), date(2026, 2, 28), "month"
    )
    assert previous_period(Period(date(2026, 9, 28), date(2026, 10, 11))) == Period(
        date(2026, 9, 14), date(2026, 9, 27)
    )


def test_each_figure_is_better_or_worse_in_the_direction_that_counts():
    now = {"receiving": {"requests": 5, "respond_hours_median": 4.0, "response_within_target_pct": 80.0}}
    before = {"receiving": {"requests": 5, "respond_hours_median": 6.5, "response_within_target_pct": 90.0}}
    with translation.override("en"):
        rows = {row.label: row for row in scorecard_rows(now, before)}
    assert (rows["Requests received"].verdict, rows["Requests received"].change) == ("same", 0)
    assert (rows["Time to respond, median"].verdict, rows["Time to respond, median"].change) == (
        "better",
        -2.5,
    )
    assert rows["Responded within target"].verdict == "worse"
    assert rows["Reopen rate"].verdict == "" and rows["Reopen rate"].now is None  # nothing to compare


def test_the_page_pdf_and_excel_show_the_figures_against_the_period_before(fortnight, client_for):
    client = client_for(fortnight.personas.cs_head)
    page = get(client, f"{URL}/", FORTNIGHT)
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('data-testid="scorecard-row"') == 19
    assert (
        "66.7%" in html and "2026-09-14 – 2026-09-27" in html
    )  # CS responded within target; the period before
    pdf = get(client, f"{URL}.pdf", FORTNIGHT)
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = pdf_text(pdf.content)
    assert "客户服务部" in text and "66.7%" in text and "按时响应" in text
    rows = xlsx_rows(get(client, f"{URL}.xlsx", FORTNIGHT))
    assert rows[0][:2] == ("板块", "指标")
    responded = next(r for r in rows if r[1] == "按时响应率")
    with time_machine.travel(NOW, tick=False):
        node = next(n for n in selectors.department_nodes().values() if n.code == "CS")
        before = selectors.scorecards([node], Period(date(2026, 9, 14), date(2026, 9, 27)))[0]
    assert responded[2] == 66.7 and responded[5] == before["receiving"]["response_within_target_pct"]


def test_who_may_not_see_the_department_gets_nothing_and_a_bad_period_names_its_field(fortnight, client_for):
    outsider = client_for(fortnight.personas.outsider)
    assert get(outsider, f"{URL}.xlsx", FORTNIGHT).status_code in (403, 404)
    assert get(outsider, f"{URL}/", FORTNIGHT).status_code in (403, 404)
    bad = get(
        client_for(fortnight.personas.cs_head), f"{URL}.xlsx", {"period": "custom", "from": "2026-10-11"}
    )
    assert bad.status_code == 400 and "to" in bad.content.decode()


def test_the_scorecard_lists_the_most_overdue_requests_its_reader_may_open(fortnight, client_for):
    from crossdesk.collaboration.models import Request
    from crossdesk.collaboration.selectors import visible_requests
    from crossdesk.org.selectors import roles_for

    r = fortnight.requests
    html = get(client_for(fortnight.personas.cs_head), f"{URL}/", FORTNIGHT).content.decode()
    assert html.count('data-testid="overdue-row"') == 2  # R0 and R3 are overdue now (test_selectors)
    assert r["R0"].title in html and r["R3"].title in html
    # A reader who may not open a confidential request does not see it named.
    Request.objects.filter(pk=r["R0"].pk).update(confidential=True)
    with time_machine.travel(NOW, tick=False):
        node = next(n for n in selectors.department_nodes().values() if n.code == "CS")
        for who in ("cs_staff", "cs_head", "supervisor"):
            roles = roles_for(getattr(fortnight.personas, who).user)
            found = {row.request_id for row in selectors.worst_overdue(roles=roles, node=node)}
            may_open = set(
                visible_requests(roles=roles)
                .filter(pk__in=[r["R0"].pk, r["R3"].pk])
                .values_list("pk", flat=True)
            )
            assert found == may_open, who
            if who == "cs_staff":  # staff may not open a confidential request they are not named on
                assert found == {r["R3"].pk}
