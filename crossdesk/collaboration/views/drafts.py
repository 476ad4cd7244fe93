"""Raising a request: the form of the paper template, saved as a draft, autosaved while
typing, then submitted."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from crossdesk.collaboration import permissions, selectors, services
from crossdesk.collaboration.choices import RequestStatus, RequestType, Urgency
from crossdesk.collaboration.forms import AttachForm, RequestForm
from crossdesk.collaboration.forms.request import NewRequestForm
from crossdesk.collaboration.models import Request
from crossdesk.core.errors import (
    ApplicationError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    TransitionError,
)
from crossdesk.core.forms import show_error
from crossdesk.core.records.views import html_errors
from crossdesk.org.selectors import Roles, department_choices, primary_department_id, roles_for


def _own_departments(roles: Roles, primary: int | None) -> list[tuple[int, str]]:
    own = sorted(roles.member_of, key=lambda pk: (pk != primary, roles.department_names.get(pk, "")))
    return [(pk, roles.department_names.get(pk, str(pk))) for pk in own]


def _form(roles: Roles, data=None, *, initial=None, primary=None, files=None, new=False) -> RequestForm:
    form_class = NewRequestForm if new else RequestForm
    return form_class(
        data,
        files if data is not None else None,
        initial=initial,
        own_departments=_own_departments(roles, primary),
        departments=department_choices(),
    )


def _with_version(form: RequestForm, version: int) -> None:
    """Keep what was typed, but carry the draft's new version for the next save."""
    data = form.data.copy()
    data["version"] = str(version)
    form.data = data


def _render_form(request, form, *, roles, draft: Request | None, status: int = 200):
    context = {
        "form": form,
        "draft": draft,
        "initiator": draft.initiator if draft else roles.person,
        "attachments": list(draft.attachments.select_related("uploaded_by")) if draft else [],
        "attach_form": AttachForm() if draft else None,
        "can_raise": bool(roles.member_of),
    }
    return render(request, "collaboration/form.html", context, status=status)


def _submit(request, draft: Request, form: RequestForm, roles: Roles):
    """Submit after saving; on a refusal show it next to its field, keeping the text."""
    try:
        submitted = services.request_submit(actor=request.user, request_id=draft.pk, version=draft.version)
    except (PermissionDeniedError, NotFoundError):
        raise
    except ApplicationError as exc:
        show_error(form, exc)
        _with_version(form, draft.version)
        return _render_form(request, form, roles=roles, draft=draft, status=exc.status_code)
    messages.success(
        request,
        _("Submitted as %(number)s. The departments that must act have been told.")
        % {"number": submitted.number},
    )
    return redirect("collaboration:detail", pk=submitted.pk)


@require_http_methods(["GET", "POST"])
@html_errors
def request_new(request):
    """A blank form; the first save creates the draft and moves on to its edit page."""
    roles = roles_for(request.user)
    primary = primary_department_id(roles.person)
    initial = {
        "initiating_department": primary,
        "initiator_phone": roles.person.phone if roles.person else "",
        "urgency": Urgency.NORMAL,
        "type": RequestType.COLLABORATION,
    }
    form = _form(roles, request.POST or None, initial=initial, primary=primary, files=request.FILES, new=True)
    if request.method == "POST" and form.is_valid():
        try:
            draft = services.request_create_draft(
                actor=request.user, data=form.service_data(), uploads=form.cleaned_data.get("uploads") or []
            )
        except ApplicationError as exc:
            show_error(form, exc)
        else:
            if "submit_now" in request.POST:
                return _submit(request, draft, form, roles)
            messages.success(
                request, _("Draft saved. It is kept while you type; submit it when it is complete.")
            )
            return redirect("collaboration:edit", pk=draft.pk)
    return _render_form(request, form, roles=roles, draft=None, status=400 if form.errors else 200)


def _editable_draft(request, pk: int) -> tuple[Request, Roles]:
    roles = roles_for(request.user)
    draft = selectors.request_get_for_viewer(roles=roles, pk=pk)
    if "edit" not in permissions.request_actions(roles, draft, list(draft.parts.all())):
        if draft.status != RequestStatus.DRAFT:
            raise TransitionError(_("Only a draft can be edited."))
        raise PermissionDenied(_("Only the initiator can do this."))
    return draft, roles


@require_http_methods(["GET", "POST"])
@html_errors
def request_edit(request, pk):
    """Edit a draft; "提交" saves and submits in one go."""
    try:
        draft, roles = _editable_draft(request, pk)
    except TransitionError as exc:
        messages.info(request, exc.message)
        return redirect("collaboration:detail", pk=pk)
    primary = draft.initiating_department_id
    if request.method == "GET":
        form = _form(roles, initial=RequestForm.initial_for(draft), primary=primary)
        return _render_form(request, form, roles=roles, draft=draft)
    form = _form(roles, request.POST, primary=primary)
    if not form.is_valid():
        return _render_form(request, form, roles=roles, draft=draft, status=400)
    try:
        draft = services.request_update_draft(
            actor=request.user, request_id=pk, data=form.service_data(), version=form.cleaned_data["version"]
        )
    except (ConflictError, TransitionError) as exc:
        form.add_error(None, exc.message)
        return _render_form(request, form, roles=roles, draft=draft, status=409)
    except (PermissionDeniedError, NotFoundError):
        raise
    except ApplicationError as exc:
        show_error(form, exc)
        return _render_form(request, form, roles=roles, draft=draft, status=400)
    if "submit_now" in request.POST:
        return _submit(request, draft, form, roles)
    messages.success(request, _("Draft saved."))
    return redirect("collaboration:edit", pk=draft.pk)


@require_POST
@html_errors
def request_autosave(request, pk):
    """The edit form posts itself here while people type. Answers with a small status and
    the draft's new version; refuses (409) to overwrite a newer save made elsewhere."""
    roles = roles_for(request.user)
    draft = selectors.request_get_for_viewer(roles=roles, pk=pk)
    form = _form(roles, request.POST, primary=draft.initiating_department_id)
    context = {"draft": draft, "version": draft.version}
    if not form.is_valid():
        field, errors = next(iter(form.errors.items()))
        label = form.fields[field].label if field in form.fields else ""
        context.update(state="error", message=f"{label}：{errors[0]}" if label else errors[0])
        return render(request, "collaboration/_autosave_status.html", context, status=400)
    try:
        # Without a version the save could overwrite a newer one unseen: treat it as stale.
        saved = services.request_update_draft(
            actor=request.user,
            request_id=pk,
            data=form.service_data(),
            version=form.cleaned_data["version"] or 0,
        )
    except ConflictError:
        context.update(
            state="conflict", message=_("Someone else changed this draft at the same time. Reload the page.")
        )
        return render(request, "collaboration/_autosave_status.html", context, status=409)
    except ApplicationError as exc:
        context.update(state="error", message=exc.message)
        return render(request, "collaboration/_autosave_status.html", context, status=exc.status_code)
    context.update(state="saved", version=saved.version, saved_at=timezone.localtime())
    return render(request, "collaboration/_autosave_status.html", context)
