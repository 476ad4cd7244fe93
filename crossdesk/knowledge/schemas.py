from __future__ import annotations

from ninja import Field, Schema

from crossdesk.core.schemas import DepartmentRefOut, LocalDateTime, PageOut, PersonRefOut, enum_field

from .models import SourceType


class EntryFilterIn(Schema):
    """The list's filters, the same as the page's."""

    q: str = Field("", description="Every word in the title, problem, solution or tags")
    department: str = Field("", description="A department's id: entries concerning it")
    tag: str = Field("", description="Entries with exactly this tag")
    limit: str = Field("", description="Rows per page, 1–200 (default 50)")
    offset: str = Field("", description="Rows to skip (default 0)")


class EntryOut(Schema):
    id: int
    title: str
    problem: str
    solution: str
    departments: list[DepartmentRefOut]
    tags: list[str]
    source_type: str = enum_field(SourceType.values, "What the entry was published from")
    source_id: int
    source_url: str
    confidential: bool = Field(description="Shown only to people who may see the source")
    published_by: PersonRefOut
    published_at: LocalDateTime
    views: int
    helpful: int
    url: str = Field(description="The entry's page")


class EntryPageOut(PageOut):
    items: list[EntryOut]


class DraftOut(Schema):
    """An entry as its source fills it, before it is published."""

    source_type: str
    source_id: int
    source_url: str
    title: str
    problem: str
    solution: str
    departments: list[int]
    tags: list[str]
    confidential: bool


class HelpfulOut(Schema):
    id: int
    helpful: int
    marked: bool = Field(description="Whether the caller now finds it helpful")
