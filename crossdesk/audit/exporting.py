"""The audit page's rows as .xlsx: exactly the filtered rows, newest first."""

from __future__ import annotations

import io
import json

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from crossdesk.core.errors import ApplicationError

from .models import AuditEvent

# A workbook past this many rows is no longer read by a person; narrow the filter instead.
MAX_EXPORT_ROWS = 100_000


def headers() -> list[str]:
    return [
        _("When"),
        _("Who"),
        _("Action"),
        _("Via"),
        _("Record type"),
        _("Record id"),
        _("Record"),
        _("Changes"),
        _("Reason"),
    ]


def row_of(event: AuditEvent) -> list:
    return [
        timezone.localtime(event.timestamp).replace(tzinfo=None),
        event.actor_name,
        event.get_action_display(),
        event.get_via_display(),
        event.object_type,
        event.object_id,
        event.object_repr,
        json.dumps(event.changes or {}, ensure_ascii=False, default=str),
        event.reason,
    ]


def events_xlsx(rows: QuerySet[AuditEvent]) -> bytes:
    if rows[MAX_EXPORT_ROWS : MAX_EXPORT_ROWS + 1].exists():
        raise ApplicationError(
            _("More than %(n)d rows match: narrow the filter (a record, a person or fewer days).")
            % {"n": MAX_EXPORT_ROWS},
            field="from",
        )
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Audit trail"))
    sheet.append(headers())
    for event in rows.iterator(chunk_size=2000):
        sheet.append(row_of(event))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
