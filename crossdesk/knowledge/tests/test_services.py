"""Publishing from each kind of source, and its refusals."""

from __future__ import annotations

import pytest

from crossdesk.collaboration.tests import factories as requests
from crossdesk.core.errors import ApplicationError, ConflictError, PermissionDeniedError, TransitionError
from crossdesk.knowledge import services
from crossdesk.knowledge.models import Entry, HelpfulMark
from crossdesk.meetings.tests import factories as meetings

from .factories import lesson

pytestmark = pytest.mark.django_db


def publish(who, source_type, source_id, **data):
    return services.entry_publish(actor=who.user, source_type=source_type, source_id=source_id, data=data)


def test_a_receiving_liaison_publishes_a_confirmed_request_prefilled_from_it(personas):
    request = requests.confirmed(personas)
    entry = publish(personas.cs_liaison, "collaboration.request", request.pk)
    assert entry.title == request.title
    assert "客户反馈订单物流延迟3天" in entry.problem
    assert entry.solution == "已修复仓库系统并完成配送，客户已确认收货"
    assert list(entry.departments.all()) == [personas.cs]
    assert entry.source_url == f"/requests/{request.pk}/"
    assert entry.published_by == personas.cs_liaison and entry.tags and not entry.confidential


def test_a_staff_member_of_the_resolving_department_may_publish_a_signed_request(personas):
    request = requests.signed(personas)
    entry = publish(
        personas.cs_staff, "collaboration.request", request.pk, title="物流延迟的处理", tags="物流，仓库"
    )
    assert entry.title == "物流延迟的处理" and entry.tags == ["物流", "仓库"]


@pytest.mark.parametrize("who", ["mkt_staff", "log_head", "supervisor"])
def test_only_the_resolving_department_may_publish_a_request(personas, who):
    request = requests.confirmed(personas)
    with pytest.raises(PermissionDeniedError) as refused:
        publish(getattr(personas, who), "collaboration.request", request.pk)
    assert refused.value.status_code == 403 and refused.value.field == "source_id"
    assert not Entry.objects.exists()


def test_a_request_not_yet_confirmed_is_refused(personas):
    request = requests.resolved(personas)
    with pytest.raises(TransitionError) as refused:
        publish(personas.cs_liaison, "collaboration.request", request.pk)
    assert refused.value.status_code == 409


def test_a_source_is_published_once(personas):
    request = requests.confirmed(personas)
    first = publish(personas.cs_liaison, "collaboration.request", request.pk)
    with pytest.raises(ConflictError) as refused:
        publish(personas.cs_staff, "collaboration.request", request.pk)
    assert refused.value.status_code == 409 and refused.value.extra == {"entry": first.pk}
    assert Entry.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"colour": "red"}, "colour"),
        ({"title": "  "}, "title"),
        ({"solution": ""}, "solution"),
        ({"departments": ["NOPE"]}, "departments"),
        ({"departments": [999999]}, "departments"),
        ({"tags": {"a": 1}}, "tags"),
    ],
)
def test_bad_fields_are_refused_naming_the_field(personas, data, field):
    request = requests.confirmed(personas)
    with pytest.raises(ApplicationError) as refused:
        publish(personas.cs_liaison, "collaboration.request", request.pk, **data)
    assert refused.value.status_code == 400 and refused.value.field == field
    assert not Entry.objects.exists()


@pytest.mark.parametrize(
    ("source_type", "source_id", "field"),
    [("collaboration.nothing", 1, "source_type"), ("collaboration.request", "x", "source_id")],
)
def test_an_unknown_source_is_refused(personas, source_type, source_id, field):
    with pytest.raises(ApplicationError) as refused:
        publish(personas.cs_liaison, source_type, source_id)
    assert refused.value.status_code == 400 and refused.value.field == field


def test_the_project_lead_publishes_a_lesson(personas):
    row = lesson(personas)
    entry = publish(personas.mkt_head, "projects.lesson", row.pk)
    assert entry.title == row.title and entry.problem == "需求频繁变更，技术部未及时获知"
    assert "增加需求变更评审会" in entry.solution and "每次变更召开评审会" in entry.solution
    assert entry.tags == ["需求变更", "返工"] and list(entry.departments.all()) == [personas.cs]
    assert entry.source_url == f"/projects/{row.project_id}/"


def test_someone_else_may_not_publish_a_projects_lesson(personas):
    row = lesson(personas)
    with pytest.raises(PermissionDeniedError):
        publish(personas.cs_liaison, "projects.lesson", row.pk)


def test_the_initiating_department_publishes_a_meetings_consensus(personas):
    meeting = meetings.confirmed(personas)
    entry = publish(personas.mkt_staff, "meetings.meeting", meeting.pk)
    assert entry.title == meeting.title
    assert entry.solution == "1. 优先优化交互逻辑，同时评估服务器升级可行性"
    assert {d.code for d in entry.departments.all()} == {"MKT", "CS"}


def test_a_meeting_is_published_only_by_its_initiating_department_once_confirmed(personas):
    meeting = meetings.confirmed(personas)
    with pytest.raises(PermissionDeniedError):
        publish(personas.cs_liaison, "meetings.meeting", meeting.pk)
    circulated = meetings.circulated(personas, title="另一次沟通会")
    with pytest.raises(TransitionError):
        publish(personas.mkt_staff, "meetings.meeting", circulated.pk)


def test_helpful_is_counted_once_per_person_and_can_be_taken_back(personas):
    entry = publish(personas.cs_liaison, "collaboration.request", requests.confirmed(personas).pk)
    entry, marked = services.entry_mark_helpful(actor=personas.mkt_staff.user, entry_id=entry.pk)
    assert marked and entry.helpful == 1
    entry, marked = services.entry_mark_helpful(actor=personas.outsider.user, entry_id=entry.pk)
    assert marked and entry.helpful == 2
    entry, marked = services.entry_mark_helpful(actor=personas.mkt_staff.user, entry_id=entry.pk)
    assert not marked and entry.helpful == 1
    assert list(HelpfulMark.objects.values_list("person", flat=True)) == [personas.outsider.pk]
