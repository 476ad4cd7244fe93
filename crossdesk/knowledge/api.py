"""Knowledge base API (issue 13 §3): the list with the page's filters, one entry, the draft
a source makes, publishing, and the "helpful" toggle."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from ninja import Body, Query, Router, Status

from crossdesk.core.errors import ApplicationError
from crossdesk.core.filters import window_from_params
from crossdesk.core.schemas import error_responses

from . import services
from .models import Entry
from .schemas import DraftOut, EntryFilterIn, EntryOut, EntryPageOut, HelpfulOut
from .selectors import EntryFilter, entry_draft_from, entry_get_for_viewer, entry_list

router = Router(tags=["knowledge"])


def entry_out(entry: Entry) -> dict[str, Any]:
    return {
        "id": entry.pk,
        "title": entry.title,
        "problem": entry.problem,
        "solution": entry.solution,
        "departments": list(entry.departments.all()),
        "tags": list(entry.tags or []),
        "source_type": entry.source_type,
        "source_id": entry.source_id,
        "source_url": entry.source_url,
        "confidential": entry.confidential,
        "published_by": entry.published_by,
        "published_at": entry.published_at,
        "views": entry.views,
        "helpful": entry.helpful,
        "url": reverse("knowledge:detail", args=[entry.pk]),
    }


@router.get("", response={200: EntryPageOut, **error_responses(400)})
def list_entries(request, query: Query[EntryFilterIn]):
    """Entries you may see, most useful first (found helpful, opened, newest); an entry of a
    confidential source only to who may see the source."""
    params = query.dict()
    filters = EntryFilter.from_params(params)
    window = window_from_params(params)
    rows = entry_list(user=request.auth, filters=filters)
    items = list(rows[window.offset : window.offset + window.limit])
    return {
        "count": rows.count(),
        "limit": window.limit,
        "offset": window.offset,
        "items": [entry_out(e) for e in items],
    }


@router.get("/draft", response={200: DraftOut, **error_responses(400, 403, 404, 409)})
def draft(request, source_type: str = "", source_id: str = ""):
    """What publishing the source would write (title, problem, solution, departments, tags)."""
    found = entry_draft_from(source_type, source_id, request.auth)
    return {**found.initial(), **vars(found), "tags": found.tags}


@router.get("/{int:entry_id}", response={200: EntryOut, **error_responses(404)})
def get_entry(request, entry_id: int):
    return entry_out(entry_get_for_viewer(user=request.auth, pk=entry_id))


@router.post("", response={201: EntryOut, **error_responses(400, 403, 404, 409)})
def publish(request, payload: Body[dict[str, Any]]):
    """Publish ``source_type`` / ``source_id``; the other fields (``title``, ``problem``,
    ``solution``, ``departments``, ``tags``) override what the source fills in. 409 when the
    source is not resolved yet or already published; 403 for who may not publish it."""
    data = dict(payload)
    if "source_type" not in data:
        raise ApplicationError("Give source_type.", field="source_type")
    source_type, source_id = data.pop("source_type"), data.pop("source_id", None)
    entry = services.entry_publish(
        actor=request.auth, source_type=source_type, source_id=source_id, data=data
    )
    return Status(201, entry_out(entry_get_for_viewer(user=request.auth, pk=entry.pk)))


@router.post("/{int:entry_id}/helpful", response={200: HelpfulOut, **error_responses(403, 404)})
def mark_helpful(request, entry_id: int):
    """Mark the entry helpful, or take your mark back (once per person)."""
    entry, marked = services.entry_mark_helpful(actor=request.auth, entry_id=entry_id)
    return {"id": entry.pk, "helpful": entry.helpful, "marked": marked}
