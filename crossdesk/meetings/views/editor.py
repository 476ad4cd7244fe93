"""Writing a meeting: the notice form (new / edit a draft) and the recorder's minutes
editor, autosaved with the minutes' version like the request drafts (409 on a stale copy;
what was typed stays in the browser)."""

from __future__ import annotations

import re
from collections import defaultdict

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from crossdesk.core.errors import (
    ApplicationError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    TransitionError,
)
from crossdesk.core.records import actions
from crossdesk.core.records.views import html_errors
from crossdesk.org.selectors import (
    department_choices,
    members_by_department,
    primary_department_id,
    roles_for,
)

from .. import permissions, selectors, services
from ..choices import NextStep
from ..forms import MeetingForm
from .detail import DONE

# --- the notice form ----------------------------------------------------------------------


def _people(departments: list[tuple[int, str]]):
    """Every active person by department (one query), and person → department."""
    members = members_by_department(pk for pk, _name in departments)
    member_of: dict[int, int] = {}
    choices = []
    for pk, _name in departments:
        for person_id, label in members.get(pk, []):
            member_of.setdefault(person_id, pk)
            choices.append((person_id, label))
    return members, member_of, list(dict.fromkeys(choices))


def _render_form(request, form, *, meeting, departments, members, status=200):
    names = dict(departments)
    chosen = {int(v) for v in (form["people"].value() or []) if str(v).isdigit()}
    groups = [(pk, names[pk], members.get(pk, [])) for pk, _n in departments if members.get(pk)]
    context = {
        "form": form,
        "meeting": meeting,
        "groups": groups,
        "chosen_people": chosen,
        "materials": list(meeting.materials.all()) if meeting else [],
        "notice": selectors.notice_timing(roles=roles_for(request.user), pk=meeting.pk) if meeting else None,
    }
    return render(request, "meetings/form.html", context, status=status)


def _notice_form(request, meeting, initial, save, *, done, url):
    """The notice form: GET shows it, POST passes it to ``save(form, member_of)`` (the
    service); a refusal shows it again with what was typed and the message next to its field."""
    departments = department_choices()
    members, member_of, people = _people(departments)
    data = request.POST if request.method == "POST" else None
    form = MeetingForm(data, initial=initial, departments=departments, people=people)
    outcome = actions.Outcome(status=400 if form.is_bound else 200)
    if form.is_bound and form.is_valid():
        outcome = actions.run(
            request, form, lambda: save(form, member_of), done=done, url=url, show=MeetingForm.show_error
        )
        if outcome.response is not None:
            return outcome.response
        if meeting is not None:  # keep the typed text, but carry the draft's current version
            meeting.refresh_from_db()
    return _render_form(
        request, form, meeting=meeting, departments=departments, members=members, status=outcome.status
    )


@require_http_methods(["GET", "POST"])
@html_errors
def meeting_new(request):
    roles = roles_for(request.user)
    me = roles.person.pk if roles.person else None

    def save(form, member_of):
        data = form.service_data(member_of, primary_department_id(roles.person) or 0, me or 0)
        return services.meeting_create_draft(actor=request.user, data=data)

    return _notice_form(
        request,
        None,
        {"kind": "special", "recorder": me},
        save,
        done=_("Draft saved. Send the notice when it is complete."),
        url=lambda meeting: reverse("meetings:edit", args=[meeting.pk]),
    )


@require_http_methods(["GET", "POST"])
@html_errors
def meeting_edit(request, pk):
    """Edit a draft; "保存并发送通知" saves and sends the notice in one go."""
    roles = roles_for(request.user)
    meeting = selectors.meeting_get_for_viewer(roles=roles, pk=pk)
    if "edit" not in permissions.meeting_actions(roles, meeting):
        if not permissions.is_initiator(roles, meeting):
            raise PermissionDenied(_("Only the initiator of the meeting can do this."))
        messages.info(request, _("Only a draft can be edited."))
        return redirect("meetings:detail", pk=pk)
    sending = "send_notice" in request.POST

    def save(form, member_of):
        d = form.cleaned_data
        data = form.service_data(member_of, meeting.initiating_department_id, meeting.initiator_id)
        saved = services.meeting_update_draft(
            actor=request.user, meeting_id=pk, data=data, version=d["version"]
        )
        if sending:
            services.meeting_send_notice(
                actor=request.user, meeting_id=pk, late_reason=d["late_reason"], version=saved.version
            )
        return saved

    return _notice_form(
        request,
        meeting,
        MeetingForm.initial_for(meeting) if request.method == "GET" else None,
        save,
        done=DONE["send_notice"] if sending else _("Draft saved."),
        url=reverse("meetings:detail" if sending else "meetings:edit", args=[pk]),
    )


