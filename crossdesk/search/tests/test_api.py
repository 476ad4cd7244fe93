"""GET /api/v1/search and GET /api/v1/requests/similar; the results page, the top-bar box
and the similar-cases fragment of the new-request form."""

from __future__ import annotations

import pytest
from django.utils import timezone

from crossdesk.collaboration.tests import factories as requests

pytestmark = pytest.mark.django_db


def test_search_returns_hits_with_a_marked_escaped_snippet(personas, client_for):
    request = requests.submitted(personas, background="客户<b>张三</b>反馈：订单物流延迟3天")
    answer = client_for(personas.mkt_staff).get("/api/v1/search", {"q": "延迟 物流"})
    assert answer.status_code == 200
    body = answer.json()
    assert body["page"] == 1 and body["has_next"] is False
    hit = next(h for h in body["items"] if h["kind"] == "request")
    assert hit["id"] == request.pk
    assert hit["number"] == request.number
    assert hit["title"] == request.title
    assert hit["url"] == f"/requests/{request.pk}/"
    assert hit["score"] > 0
    assert "<mark>物流</mark>" in hit["snippet"] and "<mark>延迟</mark>" in hit["snippet"]
    assert "&lt;b&gt;张三&lt;/b&gt;" in hit["snippet"] and "<b>" not in hit["snippet"]


def test_search_filters_by_kind_department_status_and_dates(personas, client_for):
    request = requests.submitted(personas)
    client = client_for(personas.mkt_staff)

    def ids(**params):
        answer = client.get("/api/v1/search", {"q": "物流", **params})
        assert answer.status_code == 200, answer.json()
        return [(h["kind"], h["id"]) for h in answer.json()["items"]]

    assert ids(kind="request") == [("request", request.pk)]
    assert ids(kind="meeting") == []
    assert ("request", request.pk) in ids(department=str(personas.cs.pk))
    assert ids(department=str(personas.fin.pk), kind="request") == []
    assert ids(status="submitted", kind="request") == [("request", request.pk)]
    assert ids(status="resolved", kind="request") == []
    day = timezone.localdate(request.submitted_at).isoformat()  # the company's day, not UTC's
    assert ids(kind="request", **{"from": day, "to": day}) == [("request", request.pk)]
    assert ids(kind="request", **{"from": "2099-01-01"}) == []


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({}, "q"),
        ({"q": "  "}, "q"),
        ({"q": "x" * 201}, "q"),
        ({"q": "物流", "kind": "invoice"}, "kind"),
        ({"q": "物流", "department": "CS"}, "department"),
        ({"q": "物流", "status": "DROP TABLE"}, "status"),
        ({"q": "物流", "from": "12/10/2026"}, "from"),
        ({"q": "物流", "from": "2026-10-02", "to": "2026-10-01"}, "to"),
        ({"q": "物流", "page": "0"}, "page"),
    ],
)
def test_a_bad_parameter_is_a_400_naming_it(personas, client_for, params, field):
    answer = client_for(personas.mkt_staff).get("/api/v1/search", params)
    assert answer.status_code == 400
    assert answer.json()["field"] == field


def test_the_api_needs_a_login(client):
    assert client.get("/api/v1/search", {"q": "物流"}).status_code == 401
    assert client.get("/api/v1/requests/similar", {"text": "物流"}).status_code == 401


def test_the_operations_declare_their_4xx_answers(client, admin_user):
    client.force_login(admin_user)
    paths = client.get("/api/openapi.json").json()["paths"]
    for path in ("/api/v1/search", "/api/v1/requests/similar"):
        assert {"400", "401", "422"} <= set(paths[path]["get"]["responses"]), path


def test_similar_returns_resolved_cases_with_resolution_department_time_and_rating(personas, client_for):
    request = requests.confirmed(personas)
    answer = client_for(personas.mkt_head).get("/api/v1/requests/similar", {"text": "仓库系统故障 物流延迟"})
    assert answer.status_code == 200
    [case] = answer.json()
    assert case["kind"] == "request" and case["id"] == request.pk
    assert case["resolution"] == "已修复仓库系统并完成配送，客户已确认收货"
    assert case["solved_by"] == [personas.cs.name]
    assert case["rating"] == 5
    assert case["hours_taken"] is not None and case["hours_taken"] >= 0


def test_similar_leaves_out_open_requests_and_what_the_viewer_may_not_see(personas, client_for):
    requests.submitted(personas)
    requests.confirmed(personas, confidential=True)
    assert client_for(personas.mkt_staff).get("/api/v1/requests/similar", {"text": "物流延迟"}).json() != []
    assert client_for(personas.outsider).get("/api/v1/requests/similar", {"text": "物流延迟"}).json() == []
    long = client_for(personas.mkt_staff).get("/api/v1/requests/similar", {"text": "长" * 5001})
    assert long.status_code == 400 and long.json()["field"] == "text"


def test_the_results_page_lists_the_hits(personas, client_for):
    request = requests.submitted(personas)
    page = client_for(personas.mkt_staff).get("/search/", {"q": "延迟 物流"})
    assert page.status_code == 200
    html = page.content.decode()
    assert request.title in html and 'data-testid="search-hit"' in html
    assert "搜索全部记录" in html


def test_the_results_page_says_what_is_wrong_with_a_bad_filter(personas, client_for):
    page = client_for(personas.mkt_staff).get("/search/", {"q": "物流", "kind": "invoice"})
    assert page.status_code == 400
    assert 'data-testid="search-error"' in page.content.decode()


def test_htmx_gets_the_results_only(personas, client_for):
    requests.submitted(personas)
    page = client_for(personas.mkt_staff).get(
        "/search/", {"q": "物流"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="search-results"
    )
    assert page.content.decode().lstrip().startswith('<div id="search-results"')


def test_every_page_has_the_search_box(personas, client_for):
    html = client_for(personas.mkt_staff).get("/").content.decode()
    assert 'data-testid="topbar-search"' in html and 'action="/search/"' in html


def test_the_new_request_form_loads_similar_cases_as_it_is_typed(personas, client_for):
    client = client_for(personas.mkt_staff)
    form = client.get("/requests/new/").content.decode()
    assert 'data-testid="similar-cases"' in form and 'hx-get="/search/similar/"' in form
    requests.confirmed(personas)
    fragment = client.get("/search/similar/", {"title": "物流延迟", "background": "仓库系统故障"})
    html = fragment.content.decode()
    assert fragment.status_code == 200 and 'data-testid="similar-case"' in html
    assert "已修复仓库系统" in html and personas.cs.name in html
    empty = client.get("/search/similar/", {"title": "", "background": ""}).content.decode()
    assert 'data-testid="similar-case"' not in empty
