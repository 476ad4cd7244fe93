"""Writes of the audit trail that the library's signals cannot see, and its retention.

``QuerySet.update()``, ``bulk_create()`` and the organisation import's prepared statements
send no model signals, so the services that use them on an audited model call these
instead: the rows are written in the caller's transaction, with the same ``changes``
shape as auditlog's (``{"field": [old, new]}``) and the current context's actor and via.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from copy import copy
from datetime import timedelta
from typing import Any

from auditlog.diff import model_instance_diff
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.db import connections, models, transaction
from django.db.models.expressions import Combinable
from django.utils import timezone
from django.utils.encoding import smart_str

from . import context
from .models import AuditEvent
from .receivers import stamp
from .registration import is_audited

MIN_RETENTION_DAYS = 730
PURGE_BATCH = 10_000
WRITE_BATCH = 2_000


def _event(obj: models.Model, action: int, changes: dict, frame: context.Frame) -> AuditEvent:
    event = AuditEvent(
        content_type=ContentType.objects.get_for_model(type(obj)),
        object_pk=smart_str(obj.pk),
        object_id=obj.pk if isinstance(obj.pk, int) else None,
        object_repr=smart_str(obj)[:1000],
        action=action,
        changes=changes,
    )
    return stamp(event, frame)


def _write(events: list[AuditEvent], using: str = "default") -> None:
    """Insert the rows with one prepared statement run per row (``executemany``): for the
    tens of thousands of rows of an import, ``bulk_create``'s per-batch SQL compilation cost
    more than the inserts themselves (bench/README.md). No ids come back; none are needed."""
    if not events:
        return
    connection = connections[using]
    fields = [f for f in AuditEvent._meta.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(AuditEvent._meta.db_table),
        ", ".join(quote(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    rows = [[f.get_db_prep_save(f.pre_save(event, True), connection) for f in fields] for event in events]
    with connection.cursor() as cursor:
        for start in range(0, len(rows), WRITE_BATCH):
            cursor.executemany(sql, rows[start : start + WRITE_BATCH])


def audited_bulk_create(rows: models.Manager | models.QuerySet, objs: Iterable[models.Model]) -> list:
    """``rows.bulk_create(objs)`` (``rows`` a manager or queryset, e.g. ``X.objects`` or
    ``X.objects.using(db)``) with a create row for each; ids come back on PostgreSQL and
    SQLite, so each row names its object."""
    created = rows.bulk_create(list(objs))
    if is_audited(rows.model) and created:
        frame = context.current()
        events = []
        for obj in created:
            diff = model_instance_diff(None, obj, use_json_for_changes=True) or {}
            events.append(_event(obj, AuditEvent.Action.CREATE, diff, frame))
        _write(events, using=rows.db)
    return created


def audited_update(queryset: models.QuerySet, **values: Any) -> int:
    """``queryset.update(**values)`` with an update row for each row that changed. Meant
    for the small sets services update at once (a task's health, a retrospective's lessons)."""
    model = queryset.model
    if not is_audited(model):
        return queryset.update(**values)
    before = list(queryset)
    count = model._base_manager.filter(pk__in=[obj.pk for obj in before]).update(**values)
    if any(isinstance(value, Combinable) for value in values.values()):
        after = {obj.pk: obj for obj in model._base_manager.filter(pk__in=[obj.pk for obj in before])}
    else:
        after = {}
        for obj in before:
            changed = copy(obj)
            for name, value in values.items():
                setattr(changed, name, value)
            after[obj.pk] = changed
    frame = context.current()
    events = []
    for old in before:
        diff = model_instance_diff(
            old, after[old.pk], fields_to_check=list(values), use_json_for_changes=True
        )
        if diff:
            events.append(_event(after[old.pk], AuditEvent.Action.UPDATE, diff, frame))
    _write(events)
    return count


# --- many rows at once: the organisation import -------------------------------------------

Snapshot = Callable[[], dict[Any, dict[str, Any]]]


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return smart_str(value)


def values_snapshot(
    model: type[models.Model],
    fields: Sequence[str],
    *,
    label: str,
    related: dict[str, tuple[type[models.Model], str, str]] | None = None,
) -> Snapshot:
    """A snapshot of ``model``'s rows for :func:`audited_bulk`: ``fields`` per id, plus per
    name in ``related`` the sorted values of a link table (``(through, owner column, value
    column)``), so e.g. a department's supervisors show as one field."""

    def take() -> dict[Any, dict[str, Any]]:
        rows = {row.pop("id"): row for row in model._base_manager.values("id", *fields)}
        for row in rows.values():
            row["_repr"] = row.get(label)
        for name, (through, owner, value) in (related or {}).items():
            grouped = defaultdict(list)
            for owner_id, linked in through._base_manager.values_list(owner, value):
                grouped[owner_id].append(linked)
            for pk, row in rows.items():
                row[name] = sorted(grouped.get(pk, []))
        return rows

    return take


@contextmanager
def audited_bulk(
    tracked: Sequence[tuple[type[models.Model], Snapshot]], *, via: str, actor: Any, reason: str = ""
) -> Iterator[None]:
    """Audit what the block changes in ``tracked`` tables, written with statements that
    send no signals: each snapshot maps a row's id to its values before and after, and
    every row created, changed or deleted gets its row (per field old → new), in the
    block's transaction. One read of each table before and after (bench/README.md)."""
    before = [(model, snapshot()) for model, snapshot in tracked]
    with context.audit_context(via=via, actor=actor, reason=reason):
        yield
        frame = context.current()
    events: list[AuditEvent] = []
    for (model, snapshot), (_model, old_rows) in zip(tracked, before, strict=True):
        new_rows = snapshot()
        content_type = ContentType.objects.get_for_model(model)
        for pk in old_rows.keys() | new_rows.keys():
            old, new = old_rows.get(pk, {}), new_rows.get(pk, {})
            if old == new:
                continue
            if not old:
                action, changes = AuditEvent.Action.CREATE, {k: [None, _plain(v)] for k, v in new.items()}
            elif not new:
                action, changes = AuditEvent.Action.DELETE, {k: [_plain(v), None] for k, v in old.items()}
            else:
                action = AuditEvent.Action.UPDATE
                changes = {k: [_plain(old.get(k)), _plain(v)] for k, v in new.items() if old.get(k) != v}
            label = (new or old).get("_repr") or str(pk)
            changes.pop("_repr", None)
            events.append(
                stamp(
                    AuditEvent(
                        content_type=content_type,
                        object_pk=str(pk),
                        object_id=pk,
                        object_repr=str(label),
                        action=action,
                        changes=changes,
                    ),
                    frame,
                )
            )
    _write(events)


# --- retention ---------------------------------------------------------------------------


def retention_days() -> int:
    days = int(getattr(settings, "CROSSDESK_AUDIT_RETENTION_DAYS", MIN_RETENTION_DAYS))
    if days < MIN_RETENTION_DAYS:
        raise ImproperlyConfigured("CROSSDESK_AUDIT_RETENTION_DAYS must be at least 730 (two years).")
    return days


def events_purge(*, now=None, batch: int = PURGE_BATCH) -> int:
    """Delete audit rows older than the retention period (at least two years), a batch per
    transaction so the table is never locked for long. Returns how many went."""
    cutoff = (now or timezone.now()) - timedelta(days=retention_days())
    removed = 0
    while True:
        with transaction.atomic():
            ids = list(
                AuditEvent.objects.filter(timestamp__lt=cutoff)
                .order_by("timestamp")
                .values_list("id", flat=True)[:batch]
            )
            if not ids:
                return removed
            removed += AuditEvent.objects.filter(id__in=ids).purge()
