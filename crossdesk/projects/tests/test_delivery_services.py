"""Deliverables: submitted with evidence by the delivering side, accepted or sent back by
the requesting side, rework due within 3 working days on the calendar (SPEC §5 [004])."""

from __future__ import annotations

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from crossdesk.core.errors import ApplicationError, PermissionDeniedError, TransitionError
from crossdesk.deadlines import services as deadlines
from crossdesk.deadlines.models import Clock, ClockEvent
from crossdesk.notify.models import Notification
from crossdesk.projects.choices import DeliverableStatus, TaskStatus
from crossdesk.projects.services import delivery

from .factories import at, pdf, running_with_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(personas):
    with time_machine.travel(at(2026, 9, 28, 9, 0), tick=False):
        project, task = running_with_task(personas)
        deliverable = delivery.deliverable_create(actor=personas.cs_staff.user, task_id=task.pk, data={})
    return project, task, deliverable


def submit(personas, deliverable, *files, note="痛点清单V1"):
    return delivery.deliverable_submit(
        actor=personas.cs_staff.user, deliverable_id=deliverable.pk, files=list(files) or [pdf()], note=note
    )


def test_the_owner_submits_with_evidence_and_the_accountable_side_accepts(personas, setup):
    _project, task, deliverable = setup
    assert deliverable.name == "客户痛点清单" and deliverable.delivery_standard == task.delivery_standard
    with time_machine.travel(at(2026, 9, 29, 10, 0), tick=False):
        submit(personas, deliverable)
    deliverable.refresh_from_db()
    assert deliverable.status == DeliverableStatus.SUBMITTED and deliverable.round == 1
    assert deliverable.evidence.get().name == "痛点清单.pdf"
    assert Notification.objects.filter(
        recipient=personas.mkt_staff, event="project.deliverable_submitted"
    ).exists()
    delivery.deliverable_accept(
        actor=personas.mkt_staff.user, deliverable_id=deliverable.pk, comment="符合标准"
    )
    deliverable.refresh_from_db()
    assert deliverable.status == DeliverableStatus.ACCEPTED and deliverable.accepted_by == personas.mkt_staff
    assert deliverable.reviews.get().comment == "符合标准"


def test_sending_back_starts_three_working_days_of_rework_across_national_day(personas, setup):
    _project, _task, deliverable = setup
    with time_machine.travel(at(2026, 9, 30, 10, 0), tick=False):
        submit(personas, deliverable)
        with pytest.raises(ApplicationError) as err:
            delivery.deliverable_return(
                actor=personas.mkt_staff.user, deliverable_id=deliverable.pk, comment=" "
            )
        assert err.value.field == "comment"
        delivery.deliverable_return(
            actor=personas.mkt_staff.user, deliverable_id=deliverable.pk, comment="缺少物流类投诉"
        )
    deliverable.refresh_from_db()
    # Wed 30 Sep 10:00 + 3 working days: 国庆节 1–7 Oct off, then Thu 8, Fri 9 and the 调休 Sat 10 Oct.
    assert timezone.localtime(deliverable.rework_due_at) == at(2026, 10, 10, 10, 0)
    assert deliverable.status == DeliverableStatus.RETURNED
    clock = Clock.objects.get(policy__key="deliverable.rework", subject_id=deliverable.pk)
    assert clock.due_at == deliverable.rework_due_at and clock.owner == personas.cs_staff
    with time_machine.travel(at(2026, 10, 12, 9, 0), tick=False):
        deadlines.sweep()
    assert ClockEvent.objects.filter(clock=clock, kind="breached").exists()
    assert Notification.objects.filter(recipient=personas.cs_staff, subject_id=deliverable.pk).exists()


