from __future__ import annotations

from ninja import Field, Schema

from crossdesk.core.schemas import LocalDateTime, enum_field

from .models import Via


class AuditEventFilter(Schema):
    """Every parameter is read as text and checked by the one ``AuditFilter``: a bad value
    is a 400 that names the parameter."""

    object_type: str = Field(
        "", description="app_label.model of an audited record, e.g. collaboration.request"
    )
    object_id: str = Field("", description="The record's id (needs object_type)")
    actor: str = Field("", description="A login's id, or 'system' for what the system did")
    via: str = enum_field(Via.values, "How the change came in", default="")
    from_: str = Field("", alias="from", description="First day, e.g. 2026-10-01")
    to: str = Field("", description="Last day, included")
    page: str = Field("1", description="Page number, 50 rows a page, newest first")


class AuditEventOut(Schema):
    id: int
    at: LocalDateTime = Field(description="When, in the site's time zone")
    actor: str = Field(description="The person's name, or the system with its reason")
    actor_id: int | None = Field(description="The login that acted; null for the system")
    action: str = Field(description="create, update or delete")
    via: str = enum_field(Via.values, "page, api, import, admin or system")
    reason: str = Field(description="Why, where given")
    object_type: str
    object_id: int | None
    object_repr: str
    changes: dict = Field(description='{"field": [old, new]}; for many-to-many, the objects added or removed')


class AuditEventPageOut(Schema):
    page: int
    has_next: bool
    items: list[AuditEventOut]
