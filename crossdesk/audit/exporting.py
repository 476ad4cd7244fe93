"""The audit page's rows as .xlsx: exactly the filtered rows, newest first, written by the
one export of every list (``core.exporting``)."""

from __future__ import annotations

import json

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from crossdesk.core.errors import ApplicationError
from crossdesk.core.exporting import DATETIME_SECONDS_FORMAT, Column, xlsx_bytes

from .models import AuditEvent

# A workbook past this many rows is no longer read by a person; narrow the filter instead.
MAX_EXPORT_ROWS = 100_000

EXPORT_COLUMNS = (
    Column(_lazy("When"), lambda e: e.timestamp, 19, DATETIME_SECONDS_FORMAT),
    Column(_lazy("Who"), lambda e: e.actor_name, 14),
    Column(_lazy("Action"), lambda e: e.get_action_display(), 8),
    Column(_lazy("Via"), lambda e: e.get_via_display(), 8),
    Column(_lazy("Record type"), lambda e: e.object_type, 22),
    Column(_lazy("Record id"), lambda e: e.object_id, 10),
    Column(_lazy("Record"), lambda e: e.object_repr, 30),
    Column(_lazy("Changes"), lambda e: json.dumps(e.changes or {}, ensure_ascii=False, default=str), 50),
    Column(_lazy("Reason"), lambda e: e.reason, 24),
)


def events_xlsx(rows: QuerySet[AuditEvent]) -> bytes:
    if rows[MAX_EXPORT_ROWS : MAX_EXPORT_ROWS + 1].exists():
        raise ApplicationError(
            _("More than %(n)d rows match: narrow the filter (a record, a person or fewer days).")
            % {"n": MAX_EXPORT_ROWS},
            field="from",
        )
    return xlsx_bytes(_("Audit trail"), EXPORT_COLUMNS, rows.iterator(chunk_size=2000))