# --- the minutes editor -------------------------------------------------------------------

ROW = re.compile(r"^(d|g|c|i)-(\d+)-(\w+)$")
FIELD = re.compile(r"^(\w+)\[(\d+)\](?:\.(\w+))?")


def parse_minutes(post) -> dict[str, list[dict]]:
    """The editor's rows (``d-0-topic``, ``i-2-owner`` …) as the service's lists, in the
    order typed, blank rows dropped."""
    found: dict[str, dict[int, dict]] = defaultdict(dict)
    for key in post:
        match = ROW.match(key)
        if match:
            section, n, name = match.groups()
            found[section].setdefault(int(n), {})[name] = post.get(key, "").strip()
    rows = {s: [found[s][n] for n in sorted(found[s])] for s in "dgci"}
    discussion = [r for r in rows["d"] if r.get("topic") or r.get("points")]
    disagreements = []
    for r in rows["g"]:
        views = []
        for side in ("a", "b"):
            if r.get(f"{side}_department") or r.get(f"{side}_position"):
                view = {
                    "department": r.get(f"{side}_department") or None,
                    "position": r.get(f"{side}_position", ""),
                }
                if r.get(f"{side}_person"):  # who held the view: kept through every revision
                    view["person"] = r[f"{side}_person"]
                views.append(view)
        row = {
            "topic": r.get("topic", ""),
            "views": views,
            "next_step": r.get("next_step", ""),
            "note": r.get("note", ""),
        }
        if row["topic"] or views or row["note"]:
            disagreements.append(row)
    consensus = [r.get("text", "") for r in rows["c"] if r.get("text")]
    items = []
    for r in rows["i"]:
        item = {
            "action": r.get("action", ""),
            "owner": r.get("owner") or None,
            "due_at": r.get("due_at") or None,
            "support_needed": r.get("support_needed", ""),
            "support_department": r.get("support_department") or None,
        }
        if r.get("id"):
            item["id"] = r["id"]
        if any(v for k, v in item.items() if k != "id") or item.get("id"):
            items.append(item)
    return {
        "discussion": discussion,
        "disagreements": disagreements,
        "consensus": consensus,
        "action_items": items,
    }


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M") if moment else ""


def rows_from_meeting(meeting) -> dict[str, list[dict]]:
    items = meeting.action_items.exclude(status="cancelled").order_by("position", "id")
    return {
        "discussion": [dict(r) for r in meeting.discussion],
        "disagreements": [dict(r) for r in meeting.disagreements],
        "consensus": list(meeting.consensus),
        "action_items": [
            {
                "id": i.pk,
                "action": i.action,
                "owner": i.owner_id,
                "due_at": _local(i.due_at),
                "support_needed": i.support_needed,
                "support_department": i.support_department_id,
                "tracked": i.activated_at is not None,
            }
            for i in items
        ],
    }


def _editor_rows(data: dict, error: ApplicationError | None) -> dict:
    """Rows for the template, each with the error of its field if the service named one."""
    errors: dict[tuple[str, int], dict[str, str]] = defaultdict(dict)
    named = (error.problems or {error.field or "": error.message}) if error is not None else {}
    for field, message in named.items():
        match = FIELD.match(field)
        if match:
            section, n, name = match.groups()
            errors[(section, int(n))].setdefault(name or "row", message)
    out = {}
    for section, rows in data.items():
        out[section] = []
        for n, row in enumerate(rows):
            if section == "consensus":
                row = {"text": row}
            if section == "disagreements":  # the editor shows two sides, a and b
                row = dict(row)
                for side, view in zip("ab", [*row.get("views", []), {}, {}], strict=False):
                    row[f"{side}_department"] = view.get("department")
                    row[f"{side}_person"] = view.get("person")
                    row[f"{side}_position"] = view.get("position", "")
            out[section].append({**row, "errors": errors.get((section, n), {})})
    return out


