"""Demo knowledge base: the resolutions worth keeping, published through the real service by
the people who may publish them (a liaison of the solving department, the project's lead,
the head of a meeting's initiating department), each a few hours after its source closed;
then opened and found helpful by colleagues, so "most useful first" has an order."""

from __future__ import annotations

import random
import re
from datetime import timedelta

from django.utils import timezone

from crossdesk.collaboration.choices import PartRole, RequestStatus
from crossdesk.collaboration.models import Request
from crossdesk.core.errors import ApplicationError
from crossdesk.knowledge import services
from crossdesk.knowledge.models import Entry
from crossdesk.meetings.choices import MeetingStatus
from crossdesk.meetings.models import Meeting
from crossdesk.org.models import Person
from crossdesk.projects.models import Lesson

from .replay import frozen_now

REQUEST_ENTRIES = 10
MEETING_ENTRIES = 3
CLOSED = (RequestStatus.CONFIRMED, RequestStatus.SIGNED, RequestStatus.ARCHIVED)
# Order numbers, years and quarters tell apart the demo's cases of one kind: one entry a kind.
CASE_NUMBER = re.compile(r"(?:\d{4}年|Q[1-4]|\d+)")


def demo_knowledge_exists() -> bool:
    return Entry.objects.exists()


def case_kind(title: str) -> str:
    return CASE_NUMBER.sub("", title).strip() or title


def publish(actor, source_type: str, source_id: int, when, data: dict | None = None) -> Entry | None:
    moment = min(when, timezone.now())
    try:
        with frozen_now(moment):
            return services.entry_publish(
                actor=actor.user, source_type=source_type, source_id=source_id, data=data or {}
            )
    except ApplicationError:  # a source the demo's story left unpublishable: no entry
        return None


def publisher_of(request: Request) -> Person | None:
    for part in request.parts.all():
        if part.role == PartRole.RECEIVING and part.resolution.strip():
            return part.liaison or part.department.default_liaison
    return None


def create_demo_knowledge(stdout=None) -> int:
    """Publish the demo's entries; returns how many were published."""
    rng = random.Random(20261204)
    entries: list[Entry] = []
    seen: set[str] = set()
    requests = (
        Request.objects.filter(status__in=CLOSED, confirmed_at__isnull=False)
        .select_related("initiating_department")
        .prefetch_related("parts__liaison__user", "parts__department__default_liaison__user")
        .order_by("confirmed_at")
    )
    for request in requests:
        kind = case_kind(request.title)
        publisher = publisher_of(request)
        if kind in seen or publisher is None or publisher.user is None:
            continue
        entry = publish(
            publisher,
            "collaboration.request",
            request.pk,
            request.confirmed_at + timedelta(hours=rng.uniform(2, 30)),
        )
        if entry is not None:
            seen.add(kind)
            entries.append(entry)
        if len(entries) >= REQUEST_ENTRIES:
            break
    lessons = Lesson.objects.filter(published_at__isnull=False, project__isnull=False).select_related(
        "project__lead__user"
    )
    for lesson in lessons:
        if lesson.project.lead and lesson.project.lead.user:
            entry = publish(
                lesson.project.lead, "projects.lesson", lesson.pk, lesson.published_at + timedelta(hours=4)
            )
            if entry is not None:
                entries.append(entry)
    meetings = (
        Meeting.objects.filter(status__in=(MeetingStatus.SIGNED, MeetingStatus.ARCHIVED))
        .exclude(consensus=[])
        .exclude(related_matter__startswith="XM-")  # a project's own meetings: its lessons say it
        .select_related("initiating_department__head__user")
        .order_by("starts_at")
    )
    published_meetings = 0
    for meeting in meetings:
        head = meeting.initiating_department.head
        kind = case_kind(meeting.title)
        if published_meetings >= MEETING_ENTRIES or kind in seen or head is None or head.user is None:
            continue
        closed = (meeting.ends_at or meeting.starts_at) + timedelta(days=2)
        entry = publish(head, "meetings.meeting", meeting.pk, closed)
        if entry is not None:
            seen.add(kind)
            published_meetings += 1
            entries.append(entry)
    readers = list(Person.objects.filter(is_active=True, user__isnull=False).select_related("user")[:80])
    for entry in entries:
        for reader in rng.sample(readers, k=min(len(readers), rng.randint(0, 6))):
            try:
                services.entry_mark_helpful(actor=reader.user, entry_id=entry.pk)
            except ApplicationError:  # a confidential entry this colleague may not see
                continue
        for _ in range(rng.randint(3, 40)):
            services.entry_count_view(entry_id=entry.pk)
    return len(entries)
