"""The request list's text filter (``q``) finds what the search box finds."""

from __future__ import annotations

import pytest
from django.urls import reverse

from crossdesk.collaboration import services
from crossdesk.collaboration.tests import factories as requests

pytestmark = pytest.mark.django_db


def listed(client, q: str) -> str:
    response = client.get(reverse("collaboration:list"), {"q": q})
    assert response.status_code == 200
    return response.content.decode()


def test_the_request_list_finds_the_words_in_any_order(client_for, personas):
    request = requests.submitted(personas)
    other = requests.submitted(
        personas,
        title="年度预算编制协助",
        background="财务部需要各部门提交预算",
        current_situation="预算模板已下发",
        expected_outcome="月底前提交",
    )
    client = client_for(personas.mkt_staff)
    for q in ("延迟 物流", "分拣 仓库", "物流延迟", request.number[-4:]):
        page = listed(client, q)
        assert request.number in page, q
        assert other.number not in page, q
    assert request.number not in listed(client, "报销 差旅")


def test_the_request_list_finds_a_word_of_the_communication_log(client_for, personas):
    request = requests.submitted(personas)
    services.request_log(
        actor=personas.mkt_staff.user, request_id=request.pk, content="承运商顺丰已确认赔付方案"
    )
    assert request.number in listed(client_for(personas.mkt_staff), "赔付 方案")


def test_the_index_never_widens_what_the_list_shows(client_for, personas):
    request = requests.submitted(personas, confidential=True)
    assert request.number not in listed(client_for(personas.outsider), "物流 延迟")


def test_the_meeting_list_finds_words_of_the_agenda_in_any_order(client_for, personas):
    from crossdesk.meetings.tests import factories as meetings

    meeting = meetings.notified(personas)
    page = client_for(personas.mkt_staff).get(reverse("meetings:list"), {"q": "可行性 方案"}).content.decode()
    assert meeting.title in page
    assert (
        meeting.title
        not in client_for(personas.mkt_staff)
        .get(reverse("meetings:list"), {"q": "报销 差旅"})
        .content.decode()
    )
