"""Reads of the audit trail, visibility built in: administrators see every row; anyone
else sees the history of a record they may open (the owning app's selector, through
``core.records.registry.may_see``), and otherwise nothing (404)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from crossdesk.core.errors import NotFoundError
from crossdesk.core.records.registry import may_see

from .filters import AuditFilter
from .models import AuditEvent

PAGE_SIZE = 50


def is_admin(user: Any) -> bool:
    """Administrators (SPEC §1) are the accounts allowed into the Django admin — the rule
    of ``org.selectors.is_org_admin``, which this app cannot import (org imports it)."""
    return bool(user is not None and user.is_authenticated and (user.is_staff or user.is_superuser))


def events_for_viewer(*, user: Any, filters: AuditFilter) -> QuerySet[AuditEvent]:
    """The filtered rows ``user`` may read; 404 when they may read none of them."""
    if is_admin(user):
        return filters.queryset()
    if filters.names_one_record and may_see(filters.object_type, user, filters.object_id):
        return filters.queryset()
    raise NotFoundError(_("Not found."))


@dataclass
class EventPage:
    items: list[AuditEvent]
    page: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.page > 1


def page_of(rows: QuerySet[AuditEvent], page: int, size: int = PAGE_SIZE) -> EventPage:
    """One page, newest first, without counting the whole table (at tens of millions of
    rows a count is a scan of an index): one row more than the page says whether another follows."""
    start = (page - 1) * size
    items = list(rows[start : start + size + 1])
    return EventPage(items=items[:size], page=page, has_next=len(items) > size)
