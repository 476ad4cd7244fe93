"""The meeting's e-mails carry its calendar invitation as a text/calendar part."""

from email import message_from_bytes, policy

import pytest
from django.core import mail

from crossdesk.meetings import services
from crossdesk.meetings.selectors import invitation_of
from crossdesk.notify.services import outbox_drain

from . import factories
from .test_ics import value

pytestmark = pytest.mark.django_db


def sent_to(person) -> list:
    """The messages ``person`` received, as parsed MIME (what a mail client reads)."""
    return [
        message_from_bytes(m.message().as_bytes(), policy=policy.default)
        for m in mail.outbox
        if person.email in m.to
    ]


def calendar_parts(message) -> list:
    return [part for part in message.walk() if part.get_content_type() == "text/calendar"]


def test_the_notice_carries_the_invitation_as_a_calendar_part(personas, settings):
    settings.CROSSDESK_BASE_URL = "https://crossdesk.example.cn"
    meeting = factories.notified(personas, starts_at=factories.at_ten(8))
    mail.outbox.clear()
    outbox_drain()
    [notice] = sent_to(personas.cs_liaison)
    [part] = calendar_parts(notice)
    assert part.get_param("method") == "REQUEST"
    assert part.get_content_disposition() == "attachment"
    assert part.get_filename() == f"{meeting.number}.ics"
    ics = part.get_content()
    assert value(ics, "UID") == f"{meeting.uid}@crossdesk" and value(ics, "SEQUENCE") == "0"
    assert value(ics, "SUMMARY") == f"[{meeting.number}] {meeting.title}"
    assert value(ics, "URL") == f"https://crossdesk.example.cn{meeting.get_absolute_url()}"
    # The same content as the download, built by the same function (only DTSTAMP differs).
    download = invitation_of(meeting, base_url="https://crossdesk.example.cn").text
    assert [line for line in ics.splitlines() if not line.startswith("DTSTAMP")] == [
        line for line in download.splitlines() if not line.startswith("DTSTAMP")
    ]
    # The link stays in the text for those whose mail client ignores the part.
    assert "/invite.ics" in notice.get_body(("plain",)).get_content()


def test_an_update_carries_the_next_sequence_and_a_cancellation_cancels(personas):
    meeting = factories.notified(personas, starts_at=factories.at_ten(8))
    services.meeting_reschedule(
        actor=personas.mkt_staff.user,
        meeting_id=meeting.pk,
        reason="会议室冲突",
        starts_at=factories.at_ten(9).isoformat(),
        ends_at=(factories.at_ten(9).replace(hour=11)).isoformat(),
    )
    mail.outbox.clear()
    outbox_drain()
    # Both leave after the move: each carries the meeting as it stands, sequence 1.
    messages = sent_to(personas.cs_liaison)
    assert len(messages) == 2
    assert [value(calendar_parts(m)[0].get_content(), "SEQUENCE") for m in messages] == ["1", "1"]
    services.meeting_cancel(actor=personas.mkt_staff.user, meeting_id=meeting.pk, reason="客户已撤回投诉")
    mail.outbox.clear()
    outbox_drain()
    [cancellation] = sent_to(personas.cs_liaison)
    [part] = calendar_parts(cancellation)
    assert part.get_param("method") == "CANCEL"
    assert value(part.get_content(), "METHOD") == "CANCEL" and value(part.get_content(), "SEQUENCE") == "2"


def test_other_e_mails_carry_no_calendar(personas):
    from crossdesk.collaboration.tests import factories as request_factories

    request_factories.submitted(personas)
    mail.outbox.clear()
    outbox_drain()
    assert mail.outbox
    assert not any(
        calendar_parts(message_from_bytes(m.message().as_bytes(), policy=policy.default)) for m in mail.outbox
    )
