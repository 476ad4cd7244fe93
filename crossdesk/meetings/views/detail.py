"""The meeting page: the record of 跨部门沟通协调记录表 [001] with where each department
stands, the minutes and their versions, the deadlines, and ONLY the actions this person
may take now as small forms, posted to the page (``core.records.actions.Page``); a refusal
is shown on the form (400, 409) or as Django's 403 / 404 page."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from crossdesk.core.errors import TransitionError
from crossdesk.core.files import file_response
from crossdesk.core.records import actions
from crossdesk.core.records.actions import Act, Button, Page
from crossdesk.core.records.views import html_errors
from crossdesk.deadlines.choices import LIVE_STATES
from crossdesk.deadlines.selectors import live_clocks_by_subject, next_clock
from crossdesk.org.selectors import roles_for

from .. import selectors, services
from ..choices import MeetingStatus
from ..forms import ACTION_BUTTONS, ACTION_ORDER, ITEM_FORMS, MEETING_FORMS, PART_FORMS
from ..models import ActionItem, MeetingDepartment

LINKS = {"edit", "write_minutes"}


BUTTONS = actions.ActionSet(ACTION_BUTTONS, ACTION_ORDER)


def action_url(pk: int, action: str, part: MeetingDepartment | None = None) -> str:
    if action == "edit":
        return reverse("meetings:edit", args=[pk])
    if action == "write_minutes":
        return reverse("meetings:minutes", args=[pk])
    if part is not None:
        return reverse("meetings:part_action", args=[pk, part.pk, action])
    return reverse("meetings:action", args=[pk, action])


def _initial(page, action: str) -> dict:
    if action in ("send_notice", "reschedule"):
        return {"version": page.meeting.version}
    if action == "circulate":
        return {"minutes_version": page.meeting.minutes_version}
    return {}


def buttons(page, *, bound: Button | None = None) -> list[Button]:
    pk = page.meeting.pk
    found = []
    for action, part in BUTTONS.ordered(page.actions, page.participations, page.part_actions):
        if bound is not None and bound.is_for(action, part):
            bound.part = part
            found.append(bound)
        elif action in LINKS:
            found.append(BUTTONS.button(action, action_url(pk, action, part), part=part))
        else:
            form_class = (PART_FORMS if part is not None else MEETING_FORMS)[action]
            form = form_class(initial=_initial(page, action))
            found.append(BUTTONS.button(action, action_url(pk, action, part), form, part))
    return found


@dataclass
class ItemRow:
    item: ActionItem
    clock: object
    forms: list[Button]


def item_buttons(item: ActionItem, actions, *, bound: Button | None = None) -> list[Button]:
    """The owner's forms on one action item (``bound``: the one re-shown with its error)."""
    found = []
    for action in sorted(actions):
        if bound is not None and bound.action == action:
            found.append(bound)
            continue
        url = reverse("meetings:item_action", args=[item.pk, action])
        found.append(BUTTONS.button(action, url, ITEM_FORMS[action](initial={"version": item.version})))
    return found


def item_rows(page, *, bound: Button | None = None, bound_item: int | None = None) -> list[ItemRow]:
    clocks = live_clocks_by_subject(ActionItem, [i.pk for i in page.action_items if i.activated_at])
    return [
        ItemRow(
            item,
            selectors.due_clock(clocks.get(item.pk, [])) or next_clock(clocks.get(item.pk, [])),
            item_buttons(
                item, page.item_actions.get(item.pk, set()), bound=bound if bound_item == item.pk else None
            ),
        )
        for item in page.action_items
    ]


