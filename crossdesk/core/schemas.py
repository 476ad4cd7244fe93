from datetime import datetime
from typing import Annotated

from django.utils import timezone
from ninja import Field, Schema
from pydantic import PlainSerializer


class ErrorOut(Schema):
    """Every 4xx answer: a message people can read, and the field it is about when there is one."""

    message: str
    field: str | None = None
    errors: list[dict] | None = None


def error_responses(*codes: int) -> dict[int, type[Schema]]:
    """The 4xx answers an operation declares, so the OpenAPI schema says what can come back.

    401 (not logged in) and 422 (a field failed validation) can come from every operation.
    """
    return dict.fromkeys(sorted({401, 422, *codes}), ErrorOut)


def _local(moment: datetime) -> str:
    return (timezone.localtime(moment) if timezone.is_aware(moment) else moment).isoformat()


# Aware datetimes leave in the site's time zone: 2026-10-12T17:00:00+08:00. Serialised to a
# string here, so the JSON encoder does not call back into Python for each of them.
LocalDateTime = Annotated[datetime, PlainSerializer(_local, return_type=str)]


def enum_field(values, description: str, **kwargs):
    """A string field that documents its choices; the service refuses others with a 400."""
    return Field(description=description, json_schema_extra={"enum": list(values)}, **kwargs)


class PageIn(Schema):
    """The window of a list's query parameters (``core.filters.window_from_params`` checks it)."""

    limit: str = Field("", description="Rows per page, 1–200 (default 50)")
    offset: str = Field("", description="Rows to skip (default 0)")


class PageOut(Schema):
    """A page of a list; a subclass declares ``items``."""

    count: int = Field(description="Rows matching the filter, all pages")
    limit: int
    offset: int


class DepartmentRefOut(Schema):
    id: int
    code: str = Field(description="Short upper-case code, e.g. MKT")
    name: str


class PersonRefOut(Schema):
    id: int
    name: str


class DocumentOut(Schema):
    """An uploaded document on a record (``core.models.StoredDocument``); each record type
    resolves ``url`` to its own download address."""

    id: int
    name: str
    size: int = Field(description="Bytes")
    content_type: str
    uploaded_by: PersonRefOut
    uploaded_at: LocalDateTime
    url: str = Field(description="Download address (checks the caller may see the record)")
