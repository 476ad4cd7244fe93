"""Calendar invitations for meetings (RFC 5545), written by hand: no extra dependency.

One VEVENT per meeting. Its UID never changes; SEQUENCE is the meeting's ``sequence``,
raised by every update and by the cancellation, so calendar programs replace what they
have. METHOD is REQUEST for the notice and updates, CANCEL once the meeting is called off.
Lines end in CRLF and are folded at 75 octets without splitting a UTF-8 character.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from .choices import MeetingStatus
from .models import Meeting

CRLF = "\r\n"
TZID = "Asia/Shanghai"
ZONE = ZoneInfo(TZID)
PRODID = "-//Crossdesk//Coordination meetings//ZH"
LINE_OCTETS = 75

# China has kept UTC+8 without daylight saving since 1991: one STANDARD rule is exact.
VTIMEZONE = [
    "BEGIN:VTIMEZONE",
    f"TZID:{TZID}",
    "X-LIC-LOCATION:Asia/Shanghai",
    "BEGIN:STANDARD",
    "DTSTART:19700101T000000",
    "TZOFFSETFROM:+0800",
    "TZOFFSETTO:+0800",
    "TZNAME:CST",
    "END:STANDARD",
    "END:VTIMEZONE",
]


@dataclass(frozen=True)
class Attendee:
    name: str
    email: str = ""
    key: str = ""  # a stable id when there is no e-mail address
    chair: bool = False


def escape_text(value: str) -> str:
    """TEXT escaping (RFC 5545 §3.3.11): backslash, semicolon, comma and newlines."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def quote_param(value: str) -> str:
    """A parameter value in double quotes (may hold ``:;,``; DQUOTE and controls removed)."""
    cleaned = "".join(ch for ch in value if ch >= " " and ch != '"' and ch != "\x7f")
    return f'"{cleaned}"'


def fold(line: str) -> str:
    """Fold a content line into chunks of at most 75 octets (RFC 5545 §3.1); continuation
    lines start with one space. Multi-byte characters are never split."""
    if len(line.encode("utf-8")) <= LINE_OCTETS:
        return line
    chunks: list[str] = []
    current: list[str] = []
    size, limit = 0, LINE_OCTETS
    for ch in line:
        width = len(ch.encode("utf-8"))
        if size + width > limit:
            chunks.append("".join(current))
            current, size, limit = [], 0, LINE_OCTETS - 1
        current.append(ch)
        size += width
    chunks.append("".join(current))
    return (CRLF + " ").join(chunks)


def _local(moment: datetime) -> str:
    return moment.astimezone(ZONE).strftime("%Y%m%dT%H%M%S")


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _address(person: Attendee) -> str:
    if person.email:
        return f"mailto:{person.email}"
    return f"urn:crossdesk:person:{person.key or 'unknown'}"


def uid_for(meeting: Meeting) -> str:
    return f"{meeting.uid}@crossdesk"


def description_for(meeting: Meeting, url: str = "") -> str:
    lines: list[str] = []
    if meeting.goal:
        lines += [f"目标：{meeting.goal}", ""]
    if meeting.agenda:
        lines.append("议程：")
        for n, item in enumerate(meeting.agenda, start=1):
            line = f"{n}. {item.get('topic', '')}"
            if item.get("presenter"):
                line += f"（{item['presenter']}）"
            if item.get("duration"):
                line += f" {item['duration']} 分钟"
            lines.append(line)
    if meeting.online_link:
        lines += ["", f"会议链接：{meeting.online_link}"]
    if url:
        lines += ["", url]
    return "\n".join(lines).strip()


def invitation(
    meeting: Meeting,
    *,
    organizer: Attendee,
    attendees: Iterable[Attendee],
    dtstamp: datetime,
    url: str = "",
    method: str | None = None,
) -> str:
    """The VCALENDAR text of the meeting's invitation (REQUEST), or its cancellation (CANCEL)."""
    if meeting.starts_at is None or meeting.ends_at is None:
        raise ValueError("A meeting without a time has no invitation.")
    cancelled = meeting.status == MeetingStatus.CANCELLED
    method = method or ("CANCEL" if cancelled else "REQUEST")
    summary = f"[{meeting.number}] {meeting.title}" if meeting.number else meeting.title
    lines = [
        "BEGIN:VCALENDAR",
        f"PRODID:{PRODID}",
        "VERSION:2.0",
        "CALSCALE:GREGORIAN",
        f"METHOD:{method}",
        *VTIMEZONE,
        "BEGIN:VEVENT",
        f"UID:{uid_for(meeting)}",
        f"SEQUENCE:{meeting.sequence}",
        f"DTSTAMP:{_utc(dtstamp)}",
        f"DTSTART;TZID={TZID}:{_local(meeting.starts_at)}",
        f"DTEND;TZID={TZID}:{_local(meeting.ends_at)}",
        f"SUMMARY:{escape_text(summary)}",
    ]
    if meeting.location_text:
        lines.append(f"LOCATION:{escape_text(meeting.location_text)}")
    description = description_for(meeting, url)
    if description:
        lines.append(f"DESCRIPTION:{escape_text(description)}")
    if url.startswith(("http://", "https://")):
        lines.append(f"URL:{url}")
    lines.append(f"STATUS:{'CANCELLED' if method == 'CANCEL' else 'CONFIRMED'}")
    lines.append(f"ORGANIZER;CN={quote_param(organizer.name)}:{_address(organizer)}")
    for person in attendees:
        role = "CHAIR" if person.chair else "REQ-PARTICIPANT"
        partstat = "" if method == "CANCEL" else ";PARTSTAT=NEEDS-ACTION;RSVP=FALSE"
        lines.append(f"ATTENDEE;CN={quote_param(person.name)};ROLE={role}{partstat}:{_address(person)}")
    lines += ["END:VEVENT", "END:VCALENDAR"]
    return "".join(fold(line) + CRLF for line in lines)
