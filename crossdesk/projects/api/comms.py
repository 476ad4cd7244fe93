"""Communication plan API (SPEC §5 [002][003]): rows, their generated meetings."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Field, Router, Schema, Status

from ..models import CommunicationPlanEntry
from ..selectors import comms as selectors
from ..services import comms as services
from ._common import READ_ERRORS, WRITE_ERRORS, body, call, roles

router = Router(tags=["projects"])


class CommEntryIn(Schema):
    scenario: str | None = None
    scenario_detail: str | None = None
    channel: str | None = None
    frequency: str | None = None
    weekdays: list[int] | None = None
    at_time: str | None = None
    working_days_only: bool | None = None
    duration_minutes: int | None = None
    first_date: str | None = None
    last_date: str | None = None
    participants: list[int] | None = None
    participants_note: str | None = None
    output: str | None = None
    output_detail: str | None = None
    owner: int | None = None
    meeting_kind: str | None = None
    place: str | None = None
    version: int | None = None


class RemoveIn(Schema):
    reason: str = ""
    version: int | None = None


class CommEntryOut(Schema):
    id: int
    scenario: str
    scenario_label: str = Field(validation_alias="get_scenario_display")
    scenario_detail: str
    channel: str
    channel_label: str = Field(validation_alias="get_channel_display")
    frequency: str
    frequency_text: str
    weekdays: list[int]
    at_time: str | None
    working_days_only: bool
    duration_minutes: int
    first_date: date | None
    last_date: date | None
    participants: list[int]
    participants_note: str
    output: str
    output_label: str = Field(validation_alias="get_output_display")
    output_detail: str
    owner: int = Field(validation_alias="owner_id")
    owner_name: str = Field(validation_alias="owner.name")
    meeting_kind: str
    place: str
    is_active: bool
    version: int

    @staticmethod
    def resolve_frequency_text(obj: CommunicationPlanEntry) -> str:
        return services.frequency_text(obj)

    @staticmethod
    def resolve_at_time(obj: CommunicationPlanEntry) -> str | None:
        return obj.at_time.strftime("%H:%M") if obj.at_time else None

    @staticmethod
    def resolve_participants(obj: CommunicationPlanEntry) -> list[int]:
        return [p.pk for p in obj.participants.all()]


class OccurrenceOut(Schema):
    id: int
    entry: int = Field(validation_alias="entry_id")
    on_date: date
    starts_at: datetime
    status: str
    status_label: str = Field(validation_alias="get_status_display")
    note: str
    meeting: int | None = Field(None, validation_alias="meeting_id")
    meeting_number: str | None = Field(None, validation_alias="meeting.number")
    meeting_status: str | None = Field(None, validation_alias="meeting.status")


class CommPlanOut(Schema):
    entries: list[CommEntryOut]
    occurrences: list[OccurrenceOut]


class GeneratedOut(Schema):
    meetings_called: int


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
    data, _version = body(payload)
    entry = call(request, project_id, services.comm_entry_create, project_id=project_id, data=data)
    return Status(201, _entry_out(request, entry.pk))


def _project_of(entry_id: int) -> int | None:
    return CommunicationPlanEntry.objects.filter(pk=entry_id).values_list("project_id", flat=True).first()


@router.patch("/comms/{int:entry_id}", response={200: CommEntryOut, **WRITE_ERRORS})
def comm_entry_update(request, entry_id: int, payload: CommEntryIn):
    """Change a row (send the ``version`` you read); its future meetings follow."""
    data, version = body(payload)
    call(
        request,
        _project_of(entry_id),
        services.comm_entry_update,
        entry_id=entry_id,
        data=data,
        version=version,
    )
    return _entry_out(request, entry_id)


@router.post("/comms/{int:entry_id}/remove", response={200: CommEntryOut, **WRITE_ERRORS})
def comm_entry_remove(request, entry_id: int, payload: RemoveIn):
    """Remove a row: its future meetings are cancelled (invitees get the cancellation)."""
    removal = payload.model_dump()  # reason, version
    call(request, _project_of(entry_id), services.comm_entry_remove, entry_id=entry_id, **removal)
    return _entry_out(request, entry_id)


@router.post("/{int:project_id}/comms/generate", response={200: GeneratedOut, **WRITE_ERRORS})
def comm_generate(request, project_id: int):
    """Call the missing meetings of every regular row for the next 4 weeks now (idempotent)."""
    made = call(request, project_id, services.comm_generate, project_id=project_id)
    return {"meetings_called": made}
