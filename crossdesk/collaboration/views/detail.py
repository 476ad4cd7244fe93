"""The request page: what it is, where each department stands, its deadlines, ONLY the
actions this person may take now, and everything that happened, in one timeline."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from crossdesk.collaboration import permissions, selectors
from crossdesk.collaboration.choices import EntryKind, RequestStatus
from crossdesk.collaboration.forms import ACTION_BUTTONS, ACTION_ORDER, PART_FORMS, REQUEST_FORMS
from crossdesk.collaboration.letters import ACCEPT_FIELDS as LETTER_FIELDS
from crossdesk.collaboration.models import RequestPart
from crossdesk.core.files import file_response
from crossdesk.core.forms import ActionForm
from crossdesk.core.records.actions import ActionSet, Button
from crossdesk.core.records.registry import panels
from crossdesk.core.records.views import html_errors
from crossdesk.deadlines.choices import LIVE_STATES, ClockState
from crossdesk.deadlines.models import Clock
from crossdesk.deadlines.selectors import next_clock
from crossdesk.org.selectors import Roles, members_by_department, roles_for

NEEDS_MEMBERS = {"accept", "name_liaison", "resolve", "revise_letter"}


BUTTONS = ActionSet(ACTION_BUTTONS, ACTION_ORDER)


@dataclass
class PartRow:
    part: RequestPart
    clock: Clock | None
    clocks: list[Clock] = field(default_factory=list)


def action_url(request_id: int, action: str, part: RequestPart | None = None) -> str:
    if action == "edit":
        return reverse("collaboration:edit", args=[request_id])
    if part is not None:
        return reverse("collaboration:part_action", args=[request_id, part.pk, action])
    return reverse("collaboration:action", args=[request_id, action])


def _log_entries(page) -> list:
    return [
        item.entry
        for item in page.timeline
        if item.entry is not None and item.entry.kind in (EntryKind.LOG, EntryKind.CORRECTION)
    ]


class FormContext:
    """The choices each action form shows, from what the page already loaded."""

    def __init__(self, page, roles: Roles):
        self.page = page
        self.roles = roles
        wanted = {p.department_id for p in page.parts if page.part_actions.get(p.pk, set()) & NEEDS_MEMBERS}
        self.members = members_by_department(wanted)

    def for_action(self, action: str, part: RequestPart | None) -> dict:
        if action == "log":
            return {
                "parts": self.page.parts,
                "entries": _log_entries(self.page),
                "is_initiator": permissions.is_initiator(self.roles, self.page.request),
            }
        if part is not None and action in NEEDS_MEMBERS:
            return {"members": self.members.get(part.department_id, [])}
        return {}

    def initial(self, action: str, part: RequestPart | None) -> dict:
        request = self.page.request
        if action in ("submit", "cancel"):
            return {"version": request.version}
        if part is None:
            return {}
        member_ids = {pk for pk, _name in self.members.get(part.department_id, [])}
        default_liaison = part.liaison_id or part.department.default_liaison_id
        if action in ("accept", "name_liaison"):
            initial = {"liaison": default_liaison if default_liaison in member_ids else None}
            expected = request.expected_completion_at
            if action == "accept" and expected and expected > timezone.now():
                initial["committed_at"] = expected
            return initial
        if action == "resolve":
            return {"responsible": part.liaison_id if part.liaison_id in member_ids else None}
        if action == "change_commitment":
            return {"committed_at": part.committed_at}
        if action == "revise_letter":
            # What the current version says, to change from (one query, only for who may).
            current = part.letters.filter(version=part.letter_version).first()
            if current is None:
                return {"liaison": part.liaison_id}
            return {
                "liaison": current.liaison_id,
                "milestones": "\n".join(f"{m['date']} {m['title']}" for m in current.milestones),
                **{
                    name: getattr(current, name)
                    for name in LETTER_FIELDS
                    if name != "milestones" and getattr(current, name) is not None
                },
            }
        return {}

    def form(self, action: str, part: RequestPart | None, *, data=None, files=None) -> ActionForm:
        form_class = (PART_FORMS if part is not None else REQUEST_FORMS)[action]
        return form_class(
            data, files, initial=self.initial(action, part), context=self.for_action(action, part)
        )


def action_items(page, roles: Roles, *, bound: Button | None = None) -> list[Button]:
    """The buttons this person may press now, in the order of the usual next step."""
    forms = FormContext(page, roles)
    items = []
    for action, part in BUTTONS.ordered(page.actions, page.parts, page.part_actions):
        if bound is not None and bound.is_for(action, part):
            assert bound.form is not None
            bound.form.setup(**forms.for_action(action, part))
            items.append(bound)
            continue
        form = None if action == "edit" else forms.form(action, part)
        items.append(BUTTONS.button(action, action_url(page.request.pk, action, part), form, part))
    return items


def single_action_item(page, roles: Roles, action: str, part: RequestPart | None, form: ActionForm) -> Button:
    """The item of one action with a bound form, to re-render it after an error."""
    form.setup(**FormContext(page, roles).for_action(action, part))
    return BUTTONS.button(action, action_url(page.request.pk, action, part), form, part, open=True)


def _panels(http_request, page, roles: Roles, **context) -> list[str]:
    """What other apps add to the request page (``register_panel("collaboration.request", …)``),
    e.g. meetings' action items; ``context`` (such as what was typed in a panel's form and the
    service's refusal) goes to every provider."""
    found = (
        provider(page=page, roles=roles, **context) for provider in panels("collaboration.request").values()
    )
    return [mark_safe(render_to_string(p["template"], p["context"], http_request)) for p in found if p]