def _detail(request, pk: int, part_id: int | None = None, bound=None, bound_item=None) -> dict:
    """The meeting page; ``bound`` is a refused form shown again with what was typed (of the
    department's part ``part_id``, or of the action item ``bound_item``)."""
    if bound is not None and bound_item is None:
        label, bound.icon = ACTION_BUTTONS[bound.action]
        bound.label = str(label)
        bound.part = _part(request, pk, part_id) if part_id is not None else None
        if request.htmx and not bound.form.is_multipart():
            return {}  # htmx is answered with the form alone (actions.submit): no page to load
    roles = roles_for(request.user)
    page = selectors.meeting_page(roles=roles, pk=pk)
    meeting = page.meeting
    live = [c for c in page.clocks if c.state in LIVE_STATES]
    part_rows = [
        {
            "part": part,
            "response": page.current_responses.get(part.pk),
            "clock": next_clock([c for c in live if c.scope == part.clock_scope]),
        }
        for part in page.participations
    ]
    diff, diff_from, diff_to = None, None, None
    numbers = [v.number for v in page.versions]
    if len(numbers) >= 2:
        try:
            diff_from = int(request.GET.get("from") or numbers[-2])
            diff_to = int(request.GET.get("to") or numbers[-1])
        except ValueError:
            diff_from, diff_to = numbers[-2], numbers[-1]
        if diff_from in numbers and diff_to in numbers and diff_from != diff_to:
            diff = selectors.minutes_diff(
                roles=roles, pk=meeting.pk, from_version=diff_from, to_version=diff_to
            )
    return {
        "page": page,
        "m": meeting,
        "part_rows": part_rows,
        "buttons": buttons(page, bound=bound if bound_item is None else None),
        "item_rows": item_rows(page, bound=bound, bound_item=bound_item),
        "action_error": bound.refusal if bound is not None and bound_item is None else "",
        "live_clocks": live,
        "department_names": selectors.department_names(page),
        "people_names": selectors.invitee_names(page),
        "diff": diff,
        "diff_from": diff_from,
        "diff_to": diff_to,
        "version_numbers": numbers,
        "archived": meeting.status == MeetingStatus.ARCHIVED,
        "is_draft": meeting.status == MeetingStatus.DRAFT,
    }


@require_GET
@html_errors
def material_download(request, pk, material_id):
    """A material of a meeting, only for people who may see the meeting (404 otherwise)."""
    material = selectors.material_for_viewer(
        roles=roles_for(request.user), meeting_id=pk, material_id=material_id
    )
    return file_response(material, inline=True)


