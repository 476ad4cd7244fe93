"""Forms of the meeting pages. They only collect input; the services decide and name the
field they refuse, which the views show next to it (``show_error``)."""

from __future__ import annotations

from datetime import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crossdesk.core.forms import (
    ActionForm,
    BootstrapMixin,
    MultiPickField,
    PickField,
    action_form,
    datetime_local,
    hidden_field,
    text_field,
)

from .choices import ActionStatus, MeetingKind


def _combine(day, moment):
    if day is None or moment is None:
        return None
    return timezone.make_aware(datetime.combine(day, moment))


def _time_field(label) -> forms.TimeField:
    return forms.TimeField(label=label, required=False, widget=forms.TimeInput({"type": "time"}, "%H:%M"))


class MeetingForm(BootstrapMixin, forms.Form):
    """The notice part of 跨部门沟通协调记录表 [001]: basic information, participants,
    recorder, background, goal and agenda. Anything may be missing in a draft."""

    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    title = text_field(_("Subject"), 200)
    kind = forms.ChoiceField(label=_("Kind"), choices=MeetingKind.choices)
    date = forms.DateField(
        label=_("Date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    start_time = _time_field(_("Start time"))
    end_time = _time_field(_("End time"))
    place = text_field(_("Place"), 200, example=_("e.g. Meeting room 1, 3rd floor"))
    online_platform = text_field(_("Online platform"), 100, example=_("e.g. Tencent Meeting"))
    online_meeting_id = text_field(_("Meeting ID"), 100)
    online_link = text_field(_("Meeting link"), 500)
    departments = MultiPickField(label=_("Participating departments"), widget=forms.CheckboxSelectMultiple)
    people = MultiPickField(label=_("Invitees"))
    recorder = PickField(label=_("Recorder"), required=False)
    background = text_field(_("Background"), 5000, rows=4)
    goal = text_field(_("Goal (expected outcome)"), 5000, rows=3)
    agenda = text_field(
        _("Agenda"),
        rows=4,
        example=_("One topic a line, e.g. 1. Cause of the problem"),
        help_text=_("One topic a line."),
    )
    related_matter = text_field(_("Related project or matter"), 200)
    confidential = forms.BooleanField(
        label=_("Confidential"),
        required=False,
        help_text=_("Only the people named in it and the heads and supervisors of its departments see it."),
    )
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
        "confidential",
    )
    # The service names its fields; the form shows them on these.
    SERVICE_FIELDS = {
        "starts_at": "start_time",
        "ends_at": "end_time",
        "participants": "departments",
        "recorder": "recorder",
    }

    def show_error(self, error) -> None:
        for field, message in (error.problems or {error.field or "": error.message}).items():
            base = field.split("[")[0].split(".")[0]
            target = self.SERVICE_FIELDS.get(base, base)
            self.add_error(target if target in self.fields else None, message)

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

MEETING_FORMS: dict[str, type[ActionForm]] = {
    "send_notice": action_form(
        "SendNoticeForm",
        submit_label=_("Send the notice"),
        version=hidden_field(),
        late_reason=text_field(
            _("Reason for the late notice"),
            2000,
            rows=2,
            help_text=_("Needed when the notice is sent less than 3 working days before the meeting."),
        ),
    ),
    "reschedule": action_form(
        "RescheduleForm",
        submit_label=_("Reschedule"),
        version=hidden_field(),
        starts_at=forms.DateTimeField(label=_("New start"), required=False, widget=datetime_local()),
        ends_at=forms.DateTimeField(label=_("New end"), required=False, widget=datetime_local()),
        place=text_field(_("Place"), 200),
        reason=text_field(_("Reason"), 2000, rows=2, required=True),
    ),
    "cancel": action_form(
        "CancelForm",
        submit_label=_("Cancel the meeting"),
        danger=True,
        confirm=_("Cancel this meeting? Everyone invited is told and receives a calendar cancellation."),
        reason=text_field(_("Reason for cancelling"), 2000, rows=2, required=True),
    ),
    "mark_held": action_form("MarkHeldForm", submit_label=_("Mark as held")),
    "circulate": action_form(
        "CirculateForm",
        submit_label=_("Circulate the minutes"),
        minutes_version=hidden_field(),
        note=text_field(_("What changed (optional)"), 2000, rows=2),
    ),
    "revise": action_form("ReviseForm", submit_label=_("Revise the minutes")),
    "attach": action_form("AttachForm", submit_label=_("Upload"), file=forms.FileField(label=_("File"))),
    "archive": action_form(
        "ArchiveForm",
        submit_label=_("Archive"),
        danger=True,
        confirm=_("Archive this meeting? It becomes read-only and is kept for 2 years."),
    ),
}
PART_FORMS: dict[str, type[ActionForm]] = {
    "confirm": action_form("ConfirmMinutesForm", submit_label=_("Confirm the minutes")),
    "object": action_form(
        "ObjectForm",
        submit_label=_("Send the objection"),
        text=text_field(_("What is wrong and how it should read"), 5000, rows=3, required=True),
    ),
    "sign": action_form(
        "SignForm", submit_label=_("Sign"), confirm=_("Sign the final minutes for your department?")
    ),
}
DELAY_CHOICES = [(s, s.label) for s in (ActionStatus.IN_PROGRESS, ActionStatus.DELAYED)]
ITEM_FORMS: dict[str, type[ActionForm]] = {
    "update_status": action_form(
        "ItemStatusForm",
        submit_label=_("Report progress"),
        version=hidden_field(),
        status=forms.ChoiceField(label=_("Status"), choices=DELAY_CHOICES),
        note=text_field(_("Progress"), 5000, rows=2),
        reason=text_field(_("Reason for the delay"), 2000, rows=2),
        new_due_at=forms.DateTimeField(
            label=_("New deadline (if agreed)"), required=False, widget=datetime_local()
        ),
    ),
    "complete": action_form(
        "ItemCompleteForm",
        submit_label=_("Report completion"),
        version=hidden_field(),
        result=text_field(_("Result"), 5000, rows=2, required=True),
        completed_at=forms.DateTimeField(label=_("Finished at"), required=False, widget=datetime_local()),
    ),
}
RequestItemForm = action_form(
    "RequestItemForm",
    __doc__="An action item raised on a collaboration request.",
    submit_label=_("Create the action item"),
    action=text_field(_("Action"), 500, required=True),
    owner=PickField(label=_("Owner"), source="people"),
    due_at=forms.DateTimeField(label=_("Deadline"), widget=datetime_local()),
    support_needed=text_field(_("Support needed"), 2000),
    support_department=PickField(label=_("Support from"), required=False, source="departments"),
)

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
