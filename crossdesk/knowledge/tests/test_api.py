"""The API: the list, one entry, the draft, publishing and "helpful"."""

from __future__ import annotations

import pytest

from crossdesk.collaboration.tests import factories as requests
from crossdesk.knowledge.models import Entry
from crossdesk.meetings.tests import factories as meetings

from .factories import EntryFactory, lesson

pytestmark = pytest.mark.django_db

URL = "/api/v1/knowledge/"


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


def test_publishing_through_the_api_from_each_kind_of_source(personas, client_for):
    request = requests.confirmed(personas)
    response = post(
        client_for(personas.cs_liaison),
        URL,
        {"source_type": "collaboration.request", "source_id": request.pk},
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["title"] == request.title and body["departments"][0]["code"] == "CS"
    assert body["source_url"] == f"/requests/{request.pk}/"
    row = lesson(personas)
    assert (
        post(
            client_for(personas.mkt_head), URL, {"source_type": "projects.lesson", "source_id": row.pk}
        ).status_code
        == 201
    )
    meeting = meetings.confirmed(personas)
    response = post(
        client_for(personas.mkt_staff),
        URL,
        {"source_type": "meetings.meeting", "source_id": meeting.pk, "tags": ["交互", "响应速度"]},
    )
    assert response.status_code == 201 and response.json()["tags"] == ["交互", "响应速度"]
    assert Entry.objects.count() == 3


def test_the_api_refuses_with_the_field_named(personas, client_for):
    request = requests.confirmed(personas)
    source = {"source_type": "collaboration.request", "source_id": request.pk}
    liaison = client_for(personas.cs_liaison)
    unknown = post(liaison, URL, {**source, "colour": "red"})
    assert unknown.status_code == 400 and unknown.json()["field"] == "colour"
    not_object = post(liaison, URL, ["collaboration.request", request.pk])
    assert not_object.status_code == 400 and not_object.json()["field"] == "body"
    assert post(liaison, URL, {"source_id": request.pk}).json()["field"] == "source_type"
    assert post(liaison, URL, source).status_code == 201
    duplicate = post(liaison, URL, source)
    assert duplicate.status_code == 409 and duplicate.json()["field"] == "source_id"
    other = requests.confirmed(personas, title="另一个")
    wrong = post(client_for(personas.mkt_staff), URL, {**source, "source_id": other.pk})
    assert wrong.status_code == 403
    not_confirmed = requests.resolved(personas, title="未确认")
    assert (
        post(client_for(personas.cs_liaison), URL, {**source, "source_id": not_confirmed.pk}).status_code
        == 409
    )
    assert post(client_for(personas.cs_liaison), URL, {**source, "source_id": 999999}).status_code == 404


def test_the_draft_shows_what_publishing_would_write(personas, client_for):
    request = requests.confirmed(personas)
    client = client_for(personas.cs_liaison)
    response = client.get(f"{URL}draft", {"source_type": "collaboration.request", "source_id": request.pk})
    assert (
        response.status_code == 200
        and response.json()["solution"] == "已修复仓库系统并完成配送，客户已确认收货"
    )
    assert client.get(f"{URL}draft", {"source_type": "nope", "source_id": 1}).status_code == 400


def test_the_list_and_one_entry_and_helpful(personas, client_for):
    EntryFactory(title="少用")
    useful = EntryFactory(title="常用", helpful=3, tags=["物流"], tags_text=",物流,")
    client = client_for(personas.outsider)
    body = client.get(URL).json()
    assert body["count"] == 2 and [i["title"] for i in body["items"]] == ["常用", "少用"]
    assert [i["title"] for i in client.get(URL, {"tag": "物流"}).json()["items"]] == ["常用"]
    assert client.get(URL, {"limit": "0"}).status_code == 400
    assert client.get(f"{URL}{useful.pk}").json()["title"] == "常用"
    assert client.get(f"{URL}999999").status_code == 404
    marked = client.post(f"{URL}{useful.pk}/helpful")
    assert marked.status_code == 200 and marked.json() == {"id": useful.pk, "helpful": 4, "marked": True}
    assert client.post(f"{URL}{useful.pk}/helpful").json()["marked"] is False


def test_an_entry_of_a_confidential_source_is_not_found_by_others(personas, client_for):
    request = requests.confirmed(personas, confidential=True, informed_departments=[])
    entry = post(
        client_for(personas.cs_liaison),
        URL,
        {"source_type": "collaboration.request", "source_id": request.pk},
    ).json()
    outsider = client_for(personas.outsider)
    assert outsider.get(URL).json()["count"] == 0
    assert outsider.get(f"{URL}{entry['id']}").status_code == 404
    assert outsider.post(f"{URL}{entry['id']}/helpful").status_code == 404