@require_GET
@html_errors
def invite_ics(request, pk):
    try:
        invitation = selectors.meeting_invitation(
            roles=roles_for(request.user), pk=pk, base_url=request.build_absolute_uri("/").rstrip("/")
        )
    except TransitionError as exc:
        return HttpResponse(exc.message, status=409, content_type="text/plain; charset=utf-8")
    response = HttpResponse(invitation.text, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{invitation.filename}"'
    return response


# --- actions ------------------------------------------------------------------------------


def _reschedule(request, d: dict, pk: int):
    """Only what the form changes is moved."""
    changes = {k: d[k] for k in ("starts_at", "ends_at", "place") if d.get(k)}
    return services.meeting_reschedule(
        actor=request.user, meeting_id=pk, reason=d["reason"], version=d["version"], **changes
    )


def _part(request, pk: int, part_id: int) -> MeetingDepartment:
    """The meeting's part ``part_id`` (404 if not this meeting's), looked up once a request."""
    if not hasattr(request, "meeting_part"):
        parts = MeetingDepartment.objects.select_related("department")
        request.meeting_part = parts.filter(meeting_id=pk, pk=part_id).first()
    if request.meeting_part is None:
        raise Http404
    return request.meeting_part


def _for_part(service, *names: str):
    """An answer for the department of the meeting's part ``part_id``."""

    def call(request, d: dict, pk: int, part_id: int):
        department = _part(request, pk, part_id).department_id
        given = {name: d[name] for name in names}
        return service(actor=request.user, meeting_id=pk, department_id=department, **given)

    return call


DONE = {
    "send_notice": _("Notice sent. Everyone invited has the time, place, agenda and materials."),
    "reschedule": _("Rescheduled. Everyone invited is told and receives an updated invitation."),
    "cancel": _("The meeting is cancelled."),
    "mark_held": _("Marked as held. The minutes are due within 2 working days."),
    "circulate": _("Minutes circulated. Each department has 1 working day to confirm or object."),
    "revise": _("You can edit the minutes again; circulate them when revised."),
    "attach": _("File attached."),
    "archive": _("Archived. It is read-only from now on."),
    "confirm": _("Minutes confirmed."),
    "object": _("Objection sent to the recorder."),
    "sign": _("Signed."),
    "update_status": _("Progress recorded."),
    "complete": _("Completion reported."),
}
F = MEETING_FORMS
MEETING = Page(
    "meetings/detail.html",
    _detail,
    {
        "send_notice": Act(
            F["send_notice"], services.meeting_send_notice, "late_reason", "version", meeting_id="pk"
        ),
        "reschedule": Act(F["reschedule"], call=_reschedule),
        "cancel": Act(F["cancel"], services.meeting_cancel, "reason", meeting_id="pk"),
        "mark_held": Act(F["mark_held"], services.meeting_mark_held, meeting_id="pk"),
        "circulate": Act(
            F["circulate"], services.minutes_circulate, "minutes_version", "note", meeting_id="pk"
        ),
        "revise": Act(F["revise"], services.minutes_revise, meeting_id="pk"),
        "attach": Act(F["attach"], services.material_add, meeting_id="pk", upload="file"),
        "archive": Act(F["archive"], services.meeting_archive, meeting_id="pk"),
    },
    DONE,
    then=lambda _result, pk, **_kw: reverse("meetings:detail", args=[pk]),
    see_other=False,
)
PART = Page(
    MEETING.template,
    _detail,
    {
        "confirm": Act(PART_FORMS["confirm"], call=_for_part(services.minutes_confirm)),
        "object": Act(PART_FORMS["object"], call=_for_part(services.minutes_object, "text")),
        "sign": Act(PART_FORMS["sign"], call=_for_part(services.minutes_sign)),
    },
    DONE,
    then=MEETING.then,
    check=lambda request, pk, **_kw: selectors.meeting_get_for_viewer(roles=roles_for(request.user), pk=pk),
    see_other=False,
)
meeting_detail = MEETING.view()
meeting_action = MEETING.view("POST")
part_action = PART.view("POST")
ITEM_SERVICES = {
    "update_status": (
        services.action_item_update_status,
        ("status", "note", "reason", "new_due_at", "version"),
    ),
    "complete": (services.action_item_complete, ("result", "completed_at", "version")),
}


@require_POST
@html_errors
def item_action(request, item_id, action):
    """The owner reports progress on, or completion of, an action item: from the meeting
    page, the action-item list or a request's page (``next``)."""
    form_class = ITEM_FORMS.get(action)
    if form_class is None:
        raise Http404
    roles = roles_for(request.user)
    item = selectors.action_item_get_for_viewer(roles=roles, pk=item_id)
    form = form_class(request.POST)
    outcome = actions.Outcome(status=400)
    if form.is_valid():
        service, names = ITEM_SERVICES[action]
        given = {name: form.cleaned_data[name] for name in names}
        outcome = actions.run(
            request,
            form,
            partial(service, actor=request.user, item_id=item.pk, **given),
            done=DONE[action],
            url=actions.next_url(request, item.get_absolute_url()),
        )
        if outcome.response is not None:
            return outcome.response
    url = reverse("meetings:item_action", args=[item.pk, action])
    button = BUTTONS.button(action, url, form, open=True)
    if request.htmx or not item.meeting_id:
        return actions.form_again(request, button, outcome.status)
    context = _detail(request, item.meeting_id, bound=button, bound_item=item.pk)
    return render(request, MEETING.template, context, status=outcome.status)
