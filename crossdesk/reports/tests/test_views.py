"""The 报表 pages: who may open them, what they show, and the nav and workbench ways in."""

import pytest
import time_machine
from django.utils import translation

from crossdesk.org.tests.factories import UserFactory

from .conftest import NOW

pytestmark = pytest.mark.django_db

FORTNIGHT = {"period": "custom", "from": "2026-09-28", "to": "2026-10-11"}


def get(client, url, params=None):
    with time_machine.travel(NOW, tick=False), translation.override("zh-hans"):
        return client.get(url, params or {}, HTTP_ACCEPT_LANGUAGE="zh-hans")


def test_the_home_ranks_the_departments_a_supervisor_may_see_with_charts_and_their_tables(
    fortnight, client_for, django_assert_max_num_queries
):
    client = client_for(fortnight.personas.supervisor)
    with django_assert_max_num_queries(40):
        response = get(client, "/reports/", FORTNIGHT)
    assert response.status_code == 200
    html = response.content.decode()
    for name in ("市场部", "客户服务部", "物流部", "客服一组"):
        assert name in html
    assert "财务部" not in html
    for chart in ("trend", "compliance", "overdue", "satisfaction"):
        assert f'data-chart="{chart}"' in html
    assert 'id="report-charts"' in html and "echarts.min.js" in html
    # CS's receiving figures, with the link to the requests behind them.
    assert "66.7%" in html
    assert "/requests/?department=CS&amp;direction=received&amp;include_sub=true" in html


def test_a_department_dashboard_shows_both_sides_and_the_sub_departments(fortnight, client_for):
    response = get(client_for(fortnight.personas.cs_head), "/reports/departments/CS/", FORTNIGHT)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="figures-receiving"' in html and 'data-testid="figures-requesting"' in html
    assert 'data-testid="sub-departments"' in html and "客服一组" in html
    assert "5.25 / 8.5" in html  # time to respond, median / p90
    assert "客户服务部" in html and "看板" in html


def test_a_department_not_yours_is_not_found(fortnight, client_for):
    assert get(client_for(fortnight.personas.outsider), "/reports/departments/CS/").status_code == 404


def test_a_login_in_no_department_may_not_open_reports(personas, client_for):
    assert get(client_for(UserFactory.create(username="guest")), "/reports/").status_code == 403


def test_a_bad_period_is_explained_on_the_page(personas, client_for):
    response = get(
        client_for(personas.cs_head),
        "/reports/",
        {"period": "custom", "from": "2026-10-11", "to": "2026-10-01"},
    )
    assert response.status_code == 400
    assert 'data-testid="period-error"' in response.content.decode()


def test_the_navigation_leads_to_reports(personas, client_for):
    html = get(client_for(personas.mkt_staff), "/").content.decode()
    assert 'href="/reports/"' in html


def test_heads_and_supervisors_find_their_dashboard_on_the_workbench(personas, client_for):
    html = get(client_for(personas.cs_head), "/").content.decode()
    assert 'data-testid="workbench-reports"' in html and "/reports/departments/CS/" in html
    assert 'data-testid="workbench-reports"' not in get(client_for(personas.mkt_staff), "/").content.decode()
