"""What meetings adds to pages of other apps (registered in ``MeetingsConfig.ready()``), so
those apps never import meetings: the action items on a collaboration request's page."""

from __future__ import annotations

from typing import Any

from crossdesk.core.errors import ApplicationError
from crossdesk.core.forms import show_error
from crossdesk.deadlines.selectors import live_clocks_by_subject
from crossdesk.org.selectors import Roles, members_by_department

from .forms import RequestItemForm
from .models import ActionItem
from .selectors import action_items_for_request, due_clock

TEMPLATE = "meetings/_request_items.html"


def request_action_items(
    *,
    page: Any,
    roles: Roles,
    item_data: Any = None,
    item_error: ApplicationError | None = None,
    **context: Any,
) -> dict[str, Any] | None:
    """The request's action items (SPEC §4), each with its deadline clock, and, for people who
    may write to the request's log (``"log"`` among ``page.actions``), the form to raise one.
    ``item_data`` / ``item_error``: what was typed and the service's refusal, to show again."""
    request = page.request
    if request.status == "draft":
        return None
    items = action_items_for_request(roles=roles, request_id=request.pk)
    clocks = live_clocks_by_subject(ActionItem, [i.pk for i in items])
    rows = [(i, due_clock(clocks.get(i.pk, []))) for i in items]
    form = None
    if "log" in page.actions:
        members = members_by_department(p.department_id for p in page.parts)
        people = list(dict.fromkeys(m for p in page.parts for m in members.get(p.department_id, [])))
        departments = [(p.department_id, p.department.name) for p in page.parts]
        form = RequestItemForm(item_data, context={"people": people, "departments": departments})
        if item_data is not None:
            form.is_valid()  # show each field's error next to it
            if item_error is not None:
                show_error(form, item_error)
    if not rows and form is None:
        return None
    return {"template": TEMPLATE, "context": {"request_id": request.pk, "items": rows, "form": form}}
