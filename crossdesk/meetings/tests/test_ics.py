"""Calendar invitations (RFC 5545) written by hand."""

from datetime import timedelta

import pytest
import time_machine

from crossdesk.core.errors import NotFoundError, TransitionError
from crossdesk.meetings import services
from crossdesk.meetings.ics import escape_text, fold
from crossdesk.meetings.selectors import meeting_invitation
from crossdesk.org.selectors import roles_for

from . import factories
from .factories import at

pytestmark = pytest.mark.django_db


def lines_of(text: str) -> list[str]:
    """Unfolded content lines."""
    assert text.endswith("\r\n")
    return text.replace("\r\n ", "").split("\r\n")[:-1]


def value(text: str, name: str) -> str:
    found = [line for line in lines_of(text) if line.split(":", 1)[0].split(";", 1)[0] == name]
    assert len(found) == 1, (name, found)
    return found[0].split(":", 1)[1]


@pytest.fixture
def noticed(personas):
    with time_machine.travel(at(2026, 9, 29, 17, 0), tick=False):
        meeting = factories.draft(personas, starts_at=at(2026, 10, 9, 10, 0))
        return services.meeting_send_notice(actor=personas.mkt_staff.user, meeting_id=meeting.pk)


def invitation_for(person, meeting, moment=None) -> str:
    with time_machine.travel(moment or at(2026, 9, 30, 9, 0), tick=False):
        return meeting_invitation(roles=roles_for(person.user), pk=meeting.pk).text


class TestTheInvitation:
    def test_it_is_a_request_with_the_meetings_time_place_and_people(self, personas, noticed):
        text = invitation_for(personas.cs_liaison, noticed)
        assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
        assert "\n" not in text.replace("\r\n", "")
        assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
        assert value(text, "METHOD") == "REQUEST" and value(text, "VERSION") == "2.0"
        assert "BEGIN:VTIMEZONE\r\nTZID:Asia/Shanghai\r\n" in text
        assert value(text, "UID") == f"{noticed.uid}@crossdesk"
        assert value(text, "SEQUENCE") == "0"
        assert value(text, "DTSTAMP") == "20260930T010000Z"
        assert "DTSTART;TZID=Asia/Shanghai:20261009T100000" in lines_of(text)
        assert "DTEND;TZID=Asia/Shanghai:20261009T113000" in lines_of(text)
        assert value(text, "SUMMARY") == "[2026-MKT-001] C产品响应速度问题专项沟通会"
        assert value(text, "LOCATION") == "3楼第一会议室"
        assert value(text, "STATUS") == "CONFIRMED"
        assert "问题原因分析" in value(text, "DESCRIPTION")
        organizer = next(line for line in lines_of(text) if line.startswith("ORGANIZER"))
        assert organizer == f'ORGANIZER;CN="张伟":mailto:{personas.mkt_staff.email}'
        attendees = [line for line in lines_of(text) if line.startswith("ATTENDEE")]
        assert len(attendees) == 4  # 张伟, 孙丽 (MKT); 李娜, 赵磊 (CS)
        assert any('CN="李娜";ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION' in line for line in attendees)

    def test_an_update_keeps_the_uid_and_raises_the_sequence(self, personas, noticed):
        before = invitation_for(personas.cs_liaison, noticed)
        with time_machine.travel(at(2026, 9, 30, 10, 0), tick=False):
            services.meeting_reschedule(
                actor=personas.mkt_staff.user,
                meeting_id=noticed.pk,
                reason="客服部经理出差",
                starts_at=at(2026, 10, 12, 14, 0),
                ends_at=at(2026, 10, 12, 15, 0),
            )
        after = invitation_for(personas.cs_liaison, noticed, at(2026, 9, 30, 10, 1))
        assert value(after, "UID") == value(before, "UID")
        assert value(after, "SEQUENCE") == "1" and value(after, "METHOD") == "REQUEST"
        assert "DTSTART;TZID=Asia/Shanghai:20261012T140000" in lines_of(after)

    def test_a_cancellation_uses_method_cancel_and_status_cancelled(self, personas, noticed):
        with time_machine.travel(at(2026, 9, 30, 10, 0), tick=False):
            services.meeting_reschedule(
                actor=personas.mkt_staff.user, meeting_id=noticed.pk, reason="换会议室", place="5楼大会议室"
            )
            services.meeting_cancel(actor=personas.mkt_staff.user, meeting_id=noticed.pk, reason="需求已撤回")
        text = invitation_for(personas.cs_liaison, noticed, at(2026, 9, 30, 11, 0))
        assert value(text, "METHOD") == "CANCEL" and value(text, "STATUS") == "CANCELLED"
        assert value(text, "SEQUENCE") == "2" and value(text, "UID") == f"{noticed.uid}@crossdesk"

    def test_a_draft_has_no_invitation_and_an_outsider_sees_none(self, personas, noticed):
        draft = factories.draft(personas)
        with pytest.raises(TransitionError):
            meeting_invitation(roles=roles_for(personas.mkt_staff.user), pk=draft.pk)
        with pytest.raises(NotFoundError):
            meeting_invitation(roles=roles_for(personas.outsider.user), pk=noticed.pk)

    def test_text_is_escaped_and_long_lines_are_folded_whole_characters(self, personas):
        with time_machine.travel(at(2026, 9, 29, 17, 0), tick=False):
            meeting = factories.draft(
                personas,
                starts_at=at(2026, 10, 9, 10, 0),
                title="预算; 分配, 协调\\会",
                goal="明确各部门预算分配方案。" * 12 + "\n第二行",
                online_platform="腾讯会议",
                online_link="https://meeting.tencent.com/dm/abc,def",
            )
            services.meeting_send_notice(actor=personas.mkt_staff.user, meeting_id=meeting.pk)
        text = invitation_for(personas.cs_liaison, meeting)
        assert value(text, "SUMMARY").endswith("预算\\; 分配\\, 协调\\\\会")
        description = value(text, "DESCRIPTION")
        assert "\\n第二行" in description and "abc\\,def" in description
        physical = text.split("\r\n")
        assert any(line.startswith(" ") for line in physical)
        assert all(len(line.encode()) <= 75 for line in physical)


def test_escape_text_escapes_backslash_semicolon_comma_and_newlines():
    assert escape_text("a,b;c\\d\ne\r\nf") == "a\\,b\\;c\\\\d\\ne\\nf"


def test_folding_never_splits_a_character_and_unfolds_to_the_original():
    line = "DESCRIPTION:" + "跨部门沟通协调记录" * 20
    folded = fold(line)
    chunks = folded.split("\r\n")
    assert len(chunks) > 1
    assert len(chunks[0].encode()) <= 75 and all(
        len(c.encode()) <= 75 and c.startswith(" ") for c in chunks[1:]
    )
    assert folded.replace("\r\n ", "") == line
    assert fold("SHORT:ok") == "SHORT:ok"


def test_the_time_zone_is_asia_shanghai_whatever_the_input_zone(personas):
    from datetime import UTC

    with time_machine.travel(at(2026, 9, 29, 17, 0), tick=False):
        meeting = factories.draft(personas, starts_at=at(2026, 10, 9, 10, 0).astimezone(UTC))
        meeting = services.meeting_send_notice(actor=personas.mkt_staff.user, meeting_id=meeting.pk)
    text = invitation_for(personas.mkt_staff, meeting)
    assert "DTSTART;TZID=Asia/Shanghai:20261009T100000" in lines_of(text)
    assert meeting.ends_at - meeting.starts_at == timedelta(minutes=90)
