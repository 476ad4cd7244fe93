"""One POST view for every action on a request or a department's part. It only passes
the form's input to the service (``core.records.actions``); the service decides, and its
refusal is shown on the form (400 bad input, 409 wrong moment) or as Django's 403 / 404 page."""

from __future__ import annotations

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from crossdesk.collaboration import selectors, services
from crossdesk.collaboration.forms import ACTION_BUTTONS, ACTION_ORDER, PART_FORMS, REQUEST_FORMS
from crossdesk.collaboration.letters import ACCEPT_FIELDS as LETTER_FIELDS
from crossdesk.collaboration.models import RequestPart
from crossdesk.core.records import actions
from crossdesk.core.records.views import html_errors
from crossdesk.org.selectors import roles_for

from .detail import BUTTONS, action_url, render_detail, single_action_item

# The service behind each action, and the form fields it takes.
REQUEST_SERVICES = {
    "submit": (services.request_submit, actions.fields("version")),
    "cancel": (services.request_cancel, actions.fields("reason", "version")),
    "log": (
        services.request_log,
        actions.fields("content", "participants", "part_id", "is_first_contact", "corrects_id"),
    ),
    "attach": (services.attachment_add, actions.fields(upload="file")),
    "confirm": (services.request_confirm, actions.fields("satisfaction", "comment", "remarks")),
    "reopen": (services.request_reopen, actions.fields("reason")),
    "sign_initiator": (services.request_sign_initiator, {}),
    "archive": (services.request_archive, {}),
}
PART_SERVICES = {
    "name_liaison": (services.part_name_liaison, actions.fields(liaison_id="liaison")),
    "accept": (
        services.part_accept,
        actions.fields("committed_at", "note", *LETTER_FIELDS, liaison_id="liaison"),
    ),
    "decline": (services.part_decline, actions.fields("reason", "alternative")),
    "request_info": (services.part_request_info, actions.fields("question")),
    "provide_info": (services.part_provide_info, actions.fields("answer")),
    "resolve": (
        services.part_resolve,
        actions.fields("resolution", "completed_at", responsible_id="responsible"),
    ),
    "change_commitment": (services.part_change_commitment, actions.fields("committed_at", "reason")),
    "delay_reason": (services.part_record_delay_reason, actions.fields("reason")),
    "sign": (services.part_sign, {}),
    "revise_letter": (
        services.letter_revise,
        actions.fields("change_reason", *LETTER_FIELDS, liaison_id="liaison"),
    ),
    "sign_letter": (services.letter_sign, {}),
}


DONE = {
    "submit": _("Submitted. The departments that must act have been told."),
    "cancel": _("The request is cancelled."),
    "log": _("Added to the communication log; everyone involved is told."),
    "attach": _("File attached."),
    "confirm": _("Thank you. The heads are asked to sign."),
    "reopen": _("Reopened. The departments are back at work on it."),
    "sign_initiator": _("Signed."),
    "archive": _("Archived. It is read-only from now on."),
    "name_liaison": _("Liaison named."),
    "accept": _("Accepted. The initiator is told who the liaison is and when it will be done."),
    "decline": _("Declined. The initiator sees your reason and alternative."),
    "request_info": _("The initiator is asked; your deadlines pause until they answer."),
    "provide_info": _("Information sent; the department's deadlines run again."),
    "resolve": _("Result recorded."),
    "change_commitment": _("Committed date changed; everyone involved is told."),
    "delay_reason": _("Reason for the delay recorded."),
    "sign": _("Signed."),
    "revise_letter": _("New version of the letter sent; the earlier ones are kept."),
    "sign_letter": _("Letter signed."),
}


@require_POST
@html_errors
def request_action(request, pk, action):
    return _act(request, pk, action, None)


@require_POST
@html_errors
def part_action(request, pk, part_id, action):
    return _act(request, pk, action, part_id)


def _act(request, pk: int, action: str, part_id: int | None):
    form_class = (PART_FORMS if part_id is not None else REQUEST_FORMS).get(action)
    if form_class is None:
        raise Http404
    form = form_class(request.POST, request.FILES)
    outcome = actions.Outcome(status=400)
    if form.is_valid():
        fixed = {"actor": request.user, "request_id": pk} | (
            {"part_id": part_id} if part_id is not None else {}
        )
        table = PART_ACTIONS if part_id is not None else REQUEST_ACTIONS
        outcome = actions.run(
            request,
            form,
            lambda: table.call(action, form.cleaned_data, **fixed),
            done=DONE[action],
            url=actions.next_url(request, reverse("collaboration:detail", args=[pk])),
        )
        if outcome.response is not None:
            return outcome.response
    part = RequestPart(pk=part_id) if part_id is not None else None
    if request.htmx:
        roles = roles_for(request.user)
        page = selectors.request_page(roles=roles, pk=pk)
        part = next((p for p in page.parts if p.pk == part_id), None)
        if part_id is not None and part is None:
            raise Http404
        item = single_action_item(page, roles, action, part, form)
        return actions.form_again(request, item, outcome.status, r=page.request)
    bound = BUTTONS.button(action, action_url(pk, action, part), form, part, open=True)
    return render_detail(request, pk, bound=bound, error=outcome.error, status=outcome.status)


REQUEST_ACTIONS = actions.ActionSet(ACTION_BUTTONS, ACTION_ORDER, REQUEST_SERVICES, DONE)
PART_ACTIONS = actions.ActionSet(ACTION_BUTTONS, ACTION_ORDER, PART_SERVICES, DONE)
