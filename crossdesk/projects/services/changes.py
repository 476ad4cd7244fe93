"""Change requests (变更申请) and the plan's versions (SPEC §5 [004]).

A participant raises a change of goal, scope, dates or resources: what changes, why, the
impact, and the proposed new values as structured data (new planned dates of named tasks,
a new target of a goal metric, a new planned finish). The heads of the departments it
touches each approve or reject it (a rejection says why). When every head has approved,
the plan is changed (task dates through ``tasks.task_replan``, so each task keeps its own
history) and a new ``PlanVersion`` snapshot is kept; one rejection rejects it. Every
earlier version stays viewable, and two versions can be compared.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crossdesk.audit.services import audited_bulk_create
from crossdesk.core.errors import ApplicationError, PermissionDeniedError, TransitionError
from crossdesk.core.records import Actor, Machine, bump, inputs, locked, plain, sign
from crossdesk.org.models import Department, Person

from ..choices import (
    CHANGE_TRANSITIONS,
    LIVE,
    OPEN_TASK_STATUSES,
    ApprovalDecision,
    ChangeAspect,
    ChangeStatus,
    ProjectEventKind,
)
from ..models import ChangeApproval, ChangeRequest, GoalMetric, PlanVersion, Project, ProjectEvent, Task
from ..selectors.changes import SIGNATURE_KIND, signed_content
from ._common import (
    belongs_to,
    context,
    department_of,
    is_participant,
    participant_ids,
    require_writable,
    send_about,
)
from .tasks import task_replan

MAX_PROPOSED = 100
CHANGES = Machine(
    CHANGE_TRANSITIONS, ChangeStatus, refusal=gettext_lazy("This change request cannot become “%(new)s”.")
)


# --- the plan's snapshot and the difference of two ---------------------------------------------


def plan_snapshot(project: Project) -> dict:
    """The plan as agreed now: project dates, goal metrics, tasks with dates and RACI."""
    tasks = list(
        project.tasks.select_related("responsible__department", "owner").prefetch_related(
            "raci_cells__participation__department"
        )
    )
    return {
        "project": {
            "planned_start": plain(project.planned_start),
            "planned_finish": plain(project.planned_finish),
            "core_goal": project.core_goal,
        },
        "goal_metrics": [
            {
                "id": m.pk,
                "metric": m.metric,
                "unit": m.unit,
                "baseline": _num(m.baseline),
                "target": _num(m.target),
                "target_date": plain(m.target_date),
            }
            for m in project.goal_metrics.all()
        ],
        "tasks": [
            {
                "id": t.pk,
                "code": t.code,
                "title": t.title,
                "responsible": t.responsible.department.code,
                "owner": t.owner.name,
                "delivery_standard": t.delivery_standard,
                "planned_start": plain(t.planned_start),
                "planned_finish": plain(t.planned_finish),
                "status": t.status,
                "raci": {c.participation.department.code: c.role for c in t.raci_cells.all()},
            }
            for t in tasks
        ],
    }


def plan_diff(old: dict, new: dict) -> list[dict]:
    """What changed from one snapshot to the next, one row per changed value:
    ``{"what": "task"|"goal_metric"|"project", "key": "T01", "field": …, "old": …, "new": …}``."""
    rows: list[dict] = []
    for field in sorted(set(old.get("project", {})) | set(new.get("project", {}))):
        a, b = old.get("project", {}).get(field), new.get("project", {}).get(field)
        if a != b:
            rows.append({"what": "project", "key": "", "field": field, "old": a, "new": b})
    for kind, key in (("goal_metrics", "metric"), ("tasks", "code")):
        before = {item["id"]: item for item in old.get(kind, [])}
        after = {item["id"]: item for item in new.get(kind, [])}
        what = "goal_metric" if kind == "goal_metrics" else "task"
        for pk in list(before) + [p for p in after if p not in before]:
            a, b = before.get(pk), after.get(pk)
            label = (b or a or {}).get(key, "")
            if a is None or b is None:
                rows.append({"what": what, "key": label, "field": "", "old": a, "new": b})
                continue
            for field in sorted(set(a) | set(b)):
                if field != "id" and a.get(field) != b.get(field):
                    rows.append(
                        {"what": what, "key": label, "field": field, "old": a.get(field), "new": b.get(field)}
                    )
    return rows


def _num(value) -> str | None:
    return None if value is None else str(value.normalize() if hasattr(value, "normalize") else value)


def plan_version_add(
    project: Project, *, author: Person, reason: str, change_request=None, snapshot=None
) -> PlanVersion:
    """Keep the plan as it is now as the next version (the project locked by the caller)."""
    last = project.plan_versions.order_by("-number").values_list("number", flat=True).first() or 0
    version = PlanVersion.objects.create(
        project=project,
        number=last + 1,
        snapshot=snapshot if snapshot is not None else plan_snapshot(project),
        reason=str(reason),
        change_request=change_request,
        created_at=timezone.now(),
        created_by=author,
    )
    ProjectEvent.add(
        project,
        ProjectEventKind.PLAN_VERSION,
        author=author,
        content=_("Plan version %(n)d: %(why)s") % {"n": version.number, "why": reason},
        data={"plan_version": version.pk, "number": version.number},
    )
    return version


def plan_version_baseline(project: Project, *, author: Person | None) -> PlanVersion | None:
    """Version 1 — the plan agreed at the kickoff — when the project starts running (once)."""
    if project.plan_versions.exists():
        return None
    author = author or project.lead
    return plan_version_add(project, author=author, reason=_("The plan agreed at the kickoff"))


# --- the proposal ------------------------------------------------------------------------------


def _task_of(project: Project, value, field: str) -> Task:
    query = project.tasks.all()
    task = None
    if isinstance(value, int) or (isinstance(value, str) and value.strip().isdigit()):
        task = query.filter(pk=int(value)).first()
    if task is None and isinstance(value, str) and value.strip():
        task = query.filter(code=value.strip()).first()
    if task is None:
        raise ApplicationError(_("No such task in this project: %(v)s.") % {"v": value}, field=field)
    return task


def _clean_proposal(project: Project, raw) -> tuple[dict, set[str], set[int]]:
    """The proposal as stored (old and new values), the aspects it implies and the
    participations of the tasks it moves."""
    if raw in (None, ""):
        raw = {}
    if not isinstance(raw, dict):
        raise ApplicationError(_("Send the proposed changes as an object."), field="proposal")
    inputs.known(raw, {"tasks", "goal_metrics", "planned_finish"}, field="proposal")
    proposal: dict = {}
    aspects: set[str] = set()
    parts: set[int] = set()
    rows = raw.get("tasks") or []
    if not isinstance(rows, list) or len(rows) > MAX_PROPOSED:
        raise ApplicationError(_("List the tasks whose dates change."), field="proposal.tasks")
    tasks, seen = [], set()
    for n, row in enumerate(rows):
        where = f"proposal.tasks[{n}]"
        if not isinstance(row, dict):
            raise ApplicationError(_("Each task change is an object."), field=where)
        task = _task_of(project, row.get("task") or row.get("id"), f"{where}.task")
        if task.pk in seen:
            raise ApplicationError(_("%(t)s is listed twice.") % {"t": task.code}, field=f"{where}.task")
        seen.add(task.pk)
        if task.status not in OPEN_TASK_STATUSES:
            raise ApplicationError(
                _("%(t)s is %(s)s: only open tasks are replanned.")
                % {"t": task.code, "s": task.get_status_display()},
                field=f"{where}.task",
            )
        start = inputs.a_date(row.get("planned_start"), f"{where}.planned_start") or task.planned_start
        finish = inputs.a_date(row.get("planned_finish"), f"{where}.planned_finish") or task.planned_finish
        if finish < start:
            raise ApplicationError(
                _("The planned finish cannot be before the planned start."), field=f"{where}.planned_finish"
            )
        if (start, finish) == (task.planned_start, task.planned_finish):
            raise ApplicationError(
                _("%(t)s keeps its dates: give new ones.") % {"t": task.code}, field=f"{where}.planned_finish"
            )
        tasks.append(
            {
                "id": task.pk,
                "code": task.code,
                "title": task.title,
                "old": [plain(task.planned_start), plain(task.planned_finish)],
                "new": [plain(start), plain(finish)],
            }
        )
        parts.add(task.responsible_id)
    if tasks:
        proposal["tasks"] = tasks
        aspects.add(ChangeAspect.DATES)
    rows = raw.get("goal_metrics") or []
    if not isinstance(rows, list) or len(rows) > MAX_PROPOSED:
        raise ApplicationError(_("List the goal metrics that change."), field="proposal.goal_metrics")
    metrics = []
    for n, row in enumerate(rows):
        where = f"proposal.goal_metrics[{n}]"
        if not isinstance(row, dict):
            raise ApplicationError(_("Each goal change is an object."), field=where)
        missing = _("No such goal metric.")
        pk = inputs.an_id(row.get("metric") or row.get("id"), f"{where}.metric", missing)
        metric = project.goal_metrics.filter(pk=pk or 0).first()
        if metric is None:
            raise ApplicationError(_("No such goal metric."), field=f"{where}.metric")
        target = inputs.a_decimal(row.get("target"), f"{where}.target")
        target = metric.target if target is None else target
        target_date = inputs.a_date(row.get("target_date"), f"{where}.target_date") or metric.target_date
        if (target, target_date) == (metric.target, metric.target_date):
            raise ApplicationError(
                _("%(m)s keeps its target: give a new one.") % {"m": metric.metric}, field=f"{where}.target"
            )
        metrics.append(
            {
                "id": metric.pk,
                "metric": metric.metric,
                "old": {"target": _num(metric.target), "target_date": plain(metric.target_date)},
                "new": {"target": _num(target), "target_date": plain(target_date)},
            }
        )
    if metrics:
        proposal["goal_metrics"] = metrics
        aspects.add(ChangeAspect.GOAL)
    if raw.get("planned_finish") not in (None, ""):
        finish = inputs.a_date(raw["planned_finish"], "proposal.planned_finish", required=True)
        if project.planned_start and finish < project.planned_start:
            raise ApplicationError(
                _("The planned finish cannot be before the planned start."), field="proposal.planned_finish"
            )
        if finish != project.planned_finish:
            proposal["planned_finish"] = {"old": plain(project.planned_finish), "new": plain(finish)}
            aspects.add(ChangeAspect.DATES)
    return proposal, aspects, parts


def _aspects(raw) -> set[str]:
    if raw in (None, ""):
        return set()
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list | tuple) or any(a not in ChangeAspect.values for a in raw):
        raise ApplicationError(_("Choose what changes: goal, scope, dates or resources."), field="aspects")
    return set(raw)


# --- writes ----------------------------------------------------------------------------------


CHANGE_FIELDS = {"title", "aspects", "description", "reason", "impact", "proposal", "departments"}


@transaction.atomic
def change_request_raise(*, actor: Actor, project_id: int, data: dict) -> ChangeRequest:
    """Raise a change request; it waits for the heads of the departments it touches (the
    departments named, those responsible for the tasks it moves, and the initiating
    department when the goal or the project's finish changes)."""
    inputs.known(data, CHANGE_FIELDS)
    project, roles, person = context(actor, project_id)
    if not is_participant(roles, project):
        raise PermissionDeniedError(_("Only people taking part in the project raise change requests."))
    require_writable(project)
    if project.status not in LIVE:
        raise TransitionError(
            _(
                "Before the kickoff the plan is still edited directly; changes are requested once it is agreed."
            )
        )
    title = inputs.text(data.get("title"), "title", 200, required=True, label=_("The subject"))
    description = inputs.text(
        data.get("description"), "description", 5000, required=True, label=_("The change")
    )
    reason = inputs.text(data.get("reason"), "reason", 5000, required=True, label=_("The reason"))
    impact = inputs.text(data.get("impact"), "impact", 5000, required=True, label=_("The impact"))
    proposal, implied, task_parts = _clean_proposal(project, data.get("proposal"))
    aspects = _aspects(data.get("aspects")) | implied
    if not aspects:
        raise ApplicationError(_("Choose what changes: goal, scope, dates or resources."), field="aspects")
    parts = {p.pk: p for p in project.departments.select_related("department", "department__head")}
    affected: dict[int, Department] = {}
    for n, value in enumerate(data.get("departments") or []):
        department = department_of(value, f"departments[{n}]")
        part = next((p for p in parts.values() if p.department_id == department.pk), None)
        if part is None:
            raise ApplicationError(
                _("%(d)s does not take part in the project.") % {"d": department.name},
                field=f"departments[{n}]",
            )
        affected[department.pk] = department
    for part_id in task_parts:
        affected[parts[part_id].department_id] = parts[part_id].department
    if ChangeAspect.GOAL in aspects or "planned_finish" in proposal or not affected:
        affected[project.initiating_department_id] = project.initiating_department
    for department in affected.values():
        if department.head_id is None:
            raise ApplicationError(
                _("%(d)s has no head to approve the change; ask an administrator to name one.")
                % {"d": department.name},
                field="departments",
            )
    requesting = _requesting_department(roles, project, parts)
    last = project.change_requests.order_by("-number").values_list("number", flat=True).first() or 0
    now = timezone.now()
    change = ChangeRequest.objects.create(
        project=project,
        number=last + 1,
        title=title,
        aspects=sorted(aspects),
        description=description,
        reason=reason,
        impact=impact,
        proposal=proposal,
        status=ChangeStatus.SUBMITTED,
        requested_by=person,
        requesting_department=requesting,
        submitted_at=now,
    )
    audited_bulk_create(
        ChangeApproval.objects,
        [ChangeApproval(change_request=change, department=d) for d in affected.values()],
    )
    raised = _("Change request CR-%(n)02d raised: %(t)s") % {"n": change.number, "t": title}
    _log(project, change, person, raised, aspects=sorted(aspects), departments=sorted(affected))
    heads = [d.head_id for d in affected.values()]
    ask = _("Approve or reject change request CR-%(n)02d: %(t)s") % {"n": change.number, "t": title}
    body = f"{description}\n{_('Reason')}: {reason}\n{_('Impact')}: {impact}"
    send_about(project, change, heads, "change_request", ask, person, body)
    return change


def _log(project: Project, change: ChangeRequest, person, content: str, **data) -> None:
    """The change request's row in the project's history."""
    data = {"change_request": change.pk, **data}
    ProjectEvent.add(project, ProjectEventKind.CHANGE, author=person, content=content, data=data)


def _requesting_department(roles, project: Project, parts: dict):
    person_id = roles.person.pk
    for part in parts.values():
        if part.liaison_id == person_id or part.department_id in roles.head_of:
            return part.department
    for part in parts.values():
        if part.department_id in roles.member_of:
            return part.department
    return project.initiating_department


@transaction.atomic
def change_request_decide(
    *,
    actor: Actor,
    change_id: int,
    decision: str,
    comment: str = "",
    department=None,
    version: int | None = None,
) -> ChangeRequest:
    """An affected department's head approves or rejects (a rejection says why), signing
    what they decided on (``SIGNATURE_KIND``). Every approval in → the plan changes and a
    new plan version is kept; one rejection rejects."""
    project, roles, person, change = _locked_change(actor, change_id, version)
    if decision not in (ApprovalDecision.APPROVED, ApprovalDecision.REJECTED):
        raise ApplicationError(_("Approve or reject."), field="decision")
    approvals = list(change.approvals.select_for_update().select_related("department"))
    mine = [a for a in approvals if a.department_id in roles.head_of]
    if department not in (None, ""):
        wanted = department_of(department, "department")
        mine = [a for a in mine if a.department_id == wanted.pk]
    if not mine:
        raise PermissionDeniedError(_("Only the heads of the departments this change touches decide on it."))
    require_writable(project)
    if change.status != ChangeStatus.SUBMITTED:
        raise TransitionError(
            _("This change request is “%(s)s”: it is no longer decided on.")
            % {"s": change.get_status_display()}
        )
    pending = [a for a in mine if a.decision == ApprovalDecision.PENDING]
    if not pending:
        raise TransitionError(_("Your department has already decided on this change request."))
    comment = inputs.text(comment, "comment", 5000)
    if decision == ApprovalDecision.REJECTED and not comment:
        raise ApplicationError(_("Say why you reject the change."), field="comment")
    now = timezone.now()
    for approval in pending:
        approval.decision, approval.head, approval.comment = decision, person, comment
        approval.decided_at = now
        approval.signature = sign(SIGNATURE_KIND, signed_content(change, approval))
        approval.save(update_fields=["decision", "head", "comment", "decided_at", "signature"])
    names = "、".join(a.department.name for a in pending)
    if decision == ApprovalDecision.APPROVED:
        decided = _("CR-%(n)02d approved by %(d)s") % {"n": change.number, "d": names}
    else:
        decided = _("CR-%(n)02d rejected by %(d)s: %(c)s") % {"n": change.number, "d": names, "c": comment}
    _log(project, change, person, decided, decision=decision, departments=[a.department_id for a in pending])
    if decision == ApprovalDecision.REJECTED:
        _finish(change, ChangeStatus.REJECTED, now)
        told = participant_ids(project) | {change.requested_by_id}
        title = _("Change request CR-%(n)02d rejected: %(t)s") % {"n": change.number, "t": change.title}
        why = _("%(d)s: %(c)s") % {"d": names, "c": comment}
        send_about(project, change, told, "change_rejected", title, person, why)
    elif all(a.decision == ApprovalDecision.APPROVED for a in approvals):
        _apply(project, change, person, now)
    else:
        title = _("%(d)s approved CR-%(n)02d") % {"d": names, "n": change.number}
        send_about(project, change, [change.requested_by_id], "change_approval", title, person)
    return change


def _locked_change(actor: Actor, change_id, version):
    missing = _("No such change request.")
    project, roles, person = context(actor, belongs_to(ChangeRequest, change_id, missing=missing))
    return project, roles, person, locked(ChangeRequest, change_id, version, not_found=missing)


def _finish(change: ChangeRequest, status: str, now) -> None:
    CHANGES.move(change, status)
    change.decided_at = now
    fields = ["status", "decided_at"]
    if status == ChangeStatus.APPROVED:
        change.applied_at = now
        fields.append("applied_at")
    bump(change, *fields)


def _apply(project: Project, change: ChangeRequest, person: Person, now) -> None:
    """Every head approved: the plan changes, the version before (if none was kept yet) and
    the version after are kept."""
    before = plan_snapshot(project)
    last = project.plan_versions.order_by("-number").first()
    if last is None or plan_diff(last.snapshot, before):
        # Tasks added or edited since the last version: keep the plan as it stood, so every
        # earlier state stays viewable and the change's own diff shows only the change.
        plan_version_add(
            project,
            author=person,
            snapshot=before,
            reason=_("The plan as it stood before CR-%(n)02d") % {"n": change.number},
        )
    proposal = change.proposal or {}
    reason = _("Change request CR-%(n)02d: %(t)s") % {"n": change.number, "t": change.title}
    for row in proposal.get("tasks", []):
        task = (
            Task.objects.select_for_update()
            .select_related("project")
            .filter(pk=row["id"], project=project)
            .first()
        )
        if task is None or task.status not in OPEN_TASK_STATUSES:
            raise TransitionError(
                _("Task %(t)s can no longer be replanned; raise a new change request.") % {"t": row["code"]}
            )
        task_replan(
            task,
            planned_start=date.fromisoformat(row["new"][0]),
            planned_finish=date.fromisoformat(row["new"][1]),
            author=person,
            reason=reason,
            source="change_request",
            data={"change_request": change.pk},
        )
    for row in proposal.get("goal_metrics", []):
        metric = GoalMetric.objects.select_for_update().filter(pk=row["id"], project=project).first()
        if metric is None:
            raise TransitionError(
                _("A goal metric of this change no longer exists; raise a new change request.")
            )
        new = row["new"]
        metric.target = inputs.a_decimal(new["target"], "target") if new.get("target") is not None else None
        metric.target_date = date.fromisoformat(new["target_date"]) if new.get("target_date") else None
        bump(metric, "target", "target_date")
        ProjectEvent.add(
            project,
            ProjectEventKind.GOAL,
            author=person,
            content=f"{metric.metric}: {reason}",
            data={"metric": metric.pk, "change_request": change.pk, **new},
        )
    if "planned_finish" in proposal:
        project.planned_finish = date.fromisoformat(proposal["planned_finish"]["new"])
        bump(project, "planned_finish")
        ProjectEvent.add(
            project,
            ProjectEventKind.EDITED,
            author=person,
            content=reason,
            data={
                "changes": {
                    "planned_finish": [proposal["planned_finish"]["old"], proposal["planned_finish"]["new"]]
                },
                "change_request": change.pk,
            },
        )
    _finish(change, ChangeStatus.APPROVED, now)
    version = plan_version_add(project, author=person, reason=reason, change_request=change)
    told = participant_ids(project) | {change.requested_by_id}
    title = _("Change request CR-%(n)02d approved: the plan is now version %(v)d")
    title %= {"n": change.number, "v": version.number}
    send_about(project, change, told, "change_applied", title, person, change.description)


@transaction.atomic
def change_request_withdraw(
    *, actor: Actor, change_id: int, reason: str = "", version: int | None = None
) -> ChangeRequest:
    """The requester (or a manager) takes back a change request still waiting for approval."""
    project, roles, person, change = _locked_change(actor, change_id, version)
    from .. import permissions

    if change.requested_by_id != person.pk and not permissions.is_manager(roles, project):
        raise PermissionDeniedError(
            _("Only the person who raised it or the project lead withdraws a change request.")
        )
    require_writable(project)
    if change.status != ChangeStatus.SUBMITTED:
        raise TransitionError(
            _("This change request is “%(s)s”: it can no longer be withdrawn.")
            % {"s": change.get_status_display()}
        )
    _finish(change, ChangeStatus.WITHDRAWN, timezone.now())
    withdrawn = _("CR-%(n)02d withdrawn") % {"n": change.number}
    withdrawn += f": {reason.strip()}" if reason and reason.strip() else ""
    _log(project, change, person, withdrawn, withdrawn=True)
    heads = [a.department.head_id for a in change.approvals.select_related("department")]
    title = _("Change request CR-%(n)02d withdrawn") % {"n": change.number}
    send_about(project, change, heads, "change_withdrawn", title, person)
    return change
