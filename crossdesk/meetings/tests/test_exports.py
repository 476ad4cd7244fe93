"""The meeting list and the action-item list in Excel: the page's rows, nobody else's."""

import pytest
from django.urls import reverse
from django.utils import timezone

from crossdesk.core.testing import queries_of, xlsx_rows
from crossdesk.meetings.models import ActionItem, Meeting

from . import factories

pytestmark = pytest.mark.django_db


def test_the_meeting_export_has_the_rows_of_the_filtered_page(personas, client_for):
    noticed = [factories.notified(personas, starts_at=factories.at_ten(days)) for days in (8, 9)]
    factories.draft(personas)
    factories.cancelled(personas)
    client = client_for(personas.mkt_staff)
    params = {"status": "notified"}
    page = client.get(reverse("meetings:list"), params).content.decode()
    rows = xlsx_rows(client.get(reverse("meetings:export"), params))
    assert rows[0][:5] == ("编号", "主题", "会议类型", "状态", "开始时间")
    assert sorted(r[0] for r in rows[1:]) == sorted(m.number for m in noticed)
    assert page.count('data-testid="meeting-row"') == len(rows) - 1
    assert all(m.number in page for m in noticed)
    assert 'href="/meetings/list/export.xlsx?status=notified"' in page


def test_the_meeting_export_writes_times_as_dates_and_departments_by_name(personas, client_for):
    meeting = factories.notified(personas, starts_at=factories.at_ten(8))
    rows = xlsx_rows(client_for(personas.mkt_staff).get(reverse("meetings:export")))
    (row,) = [r for r in rows[1:] if r[0] == meeting.number]
    assert row[4] == timezone.localtime(meeting.starts_at).replace(tzinfo=None)
    assert personas.mkt.name in row[10] and personas.cs.name in row[10]


def test_nobody_exports_a_meeting_they_may_not_see(personas, client_for):
    factories.notified(personas)
    rows = xlsx_rows(client_for(personas.outsider).get(reverse("meetings:export")))
    assert rows[1:] == []


def test_a_bad_meeting_filter_is_refused_naming_it(personas, client_for):
    response = client_for(personas.mkt_staff).get(reverse("meetings:export"), {"status": "someday"})
    assert response.status_code == 400 and "status" in response.content.decode()


def test_the_meeting_export_makes_the_same_queries_for_more_meetings(personas, client_for):
    factories.notified(personas)
    client = client_for(personas.mkt_staff)
    queries_of(client, reverse("meetings:export"))
    few = queries_of(client, reverse("meetings:export"))
    for days in (8, 9, 10, 11):
        factories.notified(personas, starts_at=factories.at_ten(days))
    assert Meeting.objects.count() == 5
    assert queries_of(client, reverse("meetings:export")) == few


def test_the_action_item_export_has_the_rows_of_the_filtered_page(personas, client_for):
    meeting = factories.circulated(personas)
    items = list(ActionItem.objects.filter(meeting=meeting).select_related("owner"))
    assert len(items) >= 2
    client = client_for(personas.mkt_staff)
    params = {"owner": "", "status": "not_started"}
    page = client.get(reverse("meetings:action_items"), params).content.decode()
    rows = xlsx_rows(client.get(reverse("meetings:action_item_export"), params))
    assert rows[0][:5] == ("行动项", "来源", "负责人", "部门", "期限")
    expected = [i for i in items if i.status == "not_started"]
    assert sorted(r[0] for r in rows[1:]) == sorted(i.action for i in expected)
    assert all(r[1] == meeting.number for r in rows[1:])
    assert page.count('data-testid="item-row"') == len(rows) - 1
    assert 'href="/meetings/action-items/export.xlsx?owner=&amp;status=not_started"' in page


def test_the_action_item_export_is_mine_by_default_like_the_page(personas, client_for):
    meeting = factories.circulated(personas)
    item = ActionItem.objects.filter(meeting=meeting).select_related("owner").first()
    rows = xlsx_rows(client_for(item.owner).get(reverse("meetings:action_item_export")))
    mine = ActionItem.objects.filter(meeting=meeting, owner=item.owner)
    assert sorted(r[0] for r in rows[1:]) == sorted(i.action for i in mine)
    assert {r[2] for r in rows[1:]} == {item.owner.name}


def test_nobody_exports_an_action_item_they_may_not_see(personas, client_for):
    factories.circulated(personas)
    rows = xlsx_rows(client_for(personas.outsider).get(reverse("meetings:action_item_export"), {"owner": ""}))
    assert rows[1:] == []


def test_the_action_item_export_makes_the_same_queries_for_more_items(personas, client_for):
    factories.circulated(personas)
    client = client_for(personas.mkt_staff)
    path = reverse("meetings:action_item_export") + "?owner="
    queries_of(client, path)
    few = queries_of(client, path)
    factories.circulated(personas)
    factories.circulated(personas)
    assert ActionItem.objects.count() >= 6
    assert queries_of(client, path) == few
