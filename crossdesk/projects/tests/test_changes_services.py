"""Change requests: raised by participants, decided by the heads of the departments they
touch, applied to the plan with every earlier version kept (SPEC §5 [004])."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import time_machine

from crossdesk.core.errors import ApplicationError, ConflictError, PermissionDeniedError, TransitionError
from crossdesk.notify.models import Notification
from crossdesk.projects import models as m
from crossdesk.projects.choices import ApprovalDecision, ChangeStatus, TaskUpdateKind
from crossdesk.projects.selectors.changes import broken_signatures
from crossdesk.projects.services import changes

from .factories import at, draft_project, running_with_task

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _before_national_day():
    with time_machine.travel(at(2026, 9, 24, 10, 0), tick=False):
        yield


def delay(task, **overrides) -> dict:
    data = {
        "title": "痛点收集延期一周",
        "aspects": ["dates"],
        "description": "客户痛点收集计划完成日由10月16日改为10月23日",
        "reason": "国庆假期客户回访量不足",
        "impact": "产品方案评审顺延一周",
        "proposal": {"tasks": [{"task": task.code, "planned_finish": "2026-10-23"}]},
    }
    data.update(overrides)
    return data


def test_a_participant_raises_a_change_and_the_affected_heads_are_asked(personas):
    project, task = running_with_task(personas)
    change = changes.change_request_raise(
        actor=personas.cs_liaison.user, project_id=project.pk, data=delay(task)
    )
    assert change.status == ChangeStatus.SUBMITTED and change.number == 1
    assert change.requesting_department == personas.cs
    assert change.proposal["tasks"][0]["old"] == ["2026-09-28", "2026-10-16"]
    approvals = {a.department.code: a.decision for a in change.approvals.select_related("department")}
    assert approvals == {"CS": ApprovalDecision.PENDING}  # the department responsible for the task
    assert Notification.objects.filter(recipient=personas.cs_head, event="project.change_request").exists()


def test_a_goal_change_also_needs_the_initiating_head_and_named_departments(personas):
    project, task = running_with_task(personas)
    metric = project.goal_metrics.first()
    change = changes.change_request_raise(
        actor=personas.cs_liaison.user,
        project_id=project.pk,
        data=delay(
            task,
            aspects=["scope"],
            departments=["LOG"],
            proposal={"goal_metrics": [{"metric": metric.pk, "target": "85"}]},
        ),
    )
    assert set(change.aspects) == {"goal", "scope"}
    assert set(change.approvals.values_list("department__code", flat=True)) == {"MKT", "LOG"}


def test_when_every_head_approves_the_plan_changes_and_keeps_its_versions(personas):
    project, task = running_with_task(personas)
    metric = project.goal_metrics.first()
    change = changes.change_request_raise(
        actor=personas.cs_liaison.user,
        project_id=project.pk,
        data=delay(
            task,
            proposal={
                "tasks": [{"task": task.pk, "planned_finish": "2026-10-23"}],
                "goal_metrics": [{"metric": metric.pk, "target": "85"}],
            },
        ),
    )
    changes.change_request_decide(actor=personas.cs_head.user, change_id=change.pk, decision="approved")
    change.refresh_from_db()
    task.refresh_from_db()
    assert change.status == ChangeStatus.SUBMITTED and task.planned_finish == date(
        2026, 10, 16
    )  # MKT still to decide
    changes.change_request_decide(
        actor=personas.mkt_head.user, change_id=change.pk, decision="approved", comment="同意"
    )
    change.refresh_from_db()
    task.refresh_from_db()
    metric.refresh_from_db()
    assert change.status == ChangeStatus.APPROVED and change.applied_at is not None
    assert task.planned_finish == date(2026, 10, 23) and metric.target == Decimal("85")
    assert task.updates.filter(kind=TaskUpdateKind.REPLANNED, data__change_request=change.pk).exists()
    versions = list(project.plan_versions.order_by("number"))
    # 1: agreed at the kickoff (no task yet); 2: as it stood before the change; 3: after it.
    assert [v.number for v in versions] == [1, 2, 3] and versions[2].change_request == change
    assert versions[0].snapshot["tasks"] == []
    assert versions[1].snapshot["tasks"][0]["planned_finish"] == "2026-10-16"  # the earlier version stays
    diff = changes.plan_diff(versions[1].snapshot, versions[2].snapshot)
    assert {
        "what": "task",
        "key": task.code,
        "field": "planned_finish",
        "old": "2026-10-16",
        "new": "2026-10-23",
    } in diff
    assert any(r["what"] == "goal_metric" and r["field"] == "target" and r["new"] == "85" for r in diff)
    assert len(diff) == 2  # nothing else moved
    assert all(a.signature for a in change.approvals.all())


def test_one_rejection_rejects_and_must_say_why(personas):
    project, task = running_with_task(personas)
    change = changes.change_request_raise(
        actor=personas.cs_liaison.user, project_id=project.pk, data=delay(task)
    )
    with pytest.raises(ApplicationError) as err:
        changes.change_request_decide(actor=personas.cs_head.user, change_id=change.pk, decision="rejected")
    assert err.value.field == "comment"
    changes.change_request_decide(
        actor=personas.cs_head.user, change_id=change.pk, decision="rejected", comment="可加派人手"
    )
    change.refresh_from_db()
    task.refresh_from_db()
    assert change.status == ChangeStatus.REJECTED and task.planned_finish == date(2026, 10, 16)
    assert not project.plan_versions.filter(change_request=change).exists()
    with pytest.raises(TransitionError):
        changes.change_request_decide(actor=personas.cs_head.user, change_id=change.pk, decision="approved")


def test_only_participants_raise_and_only_affected_heads_decide(personas):
    project, task = running_with_task(personas)
    with pytest.raises(PermissionDeniedError):
        changes.change_request_raise(actor=personas.outsider.user, project_id=project.pk, data=delay(task))
    change = changes.change_request_raise(
        actor=personas.cs_liaison.user, project_id=project.pk, data=delay(task)
    )
    for who in (personas.cs_liaison, personas.log_head, personas.mkt_head, personas.outsider):
        with pytest.raises(PermissionDeniedError):
            changes.change_request_decide(actor=who.user, change_id=change.pk, decision="approved")
    assert change.approvals.filter(decision=ApprovalDecision.PENDING).count() == 1


def test_a_head_decides_once_and_not_on_a_stale_copy(personas):
    project, task = running_with_task(personas)
    change = changes.change_request_raise(
        actor=personas.cs_liaison.user, project_id=project.pk, data=delay(task, departments=["LOG"])
    )
    with pytest.raises(ConflictError):
        changes.change_request_decide(
            actor=personas.cs_head.user, change_id=change.pk, decision="approved", version=7
        )
    changes.change_request_decide(
        actor=personas.cs_head.user, change_id=change.pk, decision="approved", version=1
    )
    with pytest.raises(TransitionError):
        changes.change_request_decide(actor=personas.cs_head.user, change_id=change.pk, decision="approved")


def test_the_requester_withdraws_a_pending_change(personas):
    project, task = running_with_task(personas)
    change = changes.change_request_raise(
        actor=personas.cs_liaison.user, project_id=project.pk, data=delay(task)
    )
    with pytest.raises(PermissionDeniedError):
        changes.change_request_withdraw(actor=personas.log_head.user, change_id=change.pk)
    changes.change_request_withdraw(actor=personas.cs_liaison.user, change_id=change.pk, reason="已协调资源")
    change.refresh_from_db()
    assert change.status == ChangeStatus.WITHDRAWN
    with pytest.raises(TransitionError):
        changes.change_request_decide(actor=personas.cs_head.user, change_id=change.pk, decision="approved")


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"reason": ""}, "reason"),
        ({"impact": " "}, "impact"),
        ({"aspects": ["budget"]}, "aspects"),
        (
            {"proposal": {"tasks": [{"task": "T99", "planned_finish": "2026-10-23"}]}},
            "proposal.tasks[0].task",
        ),
        (
            {"proposal": {"tasks": [{"task": "T01", "planned_finish": "2026-09-01"}]}},
            "proposal.tasks[0].planned_finish",
        ),
        (
            {"proposal": {"tasks": [{"task": "T01", "planned_finish": "next week"}]}},
            "proposal.tasks[0].planned_finish",
        ),
        ({"proposal": {"budget": 5}}, "proposal"),
        ({"departments": ["FIN"]}, "departments[0]"),
    ],
)
def test_bad_change_requests_are_refused_naming_the_field(personas, overrides, field):
    project, task = running_with_task(personas)
    assert task.code == "T01"
    with pytest.raises(ApplicationError) as err:
        changes.change_request_raise(
            actor=personas.cs_liaison.user, project_id=project.pk, data=delay(task, **overrides)
        )
    assert err.value.field == field
    assert not m.ChangeRequest.objects.exists()


def test_a_draft_plan_is_edited_directly_not_changed_by_request(personas):
    project = draft_project(personas)
    with pytest.raises(TransitionError):
        changes.change_request_raise(
            actor=personas.mkt_head.user,
            project_id=project.pk,
            data={
                "title": "扩大范围",
                "aspects": ["scope"],
                "description": "增加物流投诉",
                "reason": "客户要求",
                "impact": "工作量增加",
            },
        )


def test_the_running_project_keeps_the_agreed_plan_as_version_one(personas):
    project, _task = running_with_task(personas)
    version = project.plan_versions.get()
    assert version.number == 1 and version.change_request is None


def test_a_heads_signed_decision_shows_when_the_change_or_the_decision_is_altered(personas):
    project, task = running_with_task(personas)
    change = changes.change_request_raise(
        actor=personas.cs_liaison.user, project_id=project.pk, data=delay(task)
    )
    changes.change_request_decide(actor=personas.cs_head.user, change_id=change.pk, decision="approved")
    change = m.ChangeRequest.objects.get(pk=change.pk)
    assert broken_signatures(change) == []  # pending approvals are not signed; decided ones match
    m.ChangeRequest._base_manager.filter(pk=change.pk).update(impact="无影响")  # a direct edit
    assert broken_signatures(m.ChangeRequest.objects.get(pk=change.pk)) == ["客户服务部"]
    m.ChangeRequest._base_manager.filter(pk=change.pk).update(impact=change.impact)
    m.ChangeApproval._base_manager.filter(change_request=change).update(comment="同意")
    assert broken_signatures(m.ChangeRequest.objects.get(pk=change.pk)) == ["客户服务部"]


def test_a_rotated_secret_key_keeps_the_signatures_valid(personas, settings):
    project, task = running_with_task(personas)
    change = changes.change_request_raise(
        actor=personas.cs_liaison.user, project_id=project.pk, data=delay(task)
    )
    changes.change_request_decide(actor=personas.cs_head.user, change_id=change.pk, decision="approved")
    old_key = settings.SECRET_KEY
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = "a-new-key-" + "x" * 50, [old_key]
    assert broken_signatures(m.ChangeRequest.objects.get(pk=change.pk)) == []
    settings.SECRET_KEY_FALLBACKS = []
    assert broken_signatures(m.ChangeRequest.objects.get(pk=change.pk)) == ["客户服务部"]
