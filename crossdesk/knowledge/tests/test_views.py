"""The pages: the list, an entry with its "helpful" button, the publish form, the request
page's link, the navigation."""

from __future__ import annotations

import pytest

from crossdesk.collaboration.tests import factories as requests
from crossdesk.knowledge.models import Entry

from .factories import EntryFactory

pytestmark = pytest.mark.django_db


def publish_url(request) -> str:
    return f"/knowledge/publish/?source_type=collaboration.request&source_id={request.pk}"


def test_the_list_shows_entries_linking_to_their_source_and_the_navigation_entry(personas, client_for):
    EntryFactory(title="仓库分拣异常处理经验", source_url="/requests/7/")
    page = client_for(personas.outsider).get("/knowledge/").content.decode()
    assert "仓库分拣异常处理经验" in page and 'href="/requests/7/"' in page
    assert "知识库" in page and 'href="/knowledge/"' in page


def test_the_list_answers_htmx_with_the_results_only_and_refuses_a_bad_filter(personas, client_for):
    EntryFactory(title="仓库分拣异常处理经验")
    client = client_for(personas.outsider)
    fragment = client.get(
        "/knowledge/?q=分拣", headers={"HX-Request": "true", "HX-Target": "knowledge-results"}
    )
    assert fragment.content.decode().lstrip().startswith('<div id="knowledge-results"')
    assert client.get("/knowledge/?department=abc").status_code == 400


def test_opening_an_entry_counts_a_view_and_the_helpful_button_toggles(personas, client_for):
    entry = EntryFactory()
    client = client_for(personas.mkt_staff)
    page = client.get(f"/knowledge/{entry.pk}/").content.decode()
    assert "有帮助" in page
    client.get(f"/knowledge/{entry.pk}/")
    entry.refresh_from_db()
    assert entry.views == 2
    response = client.post(f"/knowledge/{entry.pk}/helpful/")
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.helpful == 1
    fragment = client.post(f"/knowledge/{entry.pk}/helpful/", headers={"HX-Request": "true"})
    assert 'data-testid="helpful-count">0<' in fragment.content.decode()


def test_a_confirmed_requests_page_offers_the_resolving_department_to_publish_it(personas, client_for):
    request = requests.confirmed(personas)
    page = client_for(personas.cs_liaison).get(f"/requests/{request.pk}/").content.decode()
    assert "发布到知识库" in page and publish_url(request).replace("&", "&amp;") in page
    assert (
        "发布到知识库" not in client_for(personas.mkt_staff).get(f"/requests/{request.pk}/").content.decode()
    )
    open_request = requests.accepted(personas, title="另一个请求")
    assert (
        "发布到知识库"
        not in client_for(personas.cs_liaison).get(f"/requests/{open_request.pk}/").content.decode()
    )


def test_publishing_shows_the_prefilled_form_asks_to_confirm_and_then_publishes(personas, client_for):
    request = requests.confirmed(personas)
    client = client_for(personas.cs_liaison)
    form = client.get(publish_url(request)).content.decode()
    assert request.title in form and "已修复仓库系统并完成配送" in form
    sent = {
        "source_type": "collaboration.request",
        "source_id": request.pk,
        "title": "物流延迟的处理办法",
        "problem": "物流延迟",
        "solution": "修复仓库系统",
        "departments": [personas.cs.pk],
        "tags": "物流, 仓库",
    }
    review = client.post("/knowledge/publish/", sent)
    assert review.status_code == 200 and 'data-testid="publish-confirmation"' in review.content.decode()
    assert not Entry.objects.exists()
    done = client.post("/knowledge/publish/", {**sent, "confirm": "1"})
    entry = Entry.objects.get()
    assert done.status_code == 302 and done["Location"] == f"/knowledge/{entry.pk}/"
    assert entry.title == "物流延迟的处理办法" and entry.tags == ["物流", "仓库"]
    again = client.get(publish_url(request))
    assert again.status_code == 302 and again["Location"] == f"/knowledge/{entry.pk}/"


def test_a_refused_field_is_shown_next_to_it_with_what_was_typed_kept(personas, client_for):
    request = requests.confirmed(personas)
    client = client_for(personas.cs_liaison)
    sent = {
        "source_type": "collaboration.request",
        "source_id": request.pk,
        "title": "",
        "problem": "我写的问题",
    }
    response = client.post("/knowledge/publish/", {**sent, "solution": "办法", "confirm": "1"})
    page = response.content.decode()
    assert response.status_code == 400 and 'data-testid="field-error-title"' in page and "我写的问题" in page
    assert not Entry.objects.exists()


def test_the_publish_page_refuses_the_wrong_person_and_an_unconfirmed_request(personas, client_for):
    confirmed = requests.confirmed(personas)
    assert client_for(personas.mkt_staff).get(publish_url(confirmed)).status_code == 403
    resolved = requests.resolved(personas, title="还没确认")
    response = client_for(personas.cs_liaison).get(publish_url(resolved))
    assert response.status_code == 409 and 'data-testid="publish-refused"' in response.content.decode()
