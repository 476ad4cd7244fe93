"""The one filter of the audit trail, shared by the page, the API and the export, so what
an administrator sees, what the API returns and what the workbook holds are the same rows.
Each bad value is a 400 naming its parameter."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from crossdesk.core.errors import ApplicationError
from crossdesk.core.filters import param_choice, param_date, param_int, param_text

from .models import AuditEvent, Via
from .registration import is_audited

SYSTEM_ACTOR = "system"


def content_type_of(object_type: str, field: str = "object_type") -> ContentType:
    """``"collaboration.request"`` → its content type; 400 unless it names an audited model."""
    try:
        model = apps.get_model(object_type)
    except (LookupError, ValueError):
        model = None
    if model is None or not is_audited(model):
        raise ApplicationError(
            _("%(param)s must name an audited record type as app_label.model, e.g. collaboration.request.")
            % {"param": field},
            field=field,
        )
    return ContentType.objects.get_for_model(model)


@dataclass(frozen=True)
class AuditFilter:
    object_type: str = ""
    object_id: int | None = None
    actor: str = ""  # a login's id, or "system"
    via: str = ""
    date_from: date | None = None
    date_to: date | None = None

    @classmethod
    def from_params(cls, params: Mapping) -> AuditFilter:
        object_type = param_text(params, "object_type").lower()
        if object_type:
            content_type_of(object_type)
        object_id = param_int(params, "object_id", 0, 1, None) or None
        if object_id and not object_type:
            raise ApplicationError(_("object_id needs object_type."), field="object_type")
        actor = param_text(params, "actor")
        if actor and actor != SYSTEM_ACTOR and not actor.isdigit():
            raise ApplicationError(_("actor must be a user id or “system”."), field="actor")
        date_from, date_to = param_date(params, "from"), param_date(params, "to")
        if date_from and date_to and date_to < date_from:
            raise ApplicationError(_("to must not be before from."), field="to")
        return cls(
            object_type=object_type,
            object_id=object_id,
            actor=actor,
            via=param_choice(params, "via", Via.values),
            date_from=date_from,
            date_to=date_to,
        )

    @property
    def names_one_record(self) -> bool:
        return bool(self.object_type and self.object_id)

    def queryset(self) -> QuerySet[AuditEvent]:
        rows = AuditEvent.objects.select_related("content_type", "actor__person")
        if self.object_type:
            rows = rows.filter(content_type=content_type_of(self.object_type))
        if self.object_id:
            rows = rows.filter(object_id=self.object_id)
        if self.actor == SYSTEM_ACTOR:
            rows = rows.filter(actor__isnull=True)
        elif self.actor:
            rows = rows.filter(actor_id=int(self.actor))
        if self.via:
            rows = rows.filter(via=self.via)
        zone = timezone.get_current_timezone()
        if self.date_from:
            rows = rows.filter(timestamp__gte=datetime.combine(self.date_from, time.min, zone))
        if self.date_to:  # the whole of the last day
            rows = rows.filter(
                timestamp__lt=datetime.combine(self.date_to + timedelta(days=1), time.min, zone)
            )
        return rows.order_by("-timestamp", "-id")

    def as_params(self) -> dict[str, str]:
        values = {
            "object_type": self.object_type,
            "object_id": str(self.object_id or ""),
            "actor": self.actor,
            "via": self.via,
            "from": self.date_from.isoformat() if self.date_from else "",
            "to": self.date_to.isoformat() if self.date_to else "",
        }
        return {k: v for k, v in values.items() if v}

    @property
    def is_active(self) -> bool:
        return bool(self.as_params())
