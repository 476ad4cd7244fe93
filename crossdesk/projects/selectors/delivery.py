"""Reads of deliverables with their rounds (submissions, evidence, reviews)."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from crossdesk.org.selectors import Roles

from ..models import Deliverable, DeliverableEvidence, DeliverableReview, Project, RaciCell, Task
from ..models.delivery import DeliverableSubmission
from . import one_of, project_get_for_viewer


def deliverables(project: Project) -> QuerySet[Deliverable]:
    """Every deliverable with what its page shows, in a fixed number of queries."""
    return (
        project.deliverables.select_related(
            "task",
            "task__owner",
            "task__responsible__department",
            "responsible__department",
            "submitted_by",
            "accepted_by",
        )
        .prefetch_related(
            Prefetch(
                "evidence",
                queryset=DeliverableEvidence.objects.select_related("uploaded_by").order_by("round", "id"),
            ),
            Prefetch(
                "reviews", queryset=DeliverableReview.objects.select_related("reviewer").order_by("round")
            ),
            Prefetch("submissions", queryset=DeliverableSubmission.objects.select_related("submitted_by")),
            Prefetch(
                "task__raci_cells",
                queryset=RaciCell.objects.select_related("participation__department"),
            ),
        )
        .order_by("task__position", "task_id", "id")
    )


def deliverables_for_viewer(*, roles: Roles, project_id: int, task_id: int | None = None):
    project = project_get_for_viewer(roles=roles, pk=project_id)
    query = deliverables(project)
    if task_id:
        query = query.filter(task_id=task_id)
    return project, list(query)


def deliverable_for_viewer(*, roles: Roles, project_id: int, pk: int) -> Deliverable:
    project = project_get_for_viewer(roles=roles, pk=project_id)
    deliverable = one_of(deliverables(project), pk, _("No such deliverable."))
    deliverable.project = project
    return deliverable


def evidence_for_viewer(*, roles: Roles, project_id: int, evidence_id: int) -> DeliverableEvidence:
    """An evidence file to download: 404 unless the viewer may see the project."""
    project = project_get_for_viewer(roles=roles, pk=project_id)
    return one_of(
        DeliverableEvidence.objects.filter(deliverable__project=project), evidence_id, _("No such file.")
    )


def rounds(deliverable: Deliverable) -> list[dict]:
    """Each round of a deliverable: its submission, evidence and review, oldest first."""
    evidence: dict[int, list] = {}
    for item in deliverable.evidence.all():
        evidence.setdefault(item.round, []).append(item)
    reviews = {r.round: r for r in deliverable.reviews.all()}
    return [
        {"submission": s, "evidence": evidence.get(s.round, []), "review": reviews.get(s.round)}
        for s in deliverable.submissions.all()
    ]


def tasks_with_deliverables(project: Project) -> list[Task]:
    return list(project.tasks.select_related("responsible__department", "owner").order_by("position", "id"))
