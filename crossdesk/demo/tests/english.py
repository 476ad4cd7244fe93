"""What people read of the demo, looked through for English sentences (issue 14 §1)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from crossdesk.collaboration.models import Request, TimelineEntry
from crossdesk.deadlines.models import Clock, TimePolicy
from crossdesk.knowledge.models import Entry
from crossdesk.meetings.models import ActionItem, ActionItemUpdate, Meeting, MeetingEvent
from crossdesk.notify.models import Notification
from crossdesk.projects import models as pm
from crossdesk.search.documents import texts

# Two English words in a row make a sentence; codes (XM-2026-001, A9, Q3), names of
# products and e-mail addresses do not.
SENTENCE = re.compile(r"\b[A-Za-z]{2,}(?:[ ,'’:-]+[A-Za-z]{2,}){1,}\b")

READ = [
    (Notification, ("title", "body")),
    (TimelineEntry, ("content",)),
    (MeetingEvent, ("content",)),
    (ActionItemUpdate, ("content",)),
    (pm.ProjectEvent, ("content",)),
    (pm.TaskUpdate, ("content",)),
    (Clock, ("label",)),
    (TimePolicy, ("name",)),
    (Request, ("title", "background")),
    (Meeting, ("title", "background", "agenda")),
    (ActionItem, ("action",)),
    (pm.Project, ("name", "background")),
    (pm.Task, ("title",)),
    (Entry, ("title", "solution")),
]


def english_sentences(limit: int = 20) -> Iterator[tuple[str, str]]:
    """(model.field, text) of each stored text with an English sentence, at most ``limit``."""
    found = 0
    for model, fields in READ:
        for row in model.objects.values_list(*fields).iterator(chunk_size=2000):
            for field, value in zip(fields, row, strict=True):
                for text in texts(value):  # a JSON field's strings (agenda topics), not its keys
                    if SENTENCE.search(text):
                        yield f"{model._meta.label}.{field}", text[:160]
                        found += 1
                        if found >= limit:
                            return
