"""``GET /api/v1/workbench``: the workbench page's three lists as JSON."""

from __future__ import annotations

from ninja import Field, Router, Schema

from crossdesk.core.schemas import LocalDateTime, error_responses
from crossdesk.core.workbench import workbench_for

router = Router(tags=["workbench"])


class WorkItemOut(Schema):
    kind: str = Field(description="What it is and what to do, e.g. respond, action_item, task, deliverable")
    title: str
    url: str = Field(description="The page where it is done")
    label: str = Field(description="What to do, in the caller's language")
    number: str
    due_at: LocalDateTime | None
    overdue: bool


class WorkListOut(Schema):
    name: str
    title: str
    total: int = Field(description="How many in all; items holds the first of them")
    more_url: str = Field(description="The list page with the same filters, showing every one")
    items: list[WorkItemOut]


class WorkbenchOut(Schema):
    items: list[WorkItemOut] = Field(description="Everything waiting for me: overdue first, then by deadline")
    raised: list[WorkListOut] = Field(description="What I raised and where it stands")
    departments: list[WorkListOut] = Field(
        description="Heads and supervisors: their departments' overdue and escalated records"
    )


@router.get("", response={200: WorkbenchOut, **error_responses()})
def workbench(request):
    """Everything waiting for the caller across requests, meetings, action items and projects."""
    found = workbench_for(request.user)
    return {"items": found.waiting, "raised": found.raised, "departments": found.departments}