def test_resubmitting_stops_the_rework_clock_and_every_round_is_kept(personas, setup):
    _project, _task, deliverable = setup
    with time_machine.travel(at(2026, 9, 30, 10, 0), tick=False):
        submit(personas, deliverable)
        delivery.deliverable_return(
            actor=personas.mkt_staff.user, deliverable_id=deliverable.pk, comment="缺少物流类投诉"
        )
    with time_machine.travel(at(2026, 10, 9, 16, 0), tick=False):
        submit(personas, deliverable, pdf("痛点清单V2.pdf"), note="补充物流类投诉")
    clock = Clock.objects.get(policy__key="deliverable.rework", subject_id=deliverable.pk)
    assert clock.state == "met" and not clock.events.get(kind="met").data["late"]
    with time_machine.travel(at(2026, 10, 12, 10, 0), tick=False):
        delivery.deliverable_accept(actor=personas.mkt_head.user, deliverable_id=deliverable.pk)
    deliverable.refresh_from_db()
    assert deliverable.status == DeliverableStatus.ACCEPTED and deliverable.round == 2
    assert list(deliverable.reviews.values_list("round", "decision")) == [(1, "returned"), (2, "accepted")]
    assert list(deliverable.evidence.order_by("round").values_list("round", "name")) == [
        (1, "痛点清单.pdf"),
        (2, "痛点清单V2.pdf"),
    ]
    assert [s.late for s in deliverable.submissions.all()] == [False, False]


def test_a_late_resubmission_is_recorded_as_late(personas, setup):
    _project, _task, deliverable = setup
    with time_machine.travel(at(2026, 9, 30, 10, 0), tick=False):
        submit(personas, deliverable)
        delivery.deliverable_return(
            actor=personas.mkt_staff.user, deliverable_id=deliverable.pk, comment="缺少物流类投诉"
        )
    with time_machine.travel(at(2026, 10, 12, 10, 0), tick=False):
        submit(personas, deliverable, pdf("V2.pdf"))
    assert deliverable.submissions.get(round=2).late is True
    clock = Clock.objects.get(policy__key="deliverable.rework", subject_id=deliverable.pk)
    assert clock.state == "met" and clock.events.get(kind="met").data["late"] is True


def test_sending_back_reopens_a_task_marked_done(personas, setup):
    _project, task, deliverable = setup
    with time_machine.travel(at(2026, 9, 30, 10, 0), tick=False):
        from crossdesk.projects.models import Task

        Task.objects.filter(pk=task.pk).update(
            status=TaskStatus.DONE, progress=100, actual_finish=timezone.localdate()
        )
        submit(personas, deliverable)
        delivery.deliverable_return(
            actor=personas.mkt_staff.user, deliverable_id=deliverable.pk, comment="缺少物流类投诉"
        )
    task.refresh_from_db()
    assert task.status == TaskStatus.IN_PROGRESS and task.actual_finish is None


def test_the_wrong_people_are_refused(personas, setup):
    _project, _task, deliverable = setup
    with time_machine.travel(at(2026, 9, 30, 10, 0), tick=False):
        for who in (personas.outsider, personas.mkt_staff):
            with pytest.raises(PermissionDeniedError):
                delivery.deliverable_submit(actor=who.user, deliverable_id=deliverable.pk, files=[pdf()])
        submit(personas, deliverable)
        for who in (personas.cs_liaison, personas.log_head, personas.outsider, personas.cs_staff):
            with pytest.raises(PermissionDeniedError):
                delivery.deliverable_accept(actor=who.user, deliverable_id=deliverable.pk)
    deliverable.refresh_from_db()
    assert deliverable.status == DeliverableStatus.SUBMITTED and not deliverable.reviews.exists()


def test_the_wrong_moment_is_refused(personas, setup):
    _project, _task, deliverable = setup
    with time_machine.travel(at(2026, 9, 30, 10, 0), tick=False):
        with pytest.raises(TransitionError):
            delivery.deliverable_accept(actor=personas.mkt_staff.user, deliverable_id=deliverable.pk)
        submit(personas, deliverable)
        with pytest.raises(TransitionError):
            submit(personas, deliverable)
        delivery.deliverable_accept(actor=personas.mkt_staff.user, deliverable_id=deliverable.pk)
        with pytest.raises(TransitionError):
            delivery.deliverable_return(
                actor=personas.mkt_staff.user, deliverable_id=deliverable.pk, comment="晚了"
            )


@pytest.mark.parametrize(
    ("files", "field"),
    [
        ([], "files"),
        ([SimpleUploadedFile("virus.exe", b"MZ", content_type="application/octet-stream")], "files"),
    ],
)
def test_evidence_is_required_and_checked(personas, setup, files, field):
    _project, _task, deliverable = setup
    with pytest.raises(ApplicationError) as err:
        delivery.deliverable_submit(actor=personas.cs_staff.user, deliverable_id=deliverable.pk, files=files)
    assert err.value.field == field
    deliverable.refresh_from_db()
    assert deliverable.status == DeliverableStatus.PLANNED and not deliverable.evidence.exists()