def detail_context(
    http_request, page, roles: Roles, *, bound: Button | None = None, error: str = "", **panel_context
) -> dict:
    request = page.request
    live = [c for c in page.clocks if c.state in LIVE_STATES]
    rows = []
    for part in page.parts:
        part_clocks = [c for c in live if c.scope == part.clock_scope]
        rows.append(PartRow(part, next_clock(part_clocks), part_clocks))
    corrected_by: dict[int, list] = {}
    for entry in _log_entries(page):
        if entry.corrects_id:
            corrected_by.setdefault(entry.corrects_id, []).append(entry)
    return {
        "page": page,
        "r": request,
        "rows": rows,
        "receiving_rows": [row for row in rows if row.part.is_receiving],
        "actions": action_items(page, roles, bound=bound),
        "action_error": error,
        # The next deadline that runs; when every one waits on the initiator, the paused one.
        "countdown": page.next_clock or next((c for c in live if c.state == ClockState.PAUSED), None),
        "live_clocks": live,
        "finished_clocks": [c for c in page.clocks if c.state not in LIVE_STATES],
        "corrected_by": corrected_by,
        "attachments_by_id": {a.pk: a for a in page.attachments},
        "archived": request.status == RequestStatus.ARCHIVED,
        "is_draft": request.status == RequestStatus.DRAFT,
        "panels": _panels(http_request, page, roles, **panel_context),
    }


def render_detail(
    request,
    pk: int,
    *,
    bound: Button | None = None,
    error: str = "",
    status: int = 200,
    **panel_context,
):
    """The request page; ``panel_context`` goes to the panels other apps add (see ``_panels``)."""
    roles = roles_for(request.user)
    page = selectors.request_page(roles=roles, pk=pk)
    if bound is not None:
        bound.part = next((p for p in page.parts if bound.part and p.pk == bound.part.pk), None)
    return render(
        request,
        "collaboration/detail.html",
        detail_context(request, page, roles, bound=bound, error=error, **panel_context),
        status=status,
    )


@require_GET
@html_errors
def request_detail(request, pk):
    return render_detail(request, pk)


@require_GET
@html_errors
def attachment_download(request, pk, attachment_id):
    """A file of a request, only for people who may see the request (404 otherwise)."""
    roles = roles_for(request.user)
    found = selectors.request_get_for_viewer(roles=roles, pk=pk)
    attachment = found.attachments.filter(pk=attachment_id).first()
    if attachment is None:
        raise Http404
    return file_response(attachment, inline=True)
