"""One history row shape for every record type (SPEC §6 audit; CONVENTIONS habit 4).

Timelines, deadlines, reports and the archive read these rows instead of re-deriving
the past from the present. A subclass adds the foreign key to its record (named by
``owner_field``) and the choices of ``kind``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any, ClassVar

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crossdesk.core.models import AppendOnly

from .actors import Actor, actor_label, is_system, person_of_actor


def plain(value: Any) -> Any:
    """A value as history data stores it (dates and moments as ISO text, decimals as text,
    model instances as their id)."""
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple | set):
        return [plain(v) for v in value]
    return value


def recorder(obj: Any, changes: dict) -> Callable[[str, Any], None]:
    """``put(name, value)`` for an edit: sets ``obj.name`` and notes ``{name: [old, new]}``
    (as :func:`plain` values, for the history row) in ``changes`` when the value differs."""

    def put(name: str, value: Any) -> None:
        old = getattr(obj, name)
        if old != value:
            changes[name] = [plain(old), plain(value)]
            setattr(obj, name, value)

    return put


class HistoryEntry(AppendOnly):
    """An append-only history row: what happened (``kind``), when, by whom (a person, or
    the system with its reason in ``actor_label``), the status move if any, a text and data."""

    owner_field: ClassVar[str] = ""

    kind = models.CharField(_("kind"), max_length=20)
    at = models.DateTimeField(_("time"), default=timezone.now)
    author = models.ForeignKey(
        "org.Person", verbose_name=_("by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(_("on behalf of"), max_length=100, blank=True)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    content = models.TextField(_("content"), blank=True)
    data = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)

    # A status code → its label; a record type's history shows its statuses in words.
    status_labels: ClassVar[Mapping[str, Any]] = {}

    class Meta:
        abstract = True
        ordering = ["at", "id"]

    def __str__(self) -> str:
        get_kind_display = getattr(self, "get_kind_display", lambda: self.kind)
        return f"{get_kind_display()} {self.at:%Y-%m-%d %H:%M}"

    @property
    def from_label(self) -> str:
        """The status it left, in words (``status_labels``: the record type's choices)."""
        return str(self.status_labels.get(self.from_status, self.from_status))

    @property
    def to_label(self) -> str:
        return str(self.status_labels.get(self.to_status, self.to_status))

    @property
    def who(self) -> str:
        """The person's name, or the system label."""
        if self.author_id and self.author is not None:
            return self.author.name
        return self.actor_label or str(_("System"))

    @classmethod
    def add(
        cls,
        owner: models.Model,
        kind: str,
        *,
        actor: Actor = None,
        author=None,
        content: str = "",
        from_status: str = "",
        to_status: str = "",
        data: dict | None = None,
        **extra: Any,
    ):
        """Write one row for ``owner`` in the caller's transaction.

        ``author`` (a Person) wins over ``actor`` (a login or a system actor)."""
        if author is None and actor is not None and not is_system(actor):
            author = person_of_actor(actor)
        return cls.objects.create(
            **{cls.owner_field: owner},
            kind=str(kind),
            at=timezone.now(),
            author=author,
            actor_label=actor_label(actor) if author is None and actor is not None else "",
            content=str(content or ""),
            from_status=str(from_status or ""),
            to_status=str(to_status or ""),
            data=plain(data) if data else {},
            **extra,
        )

    def archive_owner_record(self):
        return getattr(self, self.owner_field)
