"""Deliverables API (SPEC §5 [004]): record, submit with evidence, accept or send back."""

from __future__ import annotations

import mimetypes

from django.http import FileResponse, Http404
from django.urls import reverse
from ninja import File, Form, Router, Status, UploadedFile

from ..models import Deliverable, Task
from ..schemas import DeliverableIn, DeliverableOut, ReviewIn
from ..selectors import delivery as selectors
from ..services import delivery as services
from ._common import READ_ERRORS, WRITE_ERRORS, call, project_id_of, roles

router = Router(tags=["projects"])


def _round(project_id: int, row: dict) -> dict:
    submission, review = row["submission"], row["review"]
    evidence = [
        {
            **{f: getattr(e, f) for f in ("id", "name", "size", "kind", "round")},
            "url": reverse("api:evidence_download", args=[project_id, e.pk]),
        }
        for e in row["evidence"]
    ]
    fields = {f: getattr(submission, f) for f in ("round", "at", "note", "late", "rework_due_at")}
    return {
        **fields,
        "submitted_by": submission.submitted_by.name,
        "evidence": evidence,
        "decision": review.decision if review else None,
        "reviewer": review.reviewer.name if review else None,
        "comment": review.comment if review else None,
        "reviewed_at": review.at if review else None,
    }


def _out(r, deliverable: Deliverable) -> dict:
    task = deliverable.task
    fields = ("id", "project_id", "task_id", "name", "description", "status", "round", "version")
    return {
        **{f: getattr(deliverable, f) for f in fields},
        **{f: getattr(deliverable, f) for f in ("rework_due_at", "accepted_at")},
        "task_code": task.code if task else None,
        "delivery_standard": (task.delivery_standard if task else "") or deliverable.delivery_standard,
        "responsible": deliverable.responsible.department.name,
        "status_label": str(deliverable.get_status_display()),
        "rounds": [_round(deliverable.project_id, row) for row in selectors.rounds(deliverable)],
        "actions": sorted(services.deliverable_actions(r, deliverable.project, deliverable)),
    }


def _detail(request, project_id: int, pk: int) -> dict:
    r = roles(request)
    return _out(r, selectors.deliverable_for_viewer(roles=r, project_id=project_id, pk=pk))


def _on(request, deliverable_id: int, service, **values) -> dict:
    """Run ``service`` on the deliverable; the answer is the deliverable as it is now."""
    project_id = project_id_of(Deliverable, deliverable_id)
    call(request, project_id, service, deliverable_id=deliverable_id, **values)
    return _detail(request, project_id, deliverable_id)


@router.get("/{int:project_id}/deliverables", response={200: list[DeliverableOut], **READ_ERRORS})
def deliverable_list(request, project_id: int, task: int | None = None):
    """The project's deliverables with every round (submission, evidence, review)."""
    r = roles(request)
    project, rows = selectors.deliverables_for_viewer(roles=r, project_id=project_id, task_id=task)
    for row in rows:
        row.project = project
    return [_out(r, row) for row in rows]


@router.post("/tasks/{int:task_id}/deliverables", response={201: DeliverableOut, **WRITE_ERRORS})
def deliverable_create(request, task_id: int, payload: DeliverableIn):
    """Record a deliverable of a task (accepted against the task's delivery standard)."""
    project_id = project_id_of(Task, task_id)
    deliverable = call(
        request, project_id, services.deliverable_create, task_id=task_id, data=payload.model_dump()
    )
    return Status(201, _detail(request, deliverable.project_id, deliverable.pk))


@router.get(
    "/{int:project_id}/deliverables/{int:deliverable_id}", response={200: DeliverableOut, **READ_ERRORS}
)
def deliverable_detail(request, project_id: int, deliverable_id: int):
    return _detail(request, project_id, deliverable_id)


@router.post("/deliverables/{int:deliverable_id}/submit", response={200: DeliverableOut, **WRITE_ERRORS})
def deliverable_submit(
    request,
    deliverable_id: int,
    files: File[list[UploadedFile]],
    note: Form[str] = "",
    kind: Form[str] = "file",
    version: Form[int | None] = None,
):
    """Submit (or resubmit after sending back) with evidence: multipart, one or more ``files``."""
    evidence = {"files": files, "note": note, "kind": kind, "version": version}
    return _on(request, deliverable_id, services.deliverable_submit, **evidence)


@router.post("/deliverables/{int:deliverable_id}/accept", response={200: DeliverableOut, **WRITE_ERRORS})
def deliverable_accept(request, deliverable_id: int, payload: ReviewIn):
    """The requesting side accepts the submission against the delivery standard."""
    return _on(request, deliverable_id, services.deliverable_accept, **payload.model_dump())


@router.post("/deliverables/{int:deliverable_id}/return", response={200: DeliverableOut, **WRITE_ERRORS})
def deliverable_return(request, deliverable_id: int, payload: ReviewIn):
    """Send back with what falls short (``comment`` required); rework due in 3 working days."""
    return _on(request, deliverable_id, services.deliverable_return, **payload.model_dump())


@router.get(
    "/{int:project_id}/evidence/{int:evidence_id}",
    response={200: None, **READ_ERRORS},
    url_name="evidence_download",
)
def evidence_download(request, project_id: int, evidence_id: int):
    """An evidence file, only for people who may see the project."""
    evidence = selectors.evidence_for_viewer(
        roles=roles(request), project_id=project_id, evidence_id=evidence_id
    )
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    content_type = mimetypes.guess_type(evidence.name)[0] or "application/octet-stream"
    return FileResponse(handle, as_attachment=True, filename=evidence.name, content_type=content_type)
