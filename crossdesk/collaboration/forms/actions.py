"""The small form of each action on a request or on a department's part. They only
collect input; the service behind each action decides and names the field it refuses."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crossdesk.core.forms import ActionForm, PickField, date_field, datetime_local, text_field, textarea


def people_field(label, *, help_text: str = "") -> PickField:
    """One of the department's members (the page's ``members``)."""
    return PickField(label=label, help_text=help_text, source="members")


class SubmitForm(ActionForm):
    submit_label = _("Submit")
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class CancelForm(ActionForm):
    submit_label = _("Cancel the request")
    danger = True
    confirm = _("Cancel this request? Every department involved is told and its deadlines stop.")
    reason = forms.CharField(label=_("Reason for cancelling"), widget=textarea(2))
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class LogForm(ActionForm):
    submit_label = _("Add to the log")
    content = text_field(
        _("What was discussed or agreed"),
        5000,
        rows=3,
        required=True,
        example=_("e.g. Phoned the liaison: the interface document will be ready on Friday."),
    )
    participants = text_field(
        _("Departments / people taking part"),
        500,
        example=_("e.g. Marketing: Zhang Wei; Customer service: Li Na"),
    )
    part_id = PickField(label=_("About the part of"), required=False)
    is_first_contact = forms.BooleanField(
        label=_("This was the first confirmation call or meeting with the liaison"), required=False
    )
    corrects_id = PickField(label=_("Corrects the entry"), required=False)

    def setup(self, *, parts=None, entries=None, is_initiator=None, **context):
        if parts is not None:
            self.fields["part_id"].choices = [("", _("The whole request"))] + [
                (p.pk, p.department.name) for p in parts
            ]
        if entries is not None:
            self.fields["corrects_id"].choices = [("", _("Nothing: a new entry"))] + [
                (e.pk, f"#{e.pk} {timezone.localtime(e.at):%m-%d %H:%M} {e.content[:30]}") for e in entries
            ]
        # Only the initiator records the first confirmation call (SPEC §3 [000]).
        if is_initiator is False:
            self.fields.pop("is_first_contact", None)


class AttachForm(ActionForm):
    submit_label = _("Upload")
    file = forms.FileField(label=_("File"), help_text=_("Documents or screenshots, at most 20 MB."))


SATISFACTION_CHOICES = [
    (5, _("5 — very satisfied")),
    (4, _("4 — satisfied")),
    (3, _("3 — acceptable")),
    (2, _("2 — dissatisfied")),
    (1, _("1 — very dissatisfied")),
]


class ConfirmForm(ActionForm):
    submit_label = _("Confirm and rate")
    satisfaction = forms.TypedChoiceField(
        label=_("Satisfaction"), coerce=int, choices=SATISFACTION_CHOICES, widget=forms.RadioSelect
    )
    comment = text_field(_("Comment on the rating"), rows=2)
    remarks = text_field(
        _("Remarks"),
        rows=2,
        example=_("Reasons if something is unfinished, or what still needs following up"),
    )


class ReopenForm(ActionForm):
    submit_label = _("Reopen")
    reason = forms.CharField(label=_("What is still missing"), widget=textarea(2))


class SignForm(ActionForm):
    submit_label = _("Sign")
    confirm = _("Sign for this request? Your signature records what it says now.")


class ArchiveForm(ActionForm):
    submit_label = _("Archive")
    danger = True
    confirm = _("Archive this request? It becomes read-only and is kept for at least two years.")


class NameLiaisonForm(ActionForm):
    submit_label = _("Name the liaison")
    liaison = people_field(_("Liaison"))


class LetterFields(ActionForm):
    """The 部门资源确认函 [004]: the liaison, what the department commits, first dates, risks.
    The service parses and checks every field (and names the one it refuses)."""

    liaison = people_field(_("Liaison"), help_text=_("The one person who coordinates this request."))
    liaison_contact = text_field(
        _("Liaison's contact"), 100, example=_("e.g. internal number 8021, WeCom zhangwei")
    )
    liaison_duties = text_field(
        _("Liaison's duties"),
        2000,
        rows=2,
        example=_("e.g. progress feedback, raising problems, coordinating our resources"),
    )
    people_names = text_field(_("People committed (names)"), 500, example=_("e.g. Wang Qiang, Li Ming"))
    people_count = forms.CharField(label=_("People committed (count)"), required=False)
    budget = forms.CharField(label=_("Budget committed (yuan)"), required=False)
    material = text_field(_("Material committed"), 500, example=_("e.g. two test servers"))
    resources_from = date_field(_("Resources from"))
    resources_to = date_field(_("Resources until"))
    milestones = text_field(
        _("First milestones"),
        rows=3,
        example=_("One per line: date, a space, what is reached — e.g. 2026-12-10 Interface agreed"),
    )
    risks = text_field(_("Risks"), 5000, rows=2)


class AcceptForm(LetterFields):
    submit_label = _("Accept and send the confirmation letter")
    heading = _("Resource confirmation letter")
    committed_at = forms.DateTimeField(label=_("Committed completion"), widget=datetime_local())
    note = text_field(_("Note"), rows=2)


class ReviseLetterForm(LetterFields):
    submit_label = _("Send the new version")
    heading = _("Change the committed resources")
    change_reason = forms.CharField(label=_("What changes and why"), widget=textarea(2))


class SignLetterForm(ActionForm):
    submit_label = _("Sign the letter")
    confirm = _("Sign this resource confirmation letter? Your signature records what it commits now.")


class DeclineForm(ActionForm):
    submit_label = _("Decline")
    danger = True
    reason = forms.CharField(label=_("Reason for declining"), widget=textarea(2))
    alternative = text_field(
        _("Proposed alternative"),
        rows=2,
        required=True,
        example=_("e.g. Ask the IT department, or wait until the system upgrade in May"),
    )


class RequestInfoForm(ActionForm):
    submit_label = _("Ask the initiator")
    question = forms.CharField(
        label=_("Information needed"),
        widget=textarea(2),
        help_text=_("Your deadlines pause until the initiator answers."),
    )


class ProvideInfoForm(ActionForm):
    submit_label = _("Send the information")
    answer = forms.CharField(label=_("Information"), widget=textarea(3))


class ResolveForm(ActionForm):
    submit_label = _("Record the result")
    resolution = text_field(
        _("Solution / collaboration content"),
        rows=3,
        required=True,
        example=_(
            "e.g. Data operations provides one template; every department submits by the 15th; "
            "data operations merges and reports back"
        ),
    )
    completed_at = forms.DateTimeField(label=_("Completion time"), required=False, widget=datetime_local())
    responsible = people_field(_("Responsible person"), help_text=_("One person, not a department."))

    def setup(self, **context):
        self.fields["completed_at"].initial = timezone.localtime().replace(second=0, microsecond=0)


class ChangeCommitmentForm(ActionForm):
    submit_label = _("Change the date")
    committed_at = forms.DateTimeField(label=_("New committed completion"), widget=datetime_local())
    reason = forms.CharField(label=_("Why the date changes"), widget=textarea(2))


class DelayReasonForm(ActionForm):
    submit_label = _("Record the reason")
    reason = forms.CharField(label=_("Reason for the delay"), widget=textarea(2))


REQUEST_FORMS: dict[str, type[ActionForm]] = {
    "submit": SubmitForm,
    "cancel": CancelForm,
    "log": LogForm,
    "attach": AttachForm,
    "confirm": ConfirmForm,
    "reopen": ReopenForm,
    "sign_initiator": SignForm,
    "archive": ArchiveForm,
}
PART_FORMS: dict[str, type[ActionForm]] = {
    "name_liaison": NameLiaisonForm,
    "accept": AcceptForm,
    "decline": DeclineForm,
    "request_info": RequestInfoForm,
    "provide_info": ProvideInfoForm,
    "resolve": ResolveForm,
    "change_commitment": ChangeCommitmentForm,
    "delay_reason": DelayReasonForm,
    "sign": SignForm,
    "revise_letter": ReviseLetterForm,
    "sign_letter": SignLetterForm,
}

# The buttons that open each form, as people read them on the page.
ACTION_BUTTONS = {
    "edit": (_("Edit the draft"), "pencil"),
    "submit": (_("Submit"), "send"),
    "cancel": (_("Cancel the request"), "x-circle"),
    "log": (_("Add to the log"), "chat-left-text"),
    "attach": (_("Attach a file"), "paperclip"),
    "confirm": (_("Confirm and rate"), "star"),
    "reopen": (_("Reopen"), "arrow-counterclockwise"),
    "sign_initiator": (_("Sign for the initiating department"), "pen"),
    "archive": (_("Archive"), "archive"),
    "name_liaison": (_("Name the liaison"), "person-check"),
    "accept": (_("Accept"), "check-circle"),
    "decline": (_("Decline"), "x-octagon"),
    "request_info": (_("Ask for information"), "question-circle"),
    "provide_info": (_("Provide the information"), "reply"),
    "resolve": (_("Record the result"), "check2-square"),
    "change_commitment": (_("Change the committed date"), "calendar-event"),
    "delay_reason": (_("Record a delay reason"), "hourglass-split"),
    "sign": (_("Sign for the department"), "pen"),
    "revise_letter": (_("Change the committed resources"), "file-earmark-diff"),
    "sign_letter": (_("Sign the resource confirmation letter"), "pen"),
}
# The order buttons appear in: the usual next step first, destructive ones last.
ACTION_ORDER = [
    "edit",
    "submit",
    "accept",
    "name_liaison",
    "resolve",
    "provide_info",
    "confirm",
    "sign_letter",
    "sign",
    "sign_initiator",
    "log",
    "attach",
    "request_info",
    "change_commitment",
    "revise_letter",
    "delay_reason",
    "reopen",
    "decline",
    "archive",
    "cancel",
]
