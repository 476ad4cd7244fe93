"""Communication plan API (SPEC §5 [002][003]): rows, their generated meetings."""

from __future__ import annotations

from ninja import Router, Status

from .. import flows
from ..models import CommunicationPlanEntry
from ..schemas import CommEntryIn, CommEntryOut, CommPlanOut, GeneratedOut, ReasonIn
from ..selectors import comms as selectors
from ._common import READ_ERRORS, WRITE_ERRORS, call, project_id_of, roles, sent

router = Router(tags=["projects"])


def _entry_out(request, entry_id: int) -> CommunicationPlanEntry:
    entry = CommunicationPlanEntry.objects.get(pk=entry_id)
    page = selectors.comm_plan_page(roles=roles(request), project_id=entry.project_id, include_removed=True)
    return next(e for e in page.entries if e.pk == entry_id)


@router.get("/{int:project_id}/comms", response={200: CommPlanOut, **READ_ERRORS})
def comm_plan(request, project_id: int, include_removed: bool = False):
    """The communication plan: its rows and the occurrences of the last 2 and next 6 weeks
    (skipped days say why)."""
    page = selectors.comm_plan_page(
        roles=roles(request), project_id=project_id, include_removed=include_removed
    )
    return {"entries": page.entries, "occurrences": page.occurrences}


@router.post("/{int:project_id}/comms", response={201: CommEntryOut, **WRITE_ERRORS})
def comm_entry_create(request, project_id: int, payload: CommEntryIn):
    """Add a row. Frequency ``daily``, ``weekly`` / ``biweekly`` (``weekdays``, 0 = Monday),
    ``monthly`` / ``once`` (from ``first_date``) at ``at_time``, or ``as_needed`` / ``realtime``.
    A regular row of a project under way calls its meetings for the next 4 weeks at once."""
    data, _version = sent(payload)
    entry = call(request, project_id, flows.comm_entry_create, project_id=project_id, data=data)
    return Status(201, _entry_out(request, entry.pk))


@router.patch("/comms/{int:entry_id}", response={200: CommEntryOut, **WRITE_ERRORS})
def comm_entry_update(request, entry_id: int, payload: CommEntryIn):
    """Change a row (send the ``version`` you read); its future meetings follow."""
    data, version = sent(payload)
    project_id = project_id_of(CommunicationPlanEntry, entry_id)
    call(request, project_id, flows.comm_entry_update, entry_id=entry_id, data=data, version=version)
    return _entry_out(request, entry_id)


@router.post("/comms/{int:entry_id}/remove", response={200: CommEntryOut, **WRITE_ERRORS})
def comm_entry_remove(request, entry_id: int, payload: ReasonIn):
    """Remove a row: its future meetings are cancelled (invitees get the cancellation)."""
    removal = payload.model_dump()  # reason, version
    project_id = project_id_of(CommunicationPlanEntry, entry_id)
    call(request, project_id, flows.comm_entry_remove, entry_id=entry_id, **removal)
    return _entry_out(request, entry_id)


@router.post("/{int:project_id}/comms/generate", response={200: GeneratedOut, **WRITE_ERRORS})
def comm_generate(request, project_id: int):
    """Call the missing meetings of every regular row for the next 4 weeks now (idempotent)."""
    made = call(request, project_id, flows.comm_generate, project_id=project_id)
    return {"meetings_called": made}