def _editor(request, meeting, data: dict, *, error: ApplicationError | None = None, status: int = 200):
    parts = list(meeting.departments.select_related("department").order_by("-is_initiating", "id"))
    members = members_by_department(p.department_id for p in parts)
    people = list(dict.fromkeys(p for part in parts for p in members.get(part.department_id, [])))
    rows = _editor_rows(data, error)
    context = {
        "m": meeting,
        "rows": rows,
        "error": error.message if error else "",
        "error_field": error.field if error else "",
        "participating": [(p.department_id, p.department.name) for p in parts],
        "departments": department_choices(),
        "people": people,
        "next_steps": NextStep.choices,
        "can_circulate": "circulate" in permissions.meeting_actions(roles_for(request.user), meeting),
    }
    return render(request, "meetings/minutes.html", context, status=status)


def _writable(request, pk):
    roles = roles_for(request.user)
    meeting = selectors.meeting_get_for_viewer(roles=roles, pk=pk)
    permissions.require(roles, meeting, "write_minutes")
    return meeting


def _minutes_version(request) -> int:
    """The minutes version the editor was opened at (0, refused as stale, if it sent none)."""
    version = request.POST.get("minutes_version", "")
    return int(version) if version.isdigit() else 0


@require_http_methods(["GET", "POST"])
@html_errors
def minutes_edit(request, pk):
    """The recorder writes the minutes: discussion points by topic, disagreements with each
    side's view and the next step, consensus points, action items [001]."""
    try:
        meeting = _writable(request, pk)
    except TransitionError as exc:
        messages.info(request, exc.message)
        return redirect("meetings:detail", pk=pk)
    if request.method == "GET":
        return _editor(request, meeting, rows_from_meeting(meeting))
    data = parse_minutes(request.POST)
    try:
        saved = services.minutes_save(
            actor=request.user, meeting_id=pk, data=data, minutes_version=_minutes_version(request)
        )
        if "circulate" in request.POST:
            services.minutes_circulate(
                actor=request.user,
                meeting_id=pk,
                minutes_version=saved.minutes_version,
                note=request.POST.get("note", ""),
            )
    except (PermissionDeniedError, NotFoundError):
        raise
    except ApplicationError as exc:
        meeting.refresh_from_db()
        return _editor(request, meeting, data, error=exc, status=exc.status_code)
    if "circulate" in request.POST:
        messages.success(request, DONE["circulate"])
        return redirect("meetings:detail", pk=pk)
    messages.success(request, _("Minutes saved."))
    return redirect("meetings:minutes", pk=pk)


@require_POST
@html_errors
def minutes_autosave(request, pk):
    """The editor posts itself here while the recorder types; answers with a small status
    and the new minutes version, or 409 when a newer save was made elsewhere."""
    roles = roles_for(request.user)
    meeting = selectors.meeting_get_for_viewer(roles=roles, pk=pk)
    context = {"m": meeting, "version": meeting.minutes_version}
    try:
        saved = services.minutes_save(
            actor=request.user,
            meeting_id=pk,
            data=parse_minutes(request.POST),
            minutes_version=_minutes_version(request),
        )
    except ConflictError:
        context.update(
            state="conflict",
            message=_(
                "Someone else changed these minutes at the same time. Copy what you typed, then reload."
            ),
        )
        return render(request, "meetings/_autosave_status.html", context, status=409)
    except PermissionDeniedError as exc:
        raise PermissionDenied(exc.message) from exc
    except ApplicationError as exc:
        context.update(state="error", message=exc.message)
        return render(request, "meetings/_autosave_status.html", context, status=exc.status_code)
    context.update(state="saved", version=saved.minutes_version, saved_at=timezone.localtime())
    return render(request, "meetings/_autosave_status.html", context)
