"""Archived records are read-only and kept until ``retain_until`` (SPEC §6, [000][001][004]).

The guard sits in the models, so every path is covered: services, the Django admin
(its change form, its delete view and its bulk delete), ``QuerySet.update()`` /
``delete()`` and deletes cascading from a parent. A record type's model mixes in
:class:`ArchivedRecord`; its attachments, history and sign-off rows mix in
:class:`ArchiveChild` and name the path to the record in ``archive_owner`` (or the
paths to the records it may belong to, one of which it does).
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models
from django.db.models.signals import pre_delete, pre_save
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class ArchiveError(ValueError):
    """A write to an archived record, or a delete before its retention period ends."""


def _refuse_update() -> ArchiveError:
    return ArchiveError(_("This record is archived and read-only."))


def _refuse_delete(until) -> ArchiveError:
    return ArchiveError(
        _("This record is archived and kept until %(day)s; it cannot be deleted before then.")
        % {"day": until.isoformat() if until else "—"}
    )


def _is_kept(retain_until) -> bool:
    return retain_until is None or retain_until >= timezone.localdate()


def owner_paths(model: Any) -> tuple[str, ...]:
    """The lookup paths from ``model`` to its archivable record(s): ``("",)`` for the record
    itself, one path for most children, several for a row with one of several owners."""
    owner = getattr(model, "archive_owner", "")
    return (owner,) if isinstance(owner, str) else tuple(owner)


def _field(path: str, name: str) -> str:
    return f"{path}__{name}" if path else name


class GuardedQuerySet(models.QuerySet):
    """Bulk ``update()`` and ``delete()`` refuse archived rows like a single save or delete."""

    def _archived(self, *, kept: bool = False) -> models.QuerySet:
        """The rows whose record is archived (and, with ``kept``, still within retention)."""
        today = timezone.localdate()
        archived = models.Q()
        for path in owner_paths(self.model):
            one = models.Q(**{_field(path, "archived_at__isnull"): False})
            if kept:
                one &= models.Q(**{_field(path, "retain_until__isnull"): True}) | models.Q(
                    **{_field(path, "retain_until__gte"): today}
                )
            archived |= one
        return self.filter(archived)

    def update(self, **kwargs: Any) -> int:
        if issubclass(self.model, ArchivedRecord) and set(kwargs) <= set(self.model.archive_writable):
            return super().update(**kwargs)
        if self._archived().exists():
            raise _refuse_update()
        return super().update(**kwargs)

    def delete(self):
        kept = self._archived(kept=True).values_list(
            *(_field(path, "retain_until") for path in owner_paths(self.model))
        )
        for untils in kept[:1]:
            raise _refuse_delete(next((until for until in untils if until), None))
        return super().delete()


class ArchivedRecord(models.Model):
    """A record that can be archived: ``archived_at`` set means read-only for good, and no
    delete while ``retain_until`` has not passed."""

    # Fields the system may still write after archiving (none by default).
    archive_writable: ClassVar[tuple[str, ...]] = ()

    archive_owner: ClassVar[str] = ""

    archived_at = models.DateTimeField(gettext_lazy("archived at"), null=True, blank=True)
    retain_until = models.DateField(gettext_lazy("retain until"), null=True, blank=True)

    objects = GuardedQuerySet.as_manager()

    class Meta:
        abstract = True

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._archived_when_loaded = getattr(instance, "archived_at", None) is not None
        return instance

    def archive_record(self) -> ArchivedRecord:
        return self

    def delete(self, *args: Any, **kwargs: Any):
        """Refuse before Django collects the rows to cascade to (a protected child would
        otherwise answer first with a ``ProtectedError`` instead of the archive's refusal)."""
        if self.pk is not None:
            guard_delete(type(self), self)
        return super().delete(*args, **kwargs)


class ArchiveChild(models.Model):
    """A row that belongs to an archivable record: attachments, history, sign-offs, parts.
    ``archive_owner`` is the lookup path to the record (e.g. "request", "task__project"), or
    a tuple of paths when the row belongs to one of several records (an action item: its
    meeting or its request); the guard then follows whichever it has."""

    archive_owner: ClassVar[str | tuple[str, ...]] = ""

    objects = GuardedQuerySet.as_manager()

    class Meta:
        abstract = True

    def archive_record(self) -> Any:
        for path in owner_paths(self):
            record: Any = self
            for name in path.split("__"):
                record = getattr(record, name, None)
                if record is None:
                    break
            if record is not None:
                return record
        return None


def _owner_state(instance: models.Model) -> tuple[bool, Any]:
    """(archived, retain_until) of the record ``instance`` belongs to, read from the database
    (a stale copy in memory must not decide)."""
    model: Any = type(instance)
    paths = ("",) if isinstance(instance, ArchivedRecord) else owner_paths(model)
    names = [_field(path, name) for path in paths for name in ("archived_at", "retain_until")]
    row = model._base_manager.filter(pk=instance.pk).values_list(*names).first() or ()
    for archived_at, retain_until in zip(row[::2], row[1::2], strict=True):
        if archived_at is not None:
            return True, retain_until
    return False, None


def guard_save(sender, instance, raw=False, update_fields=None, **kwargs) -> None:
    if raw or instance.pk is None or instance._state.adding:
        return
    if isinstance(instance, ArchivedRecord):
        if not getattr(instance, "_archived_when_loaded", False):
            return
        if update_fields is not None and set(update_fields) <= set(type(instance).archive_writable):
            return
        raise _refuse_update()
    archived, _until = _owner_state(instance)
    if archived:
        raise _refuse_update()


def guard_delete(sender, instance, **kwargs) -> None:
    archived, until = _owner_state(instance)
    if archived and _is_kept(until):
        raise _refuse_delete(until)


def connect_guards(models_to_guard) -> None:
    """Connect the save and delete guards to every concrete archivable model (core's ready())."""
    for model in models_to_guard:
        if model._meta.abstract or not issubclass(model, ArchivedRecord | ArchiveChild):
            continue
        pre_save.connect(guard_save, sender=model, dispatch_uid=f"archive-save-{model._meta.label}")
        pre_delete.connect(guard_delete, sender=model, dispatch_uid=f"archive-delete-{model._meta.label}")
