"""Keeping ``RequestInvolvement`` (the inbox's denormalised index) in step with requests."""

from __future__ import annotations

from .models import Request, RequestInvolvement, RequestPart

_COPIED = "status, urgency, type, submitted_at, raised_on, next_due_at, is_overdue, confidential"

# Rebuilds every row from requests and parts (used by the migration that adds the table,
# and by bench data written without the services). Plain SQL: SQLite and PostgreSQL alike.
BACKFILL_SQL = [
    "DELETE FROM collaboration_requestinvolvement",
    f"""INSERT INTO collaboration_requestinvolvement (request_id, department_id, role, {_COPIED})
        SELECT r.id, r.initiating_department_id, 'initiating', r.{_COPIED.replace(", ", ", r.")}
        FROM collaboration_request r WHERE r.status <> 'draft' AND r.submitted_at IS NOT NULL""",
    f"""INSERT INTO collaboration_requestinvolvement (request_id, department_id, role, {_COPIED})
        SELECT r.id, p.department_id, p.role, r.{_COPIED.replace(", ", ", r.")}
        FROM collaboration_requestpart p JOIN collaboration_request r ON r.id = p.request_id
        WHERE r.status <> 'draft' AND r.submitted_at IS NOT NULL AND p.department_id <> r.initiating_department_id""",
]


def involvement_rebuild() -> None:
    """Rebuild the whole index from requests and parts (after data written around the services)."""
    from django.db import connection

    with connection.cursor() as cursor:
        for statement in BACKFILL_SQL:
            cursor.execute(statement)


def _copied_fields(request: Request) -> dict:
    return {
        "status": request.status,
        "urgency": request.urgency,
        "type": request.type,
        "submitted_at": request.submitted_at,
        "raised_on": request.raised_on,
        "next_due_at": request.next_due_at,
        "is_overdue": request.is_overdue,
        "confidential": request.confidential,
    }


def involvement_create(request: Request, parts: list[RequestPart]) -> None:
    """At submission: one row for the initiating department and one per involved department."""
    fields = _copied_fields(request)
    rows = [
        RequestInvolvement(
            request=request, department_id=request.initiating_department_id, role="initiating", **fields
        )
    ]
    rows += [
        RequestInvolvement(request=request, department_id=p.department_id, role=p.role, **fields)
        for p in parts
    ]
    RequestInvolvement.objects.bulk_create(rows)


def involvement_sync(request: Request) -> None:
    """After any change to the request: copy what the inbox reads (one UPDATE)."""
    if request.submitted_at is None:
        return
    RequestInvolvement.objects.filter(request_id=request.pk).update(**_copied_fields(request))
