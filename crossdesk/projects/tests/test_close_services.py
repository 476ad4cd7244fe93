"""Close: the retrospective due within 5 working days of closing, lessons into the
knowledge base, closing → closed, the archive list, read-only and retained (SPEC §5, §6)."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone

from crossdesk.core.errors import ApplicationError, PermissionDeniedError, TransitionError
from crossdesk.core.records import ArchiveError
from crossdesk.deadlines.models import Clock
from crossdesk.org.selectors import roles_for
from crossdesk.projects import flows
from crossdesk.projects.choices import ProjectStatus, RetrospectiveStatus
from crossdesk.projects.models import (
    ArchiveList,
    ChangeApproval,
    ChangeRequest,
    CommunicationPlanEntry,
    Deliverable,
    DeliverableEvidence,
    Lesson,
    Project,
    Retrospective,
)
from crossdesk.projects.selectors.close import archive_items, lesson_search
from crossdesk.projects.services import changes, charter, close, delivery

from .factories import at, pdf, running_with_task

pytestmark = pytest.mark.django_db

RETRO = {
    "went_well": "跨部门周会机制有效，问题当周闭环",
    "to_improve": "需求变更未及时同步技术部",
    "lessons": [
        {
            "title": "需求变更需同步技术部",
            "body": "需求变更未同步技术部导致返工，增加需求变更评审会",
            "tags": ["需求变更", "返工"],
            "departments": ["CS"],
        },
    ],
}


def closing(personas):
    with time_machine.travel(at(2026, 9, 24, 10, 0), tick=False):
        project, task = running_with_task(personas)
    with time_machine.travel(at(2026, 9, 29, 10, 0), tick=False):
        charter.project_start_closing(actor=personas.mkt_head.user, project_id=project.pk, reason="提前结项")
    return Project.objects.get(pk=project.pk), task


def test_closing_opens_the_retrospective_due_in_five_working_days_across_national_day(personas):
    project, _task = closing(personas)
    retro = project.retrospective
    # Tue 29 Sep 10:00 + 5 working days: Wed 30, (国庆节 1–7 Oct), Thu 8, Fri 9, 调休 Sat 10, Mon 12 Oct.
    assert timezone.localtime(retro.due_at) == at(2026, 10, 12, 10, 0)
    clock = Clock.objects.get(policy__key="project.retrospective", subject_id=retro.pk)
    assert clock.state == "running" and clock.owner == personas.mkt_head


def test_submitting_the_retrospective_publishes_lessons_and_closes_the_project(personas):
    project, _task = closing(personas)
    with time_machine.travel(at(2026, 10, 9, 15, 0), tick=False):
        close.retrospective_save(actor=personas.mkt_head.user, project_id=project.pk, data=RETRO)
        assert not lesson_search(
            roles=roles_for(personas.outsider.user), q="返工"
        ).object_list  # a draft is not published
        close.retrospective_submit(actor=personas.mkt_head.user, project_id=project.pk)
    project.refresh_from_db()
    assert project.status == ProjectStatus.CLOSED
    retro = project.retrospective
    assert retro.status == RetrospectiveStatus.FINAL and retro.finalised_by == personas.mkt_head
    clock = Clock.objects.get(policy__key="project.retrospective", subject_id=retro.pk)
    assert clock.state == "met" and clock.events.get(kind="met").data["late"] is False
    lesson = Lesson.objects.get()
    assert (
        lesson.published_at and lesson.project == project and list(lesson.departments.all()) == [personas.cs]
    )
    found = lesson_search(roles=roles_for(personas.outsider.user), q="返工 需求")
    assert [lesson.pk] == [item.pk for item in found.object_list]
    assert not lesson_search(
        roles=roles_for(personas.outsider.user), q="返工", department=personas.log.pk
    ).object_list


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({**RETRO, "went_well": ""}, "went_well"),
        ({**RETRO, "to_improve": " "}, "to_improve"),
        ({**RETRO, "lessons": []}, "lessons"),
        ({**RETRO, "lessons": [{"title": "", "body": "没有标题"}]}, "lessons[0].title"),
        (
            {**RETRO, "lessons": [{"title": "x", "body": "y", "departments": ["FIN"]}]},
            "lessons[0].departments",
        ),
    ],
)
def test_an_incomplete_retrospective_is_refused_and_the_project_stays_closing(personas, data, field):
    project, _task = closing(personas)
    with pytest.raises(ApplicationError) as err:
        close.retrospective_submit(actor=personas.mkt_head.user, project_id=project.pk, data=data)
    assert err.value.field == field
    project.refresh_from_db()
    assert (
        project.status == ProjectStatus.CLOSING
        and not Lesson.objects.filter(published_at__isnull=False).exists()
    )


def test_only_the_managers_write_the_retrospective(personas):
    project, _task = closing(personas)
    for who in (personas.cs_liaison, personas.outsider):
        with pytest.raises(PermissionDeniedError):
            close.retrospective_save(actor=who.user, project_id=project.pk, data=RETRO)


def test_reopening_stops_the_retrospective_clock(personas):
    project, _task = closing(personas)
    charter.project_reopen(actor=personas.mkt_head.user, project_id=project.pk, reason="验收发现遗漏")
    clock = Clock.objects.get(policy__key="project.retrospective")
    assert clock.state == "cancelled"
    with pytest.raises(TransitionError):
        close.retrospective_save(actor=personas.mkt_head.user, project_id=project.pk, data=RETRO)


def archived_project(personas):
    """A project archived with a plan row, an approved change, an accepted deliverable
    with evidence and a final retrospective."""
    with time_machine.travel(at(2026, 9, 24, 10, 0), tick=False):
        project, task = running_with_task(personas)
        flows.comm_entry_create(
            actor=personas.mkt_head.user,
            project_id=project.pk,
            data={
                "scenario": "progress_sync",
                "channel": "weekly_meeting",
                "frequency": "weekly",
                "weekdays": [0],
                "at_time": "10:00",
                "output": "weekly_list",
                "owner": personas.mkt_staff.pk,
                "place": "3楼会议室",
            },
        )
        change = changes.change_request_raise(
            actor=personas.cs_liaison.user,
            project_id=project.pk,
            data={
                "title": "延期",
                "description": "延期一周",
                "reason": "假期",
                "impact": "顺延",
                "proposal": {"tasks": [{"task": task.pk, "planned_finish": "2026-10-23"}]},
            },
        )
        changes.change_request_decide(actor=personas.cs_head.user, change_id=change.pk, decision="approved")
        deliverable = delivery.deliverable_create(actor=personas.cs_staff.user, task_id=task.pk, data={})
        delivery.deliverable_submit(
            actor=personas.cs_staff.user, deliverable_id=deliverable.pk, files=[pdf()]
        )
        delivery.deliverable_accept(actor=personas.mkt_staff.user, deliverable_id=deliverable.pk)
        charter.project_start_closing(actor=personas.mkt_head.user, project_id=project.pk, reason="提前结项")
        close.retrospective_submit(actor=personas.mkt_head.user, project_id=project.pk, data=RETRO)
        # Closing called off the plan's future meetings (invitees told).
        assert not project.communication_occurrences.filter(
            status="scheduled", starts_at__gt=timezone.now()
        ).exists()
        charter.project_archive(actor=personas.mkt_head.user, project_id=project.pk)
    project.refresh_from_db()
    return project, task, deliverable


def test_an_archived_project_lists_every_document_is_read_only_and_is_kept(personas):
    project, task, _deliverable = archived_project(personas)
    stored = ArchiveList.objects.get(project=project)
    kinds = {item["kind"] for item in stored.items}
    assert {
        "charter",
        "plan_version",
        "meeting",
        "change_request",
        "deliverable",
        "evidence",
        "retrospective",
    } <= kinds
    assert any(
        item["kind"] == "evidence" and item["title"] == "痛点清单.pdf" and item["url"]
        for item in stored.items
    )
    assert project.retain_until == date(2028, 9, 24)
    refusals = [
        lambda: flows.comm_entry_create(actor=personas.mkt_head.user, project_id=project.pk, data={}),
        lambda: changes.change_request_raise(
            actor=personas.cs_liaison.user,
            project_id=project.pk,
            data={"title": "x", "aspects": ["scope"], "description": "x", "reason": "x", "impact": "x"},
        ),
        lambda: delivery.deliverable_create(actor=personas.cs_staff.user, task_id=task.pk, data={}),
        lambda: close.retrospective_save(actor=personas.mkt_head.user, project_id=project.pk, data=RETRO),
    ]
    for refused in refusals:
        with pytest.raises(TransitionError):
            refused()
    with pytest.raises(ArchiveError):
        Project.objects.filter(pk=project.pk).delete()  # not before the retention period ends
    assert len(archive_items(project)) == len(stored.items)


def test_an_archived_projects_records_refuse_every_write_path(personas, client):
    project, _task, deliverable = archived_project(personas)
    evidence = deliverable.evidence.get()
    for rows in (
        Deliverable.objects.filter(pk=deliverable.pk),
        DeliverableEvidence.objects.filter(pk=evidence.pk),
        ChangeRequest.objects.filter(project=project),
        ChangeApproval.objects.filter(change_request__project=project),
        CommunicationPlanEntry.objects.filter(project=project),
        Retrospective.objects.filter(project=project),
    ):
        with pytest.raises(ArchiveError):
            rows.update(version=99)
        with pytest.raises(ArchiveError):
            rows.delete()
    deliverable.name = "改名"
    # A refused save or delete marks its transaction for rollback, as the admin's would be.
    with pytest.raises(ArchiveError), transaction.atomic():
        deliverable.save()
    with pytest.raises(ArchiveError), transaction.atomic():
        evidence.delete()
    client.force_login(personas.admin_user)
    response = client.post(f"/admin/projects/deliverable/{deliverable.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert Deliverable.objects.filter(pk=deliverable.pk).exists()
