"""Every write of the knowledge base: publishing an entry from its source, marking it
helpful, counting its views."""

from __future__ import annotations

import re
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from crossdesk.core.errors import ApplicationError, ConflictError, NotFoundError
from crossdesk.core.records import inputs
from crossdesk.org.models import Department
from crossdesk.org.selectors import department_ids, person_required

from .models import Entry, HelpfulMark
from .selectors import entry_draft_from, entry_for_source, entry_get_for_viewer

FIELDS = ("title", "problem", "solution", "departments", "tags")
MAX_TAGS = 10
TAG_LIMIT = 30
TEXT_LIMIT = 10000


def clean_tags(value: Any) -> list[str]:
    """Tags from a comma list ("物流, 仓库"; Chinese commas and 、 too) or a JSON list."""
    if value is None or value == "":
        return []
    if isinstance(value, str):
        items = re.split(r"[,，、;；\n]", value)
    elif isinstance(value, list | tuple):
        items = []
        for item in value:
            if not isinstance(item, str | int):
                raise ApplicationError(_("Each tag must be a word."), field="tags")
            items.append(str(item))
    else:
        raise ApplicationError(_("Give the tags as a comma list or a list of words."), field="tags")
    tags: list[str] = []
    for item in items:
        tag = item.strip().lstrip("#")
        if not tag:
            continue
        if len(tag) > TAG_LIMIT:
            raise ApplicationError(_("A tag has at most %(n)d characters.") % {"n": TAG_LIMIT}, field="tags")
        if tag not in tags:
            tags.append(tag)
    if len(tags) > MAX_TAGS:
        raise ApplicationError(_("At most %(n)d tags.") % {"n": MAX_TAGS}, field="tags")
    return tags


def entry_clean(data: Any, *, defaults: dict[str, Any] | None = None) -> dict[str, Any]:
    """The entry's fields from what was sent over ``defaults`` (the draft), or a 400 naming
    the field; writes nothing, so the publish page can show its confirmation first."""
    data = inputs.known(data if data is not None else {}, FIELDS)
    values = {**(defaults or {}), **data}
    departments = values.get("departments") or []
    if isinstance(departments, str | int):
        departments = [departments]
    if not isinstance(departments, list | tuple):
        raise ApplicationError(_("Give the departments as a list."), field="departments")
    ids = department_ids(departments, field="departments")
    if Department.objects.filter(pk__in=ids).count() != len(set(ids)):
        raise ApplicationError(_("Unknown department."), field="departments")
    return {
        "title": inputs.text(values.get("title"), "title", 200, required=True, label=_("Title")),
        "problem": inputs.text(values.get("problem"), "problem", TEXT_LIMIT),
        "solution": inputs.text(
            values.get("solution"), "solution", TEXT_LIMIT, required=True, label=_("Solution")
        ),
        "departments": sorted(set(ids)),
        "tags": clean_tags(values.get("tags")),
    }


def already_published(entry: Entry) -> ConflictError:
    return ConflictError(
        _("This record is already in the knowledge base."), field="source_id", extra={"entry": entry.pk}
    )


def entry_publish(*, actor: Any, source_type: Any, source_id: Any, data: Any) -> Entry:
    """Publish the source (a confirmed request, a project lesson, a meeting's consensus) as an
    entry, its fields prefilled from the source and overridden by ``data``. Who may: see
    ``selectors.entry_draft_from``; one entry per source (409 for a second)."""
    person = person_required(actor)
    data = inputs.known(data if data is not None else {}, FIELDS)
    draft = entry_draft_from(source_type, source_id, actor)
    existing = entry_for_source(draft.source_type, draft.source_id)
    if existing is not None:
        raise already_published(existing)
    values = entry_clean(data, defaults=draft.initial())
    try:
        with transaction.atomic():
            entry = Entry.objects.create(
                title=values["title"],
                problem=values["problem"],
                solution=values["solution"],
                tags=values["tags"],
                tags_text="," + ",".join(values["tags"]) + "," if values["tags"] else "",
                source_type=draft.source_type,
                source_id=draft.source_id,
                source_url=draft.source_url,
                source_label=draft.source_label[:250],
                confidential=draft.confidential,
                scope_type=draft.scope_type,
                scope_id=draft.scope_id,
                published_by=person,
                published_at=timezone.now(),
            )
            entry.departments.set(values["departments"])
    except IntegrityError as exc:  # two people publishing the same source at once
        existing = entry_for_source(draft.source_type, draft.source_id)
        if existing is None:
            raise
        raise already_published(existing) from exc
    return entry


def entry_mark_helpful(*, actor: Any, entry_id: Any) -> tuple[Entry, bool]:
    """Mark the entry helpful for the actor, or take the mark back when they had marked it:
    once per person. Returns the entry and whether it is now marked."""
    person = person_required(actor)
    visible = entry_get_for_viewer(user=actor, pk=entry_id)
    with transaction.atomic():
        entry = Entry.objects.select_for_update().filter(pk=visible.pk).first()
        if entry is None:
            raise NotFoundError(_("No such knowledge base entry."))
        mark = HelpfulMark.objects.filter(entry=entry, person=person).first()
        if mark is not None:
            mark.delete()
            Entry.objects.filter(pk=entry.pk, helpful__gt=0).update(helpful=F("helpful") - 1)
            marked = False
        else:
            HelpfulMark.objects.create(entry=entry, person=person)
            Entry.objects.filter(pk=entry.pk).update(helpful=F("helpful") + 1)
            marked = True
        entry.refresh_from_db(fields=["helpful"])
    return entry, marked


def entry_count_view(*, entry_id: int) -> None:
    """One more opening of the entry's page (a counter, not audited)."""
    Entry.objects.filter(pk=entry_id).update(views=F("views") + 1)
