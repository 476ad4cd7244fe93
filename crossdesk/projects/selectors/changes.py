"""Reads of change requests and plan versions, for people who may see the project."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from crossdesk.core.errors import NotFoundError
from crossdesk.core.records.signing import broken
from crossdesk.org.selectors import Roles

from ..choices import ApprovalDecision, ChangeStatus
from ..models import ChangeApproval, ChangeRequest, PlanVersion, Project
from . import one_of, project_get_for_viewer, visible_projects

# A head's decision on a change request is signed (SPEC §6: sign-offs cannot be altered
# unnoticed): the request's content and the decision, keyed per record kind.
SIGNATURE_KIND = "projects.change_approval"


def signed_content(change: ChangeRequest, approval: ChangeApproval) -> dict:
    """What a head's signature covers: what changes, why, the impact, the proposed dates,
    targets and resources, and the decision (who, when, what they said)."""
    return {
        "change": change.pk,
        "project": change.project_id,
        "number": change.number,
        "title": change.title,
        "aspects": change.aspects,
        "description": change.description,
        "reason": change.reason,
        "impact": change.impact,
        "proposal": change.proposal,
        "department": approval.department_id,
        "decision": approval.decision,
        "head": approval.head_id,
        "comment": approval.comment,
        "decided_at": approval.decided_at,
    }


def broken_signatures(change: ChangeRequest) -> list[str]:
    """The departments whose head's decision no longer matches what was signed (the change
    or the decision edited since); pending approvals are not signed yet."""
    return broken(
        (a.department.name, SIGNATURE_KIND, signed_content(change, a), a.signature)
        for a in change.approvals.all()
        if a.decision != ApprovalDecision.PENDING
    )


def change_requests(project: Project, *, status: str | None = None) -> QuerySet[ChangeRequest]:
    query = (
        project.change_requests.select_related("requested_by", "requesting_department")
        .prefetch_related(
            Prefetch("approvals", queryset=ChangeApproval.objects.select_related("department", "head"))
        )
        .order_by("-number")
    )
    if status:
        query = query.filter(status=status)
    return query


def change_requests_for_viewer(*, roles: Roles, project_id: int, status: str | None = None):
    project = project_get_for_viewer(roles=roles, pk=project_id)
    return project, list(change_requests(project, status=status))


def change_request_for_viewer(*, roles: Roles, project_id: int, pk: int) -> ChangeRequest:
    project = project_get_for_viewer(roles=roles, pk=project_id)
    change = one_of(change_requests(project), pk, _("No such change request."))
    change.project = project
    return change


def changes_awaiting(*, roles: Roles) -> QuerySet[ChangeRequest]:
    """Change requests waiting for a decision of a department the viewer heads."""
    if not roles.head_of:
        return ChangeRequest.objects.none()
    return (
        ChangeRequest.objects.filter(
            project__in=visible_projects(roles=roles),
            status=ChangeStatus.SUBMITTED,
            approvals__department_id__in=roles.head_of,
            approvals__decision=ApprovalDecision.PENDING,
        )
        .select_related("project")
        .distinct()
    )


def plan_versions(project: Project) -> QuerySet[PlanVersion]:
    return project.plan_versions.select_related("created_by", "change_request").order_by("number")


def plan_version_for_viewer(*, roles: Roles, project_id: int, number: int) -> PlanVersion:
    project = project_get_for_viewer(roles=roles, pk=project_id)
    text = str(number)
    version = plan_versions(project).filter(number=int(text)).first() if text.isdigit() else None
    if version is None:
        raise NotFoundError(_("No such plan version."))
    return version
