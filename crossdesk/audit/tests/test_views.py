"""The administrator's audit page, its export and a record's history fragment."""

import io

import pytest
from openpyxl import load_workbook

from crossdesk.audit.exporting import EXPORT_COLUMNS
from crossdesk.audit.filters import AuditFilter
from crossdesk.collaboration.tests import factories

pytestmark = pytest.mark.django_db


def test_only_administrators_open_the_audit_page(client_for, personas):
    assert client_for(personas.cs_head).get("/audit/").status_code == 403
    response = client_for(personas.admin_user).get("/audit/", {"object_type": "org.department"})
    assert response.status_code == 200
    assert "财务部" in response.content.decode()


def test_a_bad_filter_on_the_page_says_what_is_wrong(client_for, personas):
    response = client_for(personas.admin_user).get("/audit/", {"via": "fax"})
    assert response.status_code == 400
    assert 'data-testid="audit-error"' in response.content.decode()


def test_the_htmx_request_gets_the_results_only(client_for, personas):
    response = client_for(personas.admin_user).get(
        "/audit/", {"object_type": "org.department"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="audit-results"
    )
    assert response.status_code == 200
    assert response.content.decode().lstrip().startswith('<div id="audit-results"')


def test_the_export_holds_exactly_the_filtered_rows(client_for, personas):
    factories.submitted(personas)
    params = {"object_type": "collaboration.requestpart", "via": "system"}
    response = client_for(personas.admin_user).get("/audit/export.xlsx", params)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == [str(column.header) for column in EXPORT_COLUMNS]
    expected = list(AuditFilter.from_params(params).queryset())
    assert len(rows) - 1 == len(expected) > 0
    assert [(r[4], r[5]) for r in rows[1:]] == [(e.object_type, e.object_id) for e in expected]


def test_a_record_history_fragment_for_those_who_may_see_it(client_for, personas):
    request = factories.submitted(personas)
    url = f"/audit/record/collaboration.request/{request.pk}/"
    response = client_for(personas.cs_liaison).get(url)
    assert response.status_code == 200
    assert request.title in response.content.decode()
    assert client_for(personas.outsider).get(url).status_code == 404
    assert client_for(personas.admin_user).get("/audit/record/nope.nope/1/").status_code == 400


def test_the_history_tab_tag_points_at_the_fragment(personas):
    from django.template import Context, Template

    request = factories.draft(personas)
    html = Template("{% load audit %}{% audit_history record %}").render(Context({"record": request}))
    assert f"/audit/record/collaboration.request/{request.pk}/" in html


def test_the_request_page_offers_its_history(client_for, personas):
    request = factories.submitted(personas)
    page = client_for(personas.cs_liaison).get(f"/requests/{request.pk}/")
    assert page.status_code == 200
    assert f"/audit/record/collaboration.request/{request.pk}/" in page.content.decode()


def test_administrators_find_the_trail_in_the_navigation(client_for, personas):
    page = client_for(personas.admin_user).get("/").content.decode()
    assert 'href="/audit/"' in page and "审计日志" in page
    assert 'href="/audit/"' not in client_for(personas.cs_head).get("/").content.decode()
