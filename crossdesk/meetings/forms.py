"""Forms of the meeting pages. They only collect input; the services decide and name the
field they refuse, which the views show next to it (``show_error``)."""

from __future__ import annotations

from datetime import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crossdesk.core.forms import ActionForm, BootstrapMixin, PickField, datetime_local, text_field, textarea

from .choices import ActionStatus, MeetingKind


class MultiPickField(forms.TypedMultipleChoiceField):
    """Several ids whose choices come from the page; the service checks them."""

    def __init__(self, **kwargs):
        kwargs.setdefault("coerce", int)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def valid_value(self, value) -> bool:
        return str(value).isdigit()


def _combine(day, moment):
    if day is None or moment is None:
        return None
    return timezone.make_aware(datetime.combine(day, moment))


class MeetingForm(BootstrapMixin, forms.Form):
    """The notice part of 跨部门沟通协调记录表 [001]: basic information, participants,
    recorder, background, goal and agenda. Anything may be missing in a draft."""

    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    title = forms.CharField(label=_("Subject"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=MeetingKind.choices)
    date = forms.DateField(
        label=_("Date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    start_time = forms.TimeField(
        label=_("Start time"), required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    end_time = forms.TimeField(
        label=_("End time"), required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    place = text_field(_("Place"), 200, example=_("e.g. Meeting room 1, 3rd floor"))
    online_platform = text_field(_("Online platform"), 100, example=_("e.g. Tencent Meeting"))
    online_meeting_id = forms.CharField(label=_("Meeting ID"), max_length=100, required=False)
    online_link = forms.CharField(label=_("Meeting link"), max_length=500, required=False)
    departments = MultiPickField(label=_("Participating departments"), widget=forms.CheckboxSelectMultiple)
    people = MultiPickField(label=_("Invitees"))
    recorder = PickField(label=_("Recorder"), required=False)
    background = forms.CharField(label=_("Background"), max_length=5000, required=False, widget=textarea(4))
    goal = text_field(_("Goal (expected outcome)"), 5000, rows=3)
    agenda = text_field(
        _("Agenda"),
        rows=4,
        example=_("One topic a line, e.g. 1. Cause of the problem"),
        help_text=_("One topic a line."),
    )
    related_matter = forms.CharField(label=_("Related project or matter"), max_length=200, required=False)
    late_reason = text_field(_("Reason for the late notice"), 2000, rows=2)

    # The fields the meeting stores as typed (the service takes them, the form shows them).
    AS_STORED = (
        "title",
        "kind",
        "place",
        "online_platform",
        "online_meeting_id",
        "online_link",
        "background",
        "goal",
        "related_matter",
    )
    # The service names its fields; the form shows them on these.
    SERVICE_FIELDS = {
        "starts_at": "start_time",
        "ends_at": "end_time",
        "participants": "departments",
        "recorder": "recorder",
    }

    def show_error(self, error) -> None:
        field = error.field or ""
        base = field.split("[")[0].split(".")[0]
        target = self.SERVICE_FIELDS.get(base, base)
        self.add_error(target if target in self.fields else None, error.message)

    def __init__(self, *args, departments=(), people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departments"].choices = list(departments)
        self.fields["recorder"].choices = [("", "—"), *people]

    def service_data(self, members_of: dict[int, int], initiating_department: int, initiator: int) -> dict:
        """``members_of`` maps a person to the department they are invited for."""
        d = self.cleaned_data
        starts = _combine(d["date"], d["start_time"])
        ends = _combine(d["date"], d["end_time"])
        agenda = [{"topic": line.strip()} for line in (d["agenda"] or "").splitlines() if line.strip()]
        chosen = [initiating_department, *[pk for pk in d["departments"] if pk != initiating_department]]
        participants = []
        for department in chosen:
            people = [p for p in d["people"] if members_of.get(p) == department]
            if department == initiating_department and initiator not in people:
                people.insert(0, initiator)
            representative = (
                initiator if department == initiating_department else (people[0] if people else None)
            )
            participants.append(
                {"department": department, "people": people, "representative": representative}
            )
        data = {name: d[name] for name in self.AS_STORED}
        data.update(starts_at=starts, ends_at=ends, agenda=agenda, participants=participants)
        if d["recorder"]:
            data["recorder"] = d["recorder"]
        return data

    @classmethod
    def initial_for(cls, meeting) -> dict:
        start = timezone.localtime(meeting.starts_at) if meeting.starts_at else None
        end = timezone.localtime(meeting.ends_at) if meeting.ends_at else None
        parts = list(meeting.departments.all())
        return {
            **{name: getattr(meeting, name) for name in (*cls.AS_STORED, "version")},
            "date": start.date() if start else None,
            "start_time": start.time() if start else None,
            "end_time": end.time() if end else None,
            "departments": [p.department_id for p in parts if not p.is_initiating],
            "people": list(meeting.invitees.values_list("person_id", flat=True)),
            "recorder": meeting.recorder_id,
            "agenda": "\n".join(item.get("topic", "") for item in meeting.agenda),
        }


# --- the small forms of the meeting page -----------------------------------------------


class SendNoticeForm(ActionForm):
    submit_label = _("Send the notice")
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    late_reason = text_field(
        _("Reason for the late notice"),
        2000,
        rows=2,
        help_text=_("Needed when the notice is sent less than 3 working days before the meeting."),
    )


class RescheduleForm(ActionForm):
    submit_label = _("Reschedule")
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    starts_at = forms.DateTimeField(label=_("New start"), required=False, widget=datetime_local())
    ends_at = forms.DateTimeField(label=_("New end"), required=False, widget=datetime_local())
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=textarea(2))


class CancelForm(ActionForm):
    submit_label = _("Cancel the meeting")
    danger = True
    confirm = _("Cancel this meeting? Everyone invited is told and receives a calendar cancellation.")
    reason = forms.CharField(label=_("Reason for cancelling"), max_length=2000, widget=textarea(2))


class MarkHeldForm(ActionForm):
    submit_label = _("Mark as held")


class CirculateForm(ActionForm):
    submit_label = _("Circulate the minutes")
    minutes_version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    note = text_field(_("What changed (optional)"), 2000, rows=2)


class ReviseForm(ActionForm):
    submit_label = _("Revise the minutes")


class AttachForm(ActionForm):
    submit_label = _("Upload")
    file = forms.FileField(label=_("File"))


class ArchiveForm(ActionForm):
    submit_label = _("Archive")
    danger = True
    confirm = _("Archive this meeting? It becomes read-only and is kept for 2 years.")


class ConfirmMinutesForm(ActionForm):
    submit_label = _("Confirm the minutes")


class ObjectForm(ActionForm):
    submit_label = _("Send the objection")
    text = text_field(_("What is wrong and how it should read"), 5000, rows=3, required=True)


class SignForm(ActionForm):
    submit_label = _("Sign")
    confirm = _("Sign the final minutes for your department?")


MEETING_FORMS: dict[str, type[ActionForm]] = {
    "send_notice": SendNoticeForm,
    "reschedule": RescheduleForm,
    "cancel": CancelForm,
    "mark_held": MarkHeldForm,
    "circulate": CirculateForm,
    "revise": ReviseForm,
    "attach": AttachForm,
    "archive": ArchiveForm,
}
PART_FORMS: dict[str, type[ActionForm]] = {
    "confirm": ConfirmMinutesForm,
    "object": ObjectForm,
    "sign": SignForm,
}


class ItemStatusForm(ActionForm):
    submit_label = _("Report progress")
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            (ActionStatus.IN_PROGRESS, ActionStatus.IN_PROGRESS.label),
            (ActionStatus.DELAYED, ActionStatus.DELAYED.label),
        ],
    )
    note = text_field(_("Progress"), 5000, rows=2)
    reason = text_field(_("Reason for the delay"), 2000, rows=2)
    new_due_at = forms.DateTimeField(
        label=_("New deadline (if agreed)"), required=False, widget=datetime_local()
    )


class ItemCompleteForm(ActionForm):
    submit_label = _("Report completion")
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    result = forms.CharField(label=_("Result"), max_length=5000, widget=textarea(2))
    completed_at = forms.DateTimeField(label=_("Finished at"), required=False, widget=datetime_local())


ITEM_FORMS: dict[str, type[ActionForm]] = {"update_status": ItemStatusForm, "complete": ItemCompleteForm}


class RequestItemForm(ActionForm):
    """An action item raised on a collaboration request."""

    submit_label = _("Create the action item")
    action = forms.CharField(label=_("Action"), max_length=500)
    owner = PickField(label=_("Owner"), source="people")
    due_at = forms.DateTimeField(label=_("Deadline"), widget=datetime_local())
    support_needed = forms.CharField(label=_("Support needed"), max_length=2000, required=False)
    support_department = PickField(label=_("Support from"), required=False, source="departments")


ACTION_BUTTONS = {
    "edit": (_("Edit"), "pencil"),
    "send_notice": (_("Send the notice"), "send"),
    "reschedule": (_("Reschedule"), "calendar2-week"),
    "cancel": (_("Cancel the meeting"), "x-circle"),
    "mark_held": (_("Mark as held"), "check2-circle"),
    "write_minutes": (_("Write the minutes"), "journal-text"),
    "circulate": (_("Circulate the minutes"), "send-check"),
    "revise": (_("Revise the minutes"), "pencil-square"),
    "attach": (_("Add materials"), "paperclip"),
    "archive": (_("Archive"), "archive"),
    "confirm": (_("Confirm the minutes"), "check2"),
    "object": (_("Object"), "exclamation-octagon"),
    "sign": (_("Sign"), "pen"),
    "update_status": (_("Report progress"), "graph-up"),
    "complete": (_("Report completion"), "check2-all"),
}
ACTION_ORDER = list(ACTION_BUTTONS)
