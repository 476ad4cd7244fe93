from __future__ import annotations

from ninja import Field, Schema

from crossdesk.core.schemas import enum_field

from .models import Kind


class SearchFilter(Schema):
    """Every parameter is read as text and checked once (``SearchParams``): a bad value is
    a 400 that names the parameter."""

    q: str = Field("", description="What to look for: Chinese, English or numbers, words in any order")
    kind: str = enum_field(Kind.values, "Only records of this kind", default="")
    department: str = Field("", description="Only records involving this department (its id)")
    status: str = Field("", description="Only records in this status (the record type's own value)")
    from_: str = Field("", alias="from", description="First day, e.g. 2026-10-01")
    to: str = Field("", description="Last day, included")
    page: str = Field("1", description="Page number, 20 hits a page, best first")


class HitOut(Schema):
    kind: str = enum_field(Kind.values, "The record's kind")
    id: int = Field(description="The record's id in its own API")
    number: str
    title: str
    snippet: str = Field(description="HTML: the text around the match, escaped, each match in <mark>")
    url: str = Field(description="The record's page")
    score: float = Field(description="Full-text score, higher is better (title and number hits rank first)")


class HitPageOut(Schema):
    page: int
    has_next: bool
    items: list[HitOut]


class SimilarOut(Schema):
    kind: str = enum_field(
        [Kind.REQUEST, Kind.KNOWLEDGE, Kind.LESSON],
        "A resolved request, a knowledge base entry or a published project lesson",
    )
    id: int
    number: str
    title: str
    url: str
    score: float
    resolution: str = Field(description="How it was solved")
    solved_by: list[str] = Field(description="The departments that solved it")
    hours_taken: float | None = Field(description="From submission to resolution, in hours")
    rating: int | None = Field(description="The initiator's satisfaction, 1 to 5")
