"""The audit trail: one immutable row per change of a record or of configuration.

The row is django-auditlog's ``AbstractLogEntry`` (content type, object id, action, JSON
``changes`` as ``{"field": [old, new]}``, actor, timestamp) plus what SPEC's audit asks
beyond it: ``via`` (page, API, import, admin, system), ``actor_label`` (the system and its
reason when no person acted) and ``reason`` (why, where given). docs/decisions.md says why
this library.
"""

from __future__ import annotations

from auditlog.models import AbstractLogEntry, LogEntryManager
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Via(models.TextChoices):
    PAGE = "page", _("page")
    API = "api", _("API")
    IMPORT = "import", _("import")
    ADMIN = "admin", _("admin")
    SYSTEM = "system", _("system")


class AuditEventQuerySet(models.QuerySet):
    """Audit rows are never edited; only the retention purge (``audit.services.events_purge``)
    deletes them, through :meth:`purge`."""

    def update(self, **kwargs):
        raise ValueError("Audit rows cannot be changed.")

    def delete(self):
        raise ValueError("Audit rows cannot be deleted; the retention purge removes old ones.")

    def purge(self) -> int:
        """Delete these rows without the guard: for the retention purge only."""
        return models.QuerySet.delete(self)[0]


class AuditEventManager(LogEntryManager.from_queryset(AuditEventQuerySet)):  # type: ignore[misc]  # built at run time
    """auditlog's manager (``log_create``, ``get_for_object``) over the guarded queryset."""


class AuditEvent(AbstractLogEntry):
    """One change of one row: who (``actor``, else ``actor_label``), when (``timestamp``),
    what (``action`` and ``changes``: ``{"field": [old, new]}``), via what and why.

    Written in the transaction of the change (auditlog's signals, or the bulk helpers of
    ``audit.services``); never edited; deleted only by the retention purge. Indexes: one
    record's history is ``(content_type, object_id, timestamp)``; the administrator's list
    and the purge read ``timestamp``; the actor filter uses the actor's foreign-key index.
    auditlog's other single-column indexes (object_pk, object_id, action, cid) are dropped:
    nothing here filters on them alone, and each costs every write (bench/README.md).
    """

    content_type = models.ForeignKey(
        "contenttypes.ContentType",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("record type"),
        db_index=False,  # the leading column of the record index below
    )
    object_pk = models.CharField(max_length=255, verbose_name=_("object pk"))
    object_id = models.BigIntegerField(blank=True, null=True, verbose_name=_("object id"))
    action = models.PositiveSmallIntegerField(
        choices=AbstractLogEntry.Action.choices, verbose_name=_("action")
    )
    # PROTECT: deleting a login would rewrite who did what; people who leave are deactivated.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        blank=True,
        null=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    # auditlog stores None when a change has no correlation id.
    cid = models.CharField(max_length=255, blank=True, null=True, verbose_name=_("correlation id"))  # noqa: DJ001
    via = models.CharField(_("via"), max_length=10, choices=Via.choices, default=Via.SYSTEM)
    actor_label = models.CharField(_("actor (system)"), max_length=200, blank=True)
    reason = models.CharField(_("reason"), max_length=500, blank=True)

    objects = AuditEventManager()

    class Meta(AbstractLogEntry.Meta):
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-timestamp", "-id"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "timestamp"], name="audit_event_record"),
        ]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Audit rows cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Audit rows cannot be deleted; the retention purge removes old ones.")

    @property
    def object_type(self) -> str:
        return f"{self.content_type.app_label}.{self.content_type.model}"

    @property
    def actor_name(self) -> str:
        """The person (their name) or the system with its reason."""
        if self.actor_id is not None:
            return self.actor.display_name
        return self.actor_label or str(_("System"))

    @property
    def action_name(self) -> str:
        return ACTION_NAMES.get(self.action, str(self.action))


ACTION_NAMES = {
    AbstractLogEntry.Action.CREATE: "create",
    AbstractLogEntry.Action.UPDATE: "update",
    AbstractLogEntry.Action.DELETE: "delete",
    AbstractLogEntry.Action.ACCESS: "access",
}
