"""Kinds and states of coordination meetings, their minutes and action items (SPEC §4 [001][002])."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from crossdesk.core.records import Machine


class MeetingKind(models.TextChoices):
    KICKOFF = "kickoff", _("Kickoff meeting")
    REGULAR = "regular", _("Regular sync")
    SPECIAL = "special", _("Special coordination meeting")
    REVIEW = "review", _("Review meeting")
    RETROSPECTIVE = "retrospective", _("Retrospective")


class MeetingStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    NOTIFIED = "notified", _("Scheduled")
    HELD = "held", _("Held")
    MINUTES_DRAFTING = "minutes_drafting", _("Minutes being written")
    CIRCULATED = "circulated", _("Minutes circulated")
    OBJECTED = "objected", _("Objections raised")
    REVISING = "revising", _("Minutes being revised")
    CONFIRMED = "confirmed", _("Minutes confirmed")
    SIGNED = "signed", _("Signed")
    ARCHIVED = "archived", _("Archived")
    CANCELLED = "cancelled", _("Cancelled")


# The one map of moves a meeting may make (SPEC §4): the notice, the meeting, the minutes'
# circulation with objections and revisions, confirmation, the heads' sign-off, the archive.
TRANSITIONS: dict[str, set[str]] = {
    MeetingStatus.DRAFT: {MeetingStatus.NOTIFIED, MeetingStatus.CANCELLED},
    MeetingStatus.NOTIFIED: {MeetingStatus.HELD, MeetingStatus.CANCELLED},
    MeetingStatus.HELD: {MeetingStatus.MINUTES_DRAFTING, MeetingStatus.CIRCULATED},
    MeetingStatus.MINUTES_DRAFTING: {MeetingStatus.CIRCULATED},
    MeetingStatus.CIRCULATED: {MeetingStatus.OBJECTED, MeetingStatus.CONFIRMED},
    MeetingStatus.OBJECTED: {MeetingStatus.REVISING},
    MeetingStatus.REVISING: {MeetingStatus.CIRCULATED},
    MeetingStatus.CONFIRMED: {MeetingStatus.SIGNED},
    MeetingStatus.SIGNED: {MeetingStatus.ARCHIVED},
    MeetingStatus.CANCELLED: {MeetingStatus.ARCHIVED},
    MeetingStatus.ARCHIVED: set(),
}

# The recorder may write the minutes from the moment the meeting is scheduled (live during
# the meeting) until they are circulated, and again while revising them.
MINUTES_EDITABLE = (
    MeetingStatus.NOTIFIED,
    MeetingStatus.HELD,
    MeetingStatus.MINUTES_DRAFTING,
    MeetingStatus.REVISING,
)
CIRCULABLE = (MeetingStatus.HELD, MeetingStatus.MINUTES_DRAFTING, MeetingStatus.REVISING)
# Confirmations and objections are taken on the circulated version, also after a first
# objection, until the recorder starts revising.
RESPONDABLE = (MeetingStatus.CIRCULATED, MeetingStatus.OBJECTED)
CLOSED = (MeetingStatus.ARCHIVED, MeetingStatus.CANCELLED)


class NextStep(models.TextChoices):
    """What happens to a disagreement [001]."""

    EVALUATE = "evaluate", _("Evaluate further")
    NEXT_MEETING = "next_meeting", _("Discuss at the next meeting")


class ResponseKind(models.TextChoices):
    CONFIRM = "confirm", _("Confirmed")
    OBJECT = "object", _("Objection")


class EventKind(models.TextChoices):
    TRANSITION = "transition", _("Status change")
    NOTICE = "notice", _("Notice sent")
    UPDATE = "update", _("Meeting changed")
    CANCELLATION = "cancellation", _("Cancellation sent")
    CIRCULATION = "circulation", _("Minutes circulated")
    CONFIRMATION = "confirmation", _("Minutes confirmed")
    OBJECTION = "objection", _("Objection")
    SIGNATURE = "signature", _("Sign-off")
    MATERIAL = "material", _("Material added")


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", pgettext_lazy("action item status", "In progress")
    DELAYED = "delayed", _("Delayed")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_ACTION_STATUSES = (ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS, ActionStatus.DELAYED)

# What the owner may report; done is reached by reporting completion.
ACTION_TRANSITIONS: dict[str, set[str]] = {
    **{
        status: {ActionStatus.IN_PROGRESS, ActionStatus.DELAYED, ActionStatus.DONE, ActionStatus.CANCELLED}
        for status in OPEN_ACTION_STATUSES
    },
    ActionStatus.DONE: set(),
    ActionStatus.CANCELLED: set(),
}


class ActionEventKind(models.TextChoices):
    CREATED = "created", _("Created")
    ACTIVATED = "activated", _("Tracking started")
    STATUS = "status", _("Status update")
    DUE_CHANGED = "due_changed", _("Deadline changed")
    COMPLETED = "completed", _("Completion reported")
    CANCELLED = "cancelled", _("Cancelled")
    EDITED = "edited", _("Edited in the minutes")


MEETING_MACHINE = Machine(
    TRANSITIONS,
    MeetingStatus,
    history="meetings.MeetingEvent",
    refusal=_("A meeting that is “%(old)s” cannot become “%(new)s”."),
)
ACTION_MACHINE = Machine(
    ACTION_TRANSITIONS,
    ActionStatus,
    history="meetings.ActionItemUpdate",
    refusal=_("This action item cannot become “%(new)s”."),
    transition_kind=ActionEventKind.STATUS,
)
