"""What the meeting's e-mails carry besides their text: the calendar invitation (.ics) as
a ``text/calendar`` part on the notice, every update and the cancellation, so a calendar
program adds, moves or removes the meeting without anyone opening a link."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType

from crossdesk.notify.attachments import MailAttachment
from crossdesk.notify.models import Notification

from .models import Meeting
from .selectors import invitation_of

# The events of meetings.services that tell invitees a time: notice, update, cancellation.
INVITATION_EVENTS = ("meeting.notice", "meeting.updated", "meeting.cancelled")


def invitation_attachment(notification: Notification) -> MailAttachment | None:
    if notification.subject_type_id != ContentType.objects.get_for_model(Meeting).pk:
        return None
    meeting = (
        Meeting.objects.select_related("initiator", "recorder").filter(pk=notification.subject_id).first()
    )
    if meeting is None or meeting.notice_sent_at is None or meeting.starts_at is None:
        return None
    invitation = invitation_of(meeting, base_url=settings.CROSSDESK_BASE_URL)
    return MailAttachment(
        filename=invitation.filename,
        content=invitation.text,
        subtype="calendar",
        params=(("method", invitation.method),),
    )
