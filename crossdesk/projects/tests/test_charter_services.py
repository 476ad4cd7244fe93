"""The charter: numbering, participants with one liaison, the SMART goal, sub-goals and
their progress, the kickoff meeting and the project's status (SPEC §5 [002][004])."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone, translation

from crossdesk.core.errors import ApplicationError, ConflictError, PermissionDeniedError, TransitionError
from crossdesk.meetings import services as ms
from crossdesk.meetings.choices import MeetingKind, MeetingStatus
from crossdesk.notify.models import Notification
from crossdesk.projects import models as m
from crossdesk.projects.choices import ProjectStatus
from crossdesk.projects.services import charter

from .factories import at, charter_data, draft_project, running_project, signed_kickoff

pytestmark = pytest.mark.django_db


def test_it_numbers_a_new_project_per_year_without_gaps(personas):
    with time_machine.travel(at(2026, 9, 18, 10), tick=False):
        first = draft_project(personas)
        second = draft_project(personas, name="新产品上市")
    assert (first.number, second.number) == ("XM-2026-001", "XM-2026-002")
    assert first.status == ProjectStatus.DRAFT
    assert first.events.filter(kind="created").exists()


def test_each_participating_department_has_exactly_one_liaison_with_duties(personas):
    project = draft_project(personas)
    parts = {p.department.code: p for p in project.departments.select_related("department", "liaison")}
    assert set(parts) == {"MKT", "CS", "LOG"}
    assert parts["CS"].liaison == personas.cs_liaison
    assert parts["CS"].duties == "投诉接收、初步分类、客户反馈"
    assert parts["MKT"].is_initiating


def test_it_refuses_a_department_listed_twice(personas):
    data = charter_data(personas)
    data["participants"].append({"department": personas.cs.pk, "liaison": personas.cs_staff.pk})
    with pytest.raises(ApplicationError) as exc:
        charter.project_create(actor=personas.mkt_head.user, data=data)
    assert exc.value.field == "participants[3].department"


def test_it_refuses_a_liaison_from_another_department(personas):
    data = charter_data(personas)
    data["participants"][1]["liaison"] = personas.outsider.pk
    with pytest.raises(ApplicationError) as exc:
        charter.project_create(actor=personas.mkt_head.user, data=data)
    assert exc.value.field == "participants[1].liaison"


def test_a_department_without_a_default_liaison_must_name_one(personas):
    data = charter_data(personas)
    data["participants"].append({"department": personas.fin.pk})
    with pytest.raises(ApplicationError) as exc:
        charter.project_create(actor=personas.mkt_head.user, data=data)
    assert "exactly one" in exc.value.message or exc.value.field == "participants[3].liaison"


def test_only_members_start_a_project_for_their_department(personas):
    with pytest.raises(PermissionDeniedError):
        charter.project_create(actor=personas.outsider.user, data=charter_data(personas))


@translation.override("en")
def test_the_smart_check_says_which_part_of_the_goal_is_missing(personas):
    project = draft_project(
        personas, goal_metrics=[{"metric": "投诉处理时长", "baseline": "48", "target": ""}]
    )
    problems = charter.project_smart_problems(project)
    assert len(problems) == 1
    assert "target" in problems[0] and "target date" in problems[0]
    assert "baseline" not in problems[0]


@translation.override("en")
def test_a_project_without_a_goal_metric_is_not_smart(personas):
    project = draft_project(personas, goal_metrics=[])
    assert charter.project_smart_problems(project) == [
        "The goal has no metric yet: add one with its baseline, target and date."
    ]


@translation.override("en")
def test_the_kickoff_is_refused_until_the_goal_is_smart(personas):
    project = draft_project(personas, goal_metrics=[{"metric": "满意度", "target": "4.5"}])
    with pytest.raises(TransitionError) as exc:
        charter.project_schedule_kickoff(actor=personas.mkt_head.user, project_id=project.pk, data={})
    assert "baseline" in exc.value.message
    assert m.Project.objects.get(pk=project.pk).status == ProjectStatus.DRAFT


def test_updating_the_charter_keeps_history_and_refuses_a_stale_copy(personas):
    project = draft_project(personas)
    charter.project_update(
        actor=personas.mkt_head.user,
        project_id=project.pk,
        version=1,
        data={"name": "客户投诉快速响应（一期）"},
    )
    event = project.events.filter(kind="edited").get()
    assert event.data["changes"]["name"] == ["客户投诉快速响应", "客户投诉快速响应（一期）"]
    with pytest.raises(ConflictError):
        charter.project_update(
            actor=personas.mkt_head.user, project_id=project.pk, version=1, data={"name": "x"}
        )


def test_a_participant_cannot_edit_the_charter(personas):
    project = draft_project(personas)
    with pytest.raises(PermissionDeniedError):
        charter.project_update(actor=personas.cs_liaison.user, project_id=project.pk, data={"name": "x"})


def test_goal_metrics_are_replaced_by_the_form_rows(personas):
    project = draft_project(personas)
    first = project.goal_metrics.first()
    charter.project_update(
        actor=personas.mkt_head.user,
        project_id=project.pk,
        data={
            "goal_metrics": [
                {
                    "id": first.pk,
                    "metric": first.metric,
                    "baseline": "45",
                    "target": "85",
                    "target_date": "2026-12-31",
                }
            ]
        },
    )
    assert list(project.goal_metrics.values_list("target", flat=True)) == [Decimal("85.00")]
    assert project.events.filter(kind="goal").exists()


def test_changing_a_liaison_notifies_the_new_one(personas):
    project = draft_project(personas)
    charter.participant_set(
        actor=personas.mkt_head.user,
        project_id=project.pk,
        department=personas.cs.pk,
        liaison=personas.cs_staff.pk,
    )
    assert project.departments.get(department=personas.cs).liaison == personas.cs_staff
    assert Notification.objects.filter(recipient=personas.cs_staff, event="project.liaison").exists()


def test_a_department_holding_tasks_cannot_be_removed(personas):
    from .factories import add_task

    project = draft_project(personas)
    add_task(personas, project)
    cs = project.departments.get(department=personas.cs)
    with pytest.raises(TransitionError):
        charter.participant_remove(
            actor=personas.mkt_head.user, project_id=project.pk, participation_id=cs.pk
        )
    log = project.departments.get(department=personas.log)
    with pytest.raises(TransitionError):  # LOG collaborates (C) on the task
        charter.participant_remove(
            actor=personas.mkt_head.user, project_id=project.pk, participation_id=log.pk
        )


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"recurrence": "", "deadline": ""}, "deadline"),
        ({"recurrence": "weekly"}, "weekday"),
        ({"recurrence": "daily"}, "at_time"),
        ({"recurrence": "within_hours"}, "within_hours"),
        ({"recurrence": "monthly"}, "day_of_month"),
        ({"recurrence": "daily", "at_time": "10:00", "target": ""}, "target"),
        ({"recurrence": "hourly"}, "recurrence"),
    ],
)
def test_a_sub_goal_is_quantified_and_has_a_deadline_or_a_recurrence(personas, data, field):
    project = draft_project(personas)
    base = {
        "department": personas.cs.pk,
        "description": "每日10点前完成投诉分类",
        "metric": "分类完成率",
        "unit": "%",
        "target": "100",
    }
    with pytest.raises(ApplicationError) as exc:
        charter.sub_goal_create(actor=personas.mkt_head.user, project_id=project.pk, data={**base, **data})
    assert exc.value.field == field


def test_sub_goal_progress_is_recorded_beside_its_target(personas):
    project = running_project(personas)
    goal = charter.sub_goal_create(
        actor=personas.mkt_head.user,
        project_id=project.pk,
        data={
            "department": personas.log.pk,
            "description": "物流部接到售后需求后24小时内输出排查结论",
            "metric": "平均排查时长",
            "unit": "小时",
            "target": "24",
            "higher_is_better": False,
            "recurrence": "within_hours",
            "within_hours": 24,
        },
    )
    row = charter.sub_goal_record_progress(actor=personas.log_head.user, sub_goal_id=goal.pk, value="20.5")
    assert row.met is True
    row = charter.sub_goal_record_progress(actor=personas.log_head.user, sub_goal_id=goal.pk, value="30")
    assert row.met is False
    with pytest.raises(PermissionDeniedError):  # CS's liaison does not answer for LOG's sub-goal
        charter.sub_goal_record_progress(actor=personas.cs_liaison.user, sub_goal_id=goal.pk, value="10")


def test_sub_goal_progress_waits_for_the_kickoff(personas):
    project = draft_project(personas)
    goal = charter.sub_goal_create(
        actor=personas.mkt_head.user,
        project_id=project.pk,
        data={
            "department": personas.cs.pk,
            "description": "每周五前提交投诉分析",
            "metric": "提交次数",
            "target": "1",
            "recurrence": "weekly",
            "weekday": 4,
        },
    )
    with pytest.raises(TransitionError):
        charter.sub_goal_record_progress(actor=personas.cs_liaison.user, sub_goal_id=goal.pk, value="1")


def test_scheduling_the_kickoff_calls_a_kickoff_meeting_of_every_department(personas):
    project = draft_project(personas)
    starts = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0) + timedelta(days=14)
    charter.project_schedule_kickoff(
        actor=personas.mkt_head.user,
        project_id=project.pk,
        version=1,
        data={"starts_at": starts, "ends_at": starts + timedelta(hours=1), "place": "3楼第一会议室"},
    )
    project.refresh_from_db()
    meeting = project.kickoff_meeting
    assert project.status == ProjectStatus.KICKED_OFF
    assert meeting.kind == MeetingKind.KICKOFF and meeting.status == MeetingStatus.NOTIFIED
    assert set(meeting.departments.values_list("department__code", flat=True)) == {"MKT", "CS", "LOG"}
    assert meeting.related_matter == project.number


def test_the_project_runs_once_the_kickoff_minutes_are_final(personas):
    project = draft_project(personas)
    starts = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0) + timedelta(days=14)
    charter.project_schedule_kickoff(
        actor=personas.mkt_head.user,
        project_id=project.pk,
        data={"starts_at": starts, "ends_at": starts + timedelta(hours=1), "place": "3楼第一会议室"},
    )
    meeting = m.Project.objects.get(pk=project.pk).kickoff_meeting
    lead = personas.mkt_head.user
    with time_machine.travel(starts + timedelta(hours=2), tick=False):
        ms.meeting_mark_held(actor=lead, meeting_id=meeting.pk)
        ms.minutes_save(actor=lead, meeting_id=meeting.pk, data={"consensus": ["职责分工确认"]})
        ms.minutes_circulate(actor=lead, meeting_id=meeting.pk)
        for liaison in (personas.mkt_staff, personas.cs_liaison, personas.log_head):
            ms.minutes_confirm(actor=liaison.user, meeting_id=meeting.pk)
        for head in (personas.mkt_head, personas.cs_head):
            ms.minutes_sign(actor=head.user, meeting_id=meeting.pk)
        assert m.Project.objects.get(pk=project.pk).status == ProjectStatus.KICKED_OFF
        ms.minutes_sign(actor=personas.log_head.user, meeting_id=meeting.pk)
    project.refresh_from_db()
    assert project.status == ProjectStatus.RUNNING
    assert project.running_since is not None
    assert list(project.events.filter(kind="transition").values_list("to_status", flat=True)) == [
        "kicked_off",
        "running",
    ]


def test_linking_a_kickoff_meeting_with_final_minutes_runs_the_project_at_once(personas):
    project = running_project(personas)
    assert project.status == ProjectStatus.RUNNING


def test_only_a_meeting_of_kind_kickoff_can_be_linked(personas):
    from crossdesk.meetings.tests.factories import notified

    project = draft_project(personas)
    meeting = notified(personas)  # a special coordination meeting
    with pytest.raises(ApplicationError) as exc:
        charter.project_schedule_kickoff(
            actor=personas.mkt_head.user, project_id=project.pk, data={"meeting": meeting.pk}
        )
    assert exc.value.field == "meeting"


def test_closing_needs_a_reason_while_tasks_are_open_and_closed_needs_the_retrospective(personas):
    from .factories import add_task

    project = running_project(personas)
    add_task(
        personas,
        project,
        planned_start=timezone.localdate().isoformat(),
        planned_finish=(timezone.localdate() + timedelta(days=20)).isoformat(),
    )
    with pytest.raises(ApplicationError) as exc:
        charter.project_start_closing(actor=personas.mkt_head.user, project_id=project.pk)
    assert exc.value.field == "reason"
    charter.project_start_closing(
        actor=personas.mkt_head.user, project_id=project.pk, reason="范围调整，剩余任务转入二期"
    )
    with pytest.raises(TransitionError):
        charter.project_close(actor=personas.mkt_head.user, project_id=project.pk)
    # Part B's close step writes the retrospective; here it is made final directly.
    m.Retrospective.objects.update_or_create(
        project=project,
        defaults={
            "status": "final",
            "went_well": "每日同步会快速同步问题",
            "to_improve": "需求变更未及时同步",
            "finalised_at": timezone.now(),
        },
    )
    charter.project_close(actor=personas.mkt_head.user, project_id=project.pk)
    charter.project_archive(actor=personas.mkt_head.user, project_id=project.pk)
    project.refresh_from_db()
    assert project.status == ProjectStatus.ARCHIVED
    assert project.retain_until >= timezone.localdate() + timedelta(days=365 * 2)


def test_a_closing_project_can_reopen_with_a_reason(personas):
    project = running_project(personas)
    charter.project_start_closing(actor=personas.mkt_head.user, project_id=project.pk)
    with pytest.raises(ApplicationError):
        charter.project_reopen(actor=personas.mkt_head.user, project_id=project.pk, reason="")
    charter.project_reopen(actor=personas.mkt_head.user, project_id=project.pk, reason="验收发现遗漏任务")
    assert m.Project.objects.get(pk=project.pk).status == ProjectStatus.RUNNING


def test_wrong_moments_are_refused_with_409(personas):
    project = draft_project(personas)
    with pytest.raises(TransitionError):
        charter.project_start_closing(actor=personas.mkt_head.user, project_id=project.pk)
    with pytest.raises(TransitionError):
        charter.project_archive(actor=personas.mkt_head.user, project_id=project.pk)


def test_a_status_change_is_announced_to_the_hooks_of_the_other_areas(personas):
    from crossdesk.projects.signals import project_status_changed

    seen = []

    def hook(sender, project, old, new, author, **kwargs):
        seen.append((old, new))

    project_status_changed.connect(hook)
    try:
        running_project(personas)
    finally:
        project_status_changed.disconnect(hook)
    assert seen == [("draft", "kicked_off"), ("kicked_off", "running")]


def test_goal_values_are_recorded_and_shown_as_progress(personas):
    project = running_project(personas)
    metric = project.goal_metrics.first()
    charter.goal_metric_record(actor=personas.mkt_head.user, metric_id=metric.pk, value="62.5")
    metric.refresh_from_db()
    assert metric.current == Decimal("62.50")
    assert metric.progress_percent == 50  # 45 → 80, now 62.5


def test_signed_kickoff_helper_signs(personas):
    project = draft_project(personas)
    assert signed_kickoff(personas, project).status == MeetingStatus.SIGNED
