"""Audit trail API under /api/v1/audit/: the same filter and visibility as the page."""

from __future__ import annotations

from ninja import Query, Router

from crossdesk.core.filters import param_int
from crossdesk.core.schemas import error_responses

from .filters import AuditFilter
from .schemas import AuditEventFilter, AuditEventPageOut
from .selectors import events_for_viewer, page_of

router = Router(tags=["audit"])


def event_out(event) -> dict:
    return {
        "id": event.pk,
        "at": event.timestamp,
        "actor": event.actor_name,
        "actor_id": event.actor_id,
        "action": event.action_name,
        "via": event.via,
        "reason": event.reason,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_repr": event.object_repr,
        "changes": event.changes or {},
    }


@router.get("/events", response={200: AuditEventPageOut, **error_responses(400, 404)})
def event_list(request, query: Query[AuditEventFilter]):
    """The audit trail, newest first, 50 rows a page. Administrators read every row (with
    any filter); anyone else reads the history of one record they may see
    (``object_type`` and ``object_id``), else 404."""
    params = query.dict(by_alias=True)
    filters = AuditFilter.from_params(params)
    page = param_int(params, "page", 1, 1, None)
    rows = events_for_viewer(user=request.user, filters=filters)
    found = page_of(rows, page)
    return {"page": found.page, "has_next": found.has_next, "items": [event_out(e) for e in found.items]}
