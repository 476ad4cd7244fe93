"""The meeting pages: what each person sees and may do, errors where they typed, 403 / 404
/ 409 as the services say, autosave conflicts, and list query counts that do not grow."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from crossdesk.meetings import services
from crossdesk.meetings.choices import MeetingStatus
from crossdesk.meetings.models import ActionItem, Meeting

from . import factories

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"meetings:{name}", args=args)


def body(response) -> str:
    return response.content.decode()


def local_input(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_a_participant_opens_the_meeting_and_an_outsider_gets_404(personas, client_for):
    meeting = factories.notified(personas)
    response = client_for(personas.cs_liaison).get(meeting.get_absolute_url())
    assert response.status_code == 200 and meeting.number in body(response)
    assert client_for(personas.outsider).get(meeting.get_absolute_url()).status_code == 404


def test_the_page_needs_a_login(personas, client):
    meeting = factories.notified(personas)
    response = client.get(meeting.get_absolute_url())
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_meeting_page_reads_in_chinese_with_the_record_sections(personas, client_for):
    meeting = factories.circulated(personas)
    html = body(client_for(personas.cs_liaison).get(meeting.get_absolute_url()))
    for text in ("基本信息", "记录人", "讨论要点", "分歧点", "共识点", "行动项", "下载日历邀请"):
        assert text in html, text
    assert 'data-testid="deadline-badge"' in html


def test_the_representative_sees_only_confirm_and_object(personas, client_for):
    meeting = factories.circulated(personas)
    html = body(client_for(personas.cs_liaison).get(meeting.get_absolute_url()))
    assert 'data-testid="action-confirm"' in html and 'data-testid="action-object"' in html
    assert 'data-testid="action-circulate"' not in html and 'data-testid="action-cancel"' not in html
    staff = body(client_for(personas.cs_staff).get(meeting.get_absolute_url()))
    assert 'data-testid="actions"' not in staff


def test_cancel_asks_before_sending(personas, client_for):
    meeting = factories.notified(personas)
    html = body(client_for(personas.mkt_staff).get(meeting.get_absolute_url()))
    assert 'data-testid="action-cancel"' in html and "hx-confirm=" in html


def test_an_objection_without_text_is_shown_next_to_the_field(personas, client_for):
    meeting = factories.circulated(personas)
    part = meeting.departments.get(department=personas.cs)
    response = client_for(personas.cs_liaison).post(
        url("part_action", meeting.pk, part.pk, "object"), {"text": ""}
    )
    assert response.status_code == 400
    assert 'data-testid="field-error-text"' in body(response)


def test_someone_else_answering_for_a_department_gets_403(personas, client_for):
    meeting = factories.circulated(personas)
    part = meeting.departments.get(department=personas.cs)
    response = client_for(personas.cs_staff).post(url("part_action", meeting.pk, part.pk, "confirm"), {})
    assert response.status_code == 403


def test_archiving_with_open_items_says_why_with_409(personas, client_for):
    meeting = factories.signed(personas)
    response = client_for(personas.mkt_staff).post(url("action", meeting.pk, "archive"), {})
    assert response.status_code == 409
    assert 'data-testid="action-error"' in body(response)


def test_the_archived_meeting_is_read_only(personas, client_for):
    meeting = factories.archived(personas)
    html = body(client_for(personas.mkt_staff).get(meeting.get_absolute_url()))
    assert 'data-testid="archived-banner"' in html and 'data-testid="actions"' not in html


def test_the_objection_then_revision_shows_a_diff_between_versions(personas, client_for):
    meeting = factories.revising(personas)
    recorder = factories.recorder(personas)
    data = factories.minutes_data(personas)
    data["consensus"] = [*data["consensus"], "交互优化方案3天内提交"]
    services.minutes_save(actor=recorder.user, meeting_id=meeting.pk, data={"consensus": data["consensus"]})
    services.minutes_circulate(actor=recorder.user, meeting_id=meeting.pk)
    html = body(client_for(personas.cs_liaison).get(meeting.get_absolute_url()))
    assert 'data-testid="diff"' in html and "交互优化方案3天内提交" in html


def test_the_ics_link_downloads_the_invitation(personas, client_for):
    meeting = factories.notified(personas)
    response = client_for(personas.cs_liaison).get(url("invite", meeting.pk))
    assert response.status_code == 200 and b"BEGIN:VCALENDAR" in response.content


def test_a_new_meeting_form_keeps_the_text_after_an_error_and_creates_a_draft(personas, client_for):
    client = client_for(personas.mkt_staff)
    assert "基本信息" in body(client.get(url("new")))
    day = timezone.localdate() + timedelta(days=20)
    data = {
        "title": "专项沟通会",
        "kind": "special",
        "date": day.isoformat(),
        "start_time": "10:00",
        "end_time": "09:00",
        "place": "会议室",
        "departments": [personas.cs.pk],
        "people": [personas.cs_liaison.pk],
        "recorder": personas.mkt_staff.pk,
        "goal": "明确分工",
        "agenda": "问题分析\n方案",
    }
    response = client.post(url("new"), data)
    assert response.status_code == 400
    assert 'data-testid="field-error-end_time"' in body(response) and "专项沟通会" in body(response)
    data["end_time"] = "11:30"
    response = client.post(url("new"), data)
    assert response.status_code == 302
    meeting = Meeting.objects.get(title="专项沟通会")
    assert meeting.status == MeetingStatus.DRAFT and len(meeting.agenda) == 2
    assert meeting.departments.count() == 2


def test_a_late_notice_asks_for_the_reason_next_to_the_field(personas, client_for):
    meeting = factories.draft(personas, starts_at=factories.at_ten(1))
    client = client_for(personas.mkt_staff)
    from crossdesk.meetings.forms import MeetingForm

    data = {k: v for k, v in MeetingForm.initial_for(meeting).items() if v is not None}
    data["send_notice"] = "1"
    response = client.post(url("edit", meeting.pk), data)
    assert response.status_code == 400
    assert 'data-testid="field-error-late_reason"' in body(response)
    data["late_reason"] = "客户要求尽快沟通"
    data["version"] = Meeting.objects.get(pk=meeting.pk).version
    response = client.post(url("edit", meeting.pk), data)
    assert response.status_code == 302
    assert Meeting.objects.get(pk=meeting.pk).notice_late_reason == "客户要求尽快沟通"


def test_only_the_recorder_opens_the_minutes_editor(personas, client_for):
    meeting = factories.held(personas)
    assert client_for(personas.cs_liaison).get(url("minutes", meeting.pk)).status_code == 403
    html = body(client_for(factories.recorder(personas)).get(url("minutes", meeting.pk)))
    assert "讨论要点" in html and 'data-testid="add-item"' in html


def test_the_recorder_writes_minutes_with_two_items_and_circulates(personas, client_for):
    meeting = factories.held(personas)
    due = local_input(timezone.now() + timedelta(days=10))
    client = client_for(factories.recorder(personas))
    data = {
        "minutes_version": meeting.minutes_version,
        "d-0-topic": "问题原因分析",
        "d-0-points": "研发部提出需升级服务器",
        "c-0-text": "优先优化交互逻辑",
        "i-0-action": "优化交互逻辑方案",
        "i-0-owner": personas.cs_liaison.pk,
        "i-0-due_at": due,
        "i-1-action": "评估服务器升级可行性",
        "i-1-owner": personas.mkt_staff.pk,
        "i-1-due_at": "",
        "circulate": "1",
    }
    response = client.post(url("minutes", meeting.pk), data)
    assert response.status_code == 400
    assert 'data-testid="row-error"' in body(response) and "评估服务器升级可行性" in body(response)
    data["i-1-due_at"] = due
    data["minutes_version"] = Meeting.objects.get(pk=meeting.pk).minutes_version
    response = client.post(url("minutes", meeting.pk), data)
    assert response.status_code == 302
    assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.CIRCULATED
    assert ActionItem.objects.filter(meeting=meeting, activated_at__isnull=False).count() == 2


def test_autosave_refuses_a_stale_version_with_409(personas, client_for):
    meeting = factories.held(personas)
    client = client_for(factories.recorder(personas))
    fresh = client.post(
        url("minutes_autosave", meeting.pk),
        {"minutes_version": meeting.minutes_version, "c-0-text": "共识一"},
    )
    assert fresh.status_code == 200 and 'data-testid="autosave-saved"' in body(fresh)
    stale = client.post(
        url("minutes_autosave", meeting.pk),
        {"minutes_version": meeting.minutes_version, "c-0-text": "共识二"},
    )
    assert stale.status_code == 409 and 'data-testid="autosave-conflict"' in body(stale)
    assert Meeting.objects.get(pk=meeting.pk).consensus == ["共识一"]


def test_the_owner_reports_completion_from_the_action_item_list(personas, client_for):
    meeting = factories.circulated(personas)
    item = ActionItem.objects.filter(meeting=meeting).select_related("owner").first()
    client = client_for(item.owner)
    html = body(client.get(url("action_items")))
    assert item.action in html and 'data-testid="item-complete"' in html
    response = client.post(url("item_action", item.pk, "complete"), {"result": "", "version": item.version})
    assert response.status_code == 400
    response = client.post(
        url("item_action", item.pk, "complete"), {"result": "方案已提交", "version": item.version}
    )
    assert response.status_code == 302
    assert ActionItem.objects.get(pk=item.pk).status == "done"


def _queries(client, path) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


def test_calendar_list_and_item_list_query_counts_do_not_grow(personas, client_for):
    factories.circulated(personas)
    client = client_for(personas.mkt_staff)
    paths = [
        url("calendar") + "?date=" + timezone.localdate().isoformat(),
        url("list"),
        url("action_items") + "?owner=",
    ]
    before = [_queries(client, p) for p in paths]
    for days in (2, 3, 4):
        factories.notified(personas, starts_at=factories.at_ten(days + 10))
    factories.circulated(personas)
    after = [_queries(client, p) for p in paths]
    assert after == before


def test_the_workbench_shows_minutes_to_confirm(personas, client_for):
    meeting = factories.circulated(personas)
    html = body(client_for(personas.cs_liaison).get(reverse("core:workbench")))
    assert meeting.get_absolute_url() in html


def test_someone_involved_raises_an_action_item_on_a_request(personas, client_for):
    from crossdesk.collaboration.tests import factories as request_factories

    found = request_factories.submitted(personas)
    client = client_for(personas.mkt_staff)
    page = body(client.get(reverse("collaboration:detail", args=[found.pk])))
    assert 'data-testid="form-create-item"' in page
    due = local_input(timezone.now() + timedelta(days=5))
    response = client.post(
        url("request_item_create", found.pk),
        {"action": "提供客户需求清单", "owner": personas.mkt_staff.pk, "due_at": due},
    )
    assert response.status_code == 302
    page = body(client.get(reverse("collaboration:detail", args=[found.pk])))
    assert "提供客户需求清单" in page


def test_a_bad_action_item_on_a_request_shows_the_error_next_to_the_field(personas, client_for):
    from crossdesk.collaboration.tests import factories as request_factories
    from crossdesk.meetings.models import ActionItem

    found = request_factories.submitted(personas)
    client = client_for(personas.mkt_staff)
    past = local_input(timezone.now() - timedelta(days=1))
    response = client.post(
        url("request_item_create", found.pk),
        {"action": "提供客户需求清单", "owner": personas.mkt_staff.pk, "due_at": past},
    )
    assert response.status_code == 400
    page = body(response)
    assert 'data-testid="field-error-due_at"' in page
    assert 'value="提供客户需求清单"' in page  # what was typed is kept
    assert not ActionItem.objects.exists()


def test_a_revision_keeps_who_held_each_view(personas, client_for):
    meeting = factories.revising(personas)
    client = client_for(factories.recorder(personas))
    html = body(client.get(url("minutes", meeting.pk)))
    # The editor shows the person who held the CS view, so saving the revision keeps them.
    assert f'<option value="{personas.cs_liaison.pk}" selected>' in html
    data = {
        "minutes_version": meeting.minutes_version,
        "g-0-topic": "优先方案",
        "g-0-a_department": personas.mkt.pk,
        "g-0-a_position": "服务器升级需2周且预算高",
        "g-0-b_department": personas.cs.pk,
        "g-0-b_person": personas.cs_liaison.pk,
        "g-0-b_position": "交互优化可快速见效，3天内出方案",
        "g-0-next_step": "evaluate",
        "c-0-text": "优先优化交互逻辑",
    }
    response = client.post(url("minutes_autosave", meeting.pk), data)
    assert response.status_code == 200
    views = Meeting.objects.get(pk=meeting.pk).disagreements[0]["views"]
    assert [v.get("person") for v in views] == [None, personas.cs_liaison.pk]
    assert views[1]["position"] == "交互优化可快速见效，3天内出方案"


def test_circulating_names_every_row_to_fix_at_once(personas, client_for):
    meeting = factories.held(personas)
    data = {
        "minutes_version": meeting.minutes_version,
        "d-0-topic": "问题原因分析",
        "d-0-points": "",
        "i-0-action": "优化交互逻辑方案",
        "i-0-owner": "",
        "i-0-due_at": local_input(timezone.now() + timedelta(days=10)),
        "i-1-action": "评估服务器升级可行性",
        "i-1-owner": personas.mkt_staff.pk,
        "i-1-due_at": "",
        "circulate": "1",
    }
    response = client_for(factories.recorder(personas)).post(url("minutes", meeting.pk), data)
    assert response.status_code == 400
    html = body(response)
    # The discussion point, item 1's owner and item 2's deadline.
    assert html.count('data-testid="row-error"') == 3
    for message in ("请填写每个议题的讨论内容。", "请指定唯一责任人。", "请填写完成时限。"):
        assert message in html
    assert Meeting.objects.get(pk=meeting.pk).status != MeetingStatus.CIRCULATED
