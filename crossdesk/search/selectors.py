"""Reads of the search index, visibility built in: a hit is returned only when its record
is among the rows the viewer's lists show (each type's visibility from the owning app,
through ``core.records.registry``), so a hit never reveals a title, nor that a record exists.

Matching is the database's full-text index over the jieba terms: FTS5 on SQLite (BM25),
a ``tsvector`` with ts_rank on PostgreSQL. Ranking: records with more query words in their
title or number first, then the full-text score (rounded, so near-ties count as ties),
then the more recent.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from django.db import connection
from django.db.models import Case, IntegerField, Q, QuerySet, TextField, Value, When
from django.db.models.functions import Concat
from django.utils import timezone
from django.utils.translation import gettext as _

from crossdesk.core.errors import ApplicationError
from crossdesk.core.filters import param_choice, param_date, param_int, param_text
from crossdesk.core.records.registry import visible_rows

from .documents import RESOLVED, SOURCES
from .models import Kind, SearchDocument
from .segment import query_words, similarity_terms

PAGE_SIZE = 20
MAX_QUERY = 200
SIMILAR_COUNT = 5
MAX_SIMILAR_TEXT = 5000


@dataclass
class SearchParams:
    """What a search asks: the words and the filters of the page and the API alike."""

    q: str = ""
    kind: str = ""
    department: int | None = None
    status: str = ""
    date_from: date | None = None
    date_to: date | None = None
    page: int = 1

    @classmethod
    def from_params(cls, params: Mapping) -> SearchParams:
        """Read the query string; a 400 naming the parameter for anything wrong."""
        q = param_text(params, "q")
        if not q:
            raise ApplicationError(_("Type what to search for."), field="q")
        if len(q) > MAX_QUERY:
            raise ApplicationError(_("Search for at most %(n)d characters.") % {"n": MAX_QUERY}, field="q")
        department = param_int(params, "department", 0, 1, None) or None
        status = param_text(params, "status")
        if len(status) > 32 or (status and not re.fullmatch(r"[a-z_]+", status)):
            raise ApplicationError(_("No such status."), field="status")
        found = cls(
            q=q,
            kind=param_choice(params, "kind", Kind.values),
            department=department,
            status=status,
            date_from=param_date(params, "from"),
            date_to=param_date(params, "to"),
            page=param_int(params, "page", 1, 1, 10_000),
        )
        if found.date_from and found.date_to and found.date_from > found.date_to:
            raise ApplicationError(_("The end date is before the start date."), field="to")
        return found


@dataclass
class Hit:
    kind: str
    id: int
    object_type: str
    number: str
    title: str
    snippet: str
    url: str
    score: float
    date: datetime | None = None
    extra: dict = field(default_factory=dict)

    @property
    def kind_label(self) -> str:
        return str(Kind(self.kind).label)


@dataclass
class HitPage:
    items: list[Hit]
    page: int
    has_next: bool
    words: list[str]

    @property
    def has_previous(self) -> bool:
        return self.page > 1


# --- the backends: a match expression and its score ---------------------------------------


def _fts5(words: list[list[str]], *, any_word: bool) -> str:
    def term(t: str) -> str:
        return '"' + t.replace('"', '""') + '"'

    clauses = []
    for alternatives in words:
        options = [" AND ".join(term(t) for t in alt.split()) for alt in alternatives]
        clauses.append("(" + " OR ".join(f"({o})" for o in options) + ")")
    return (" OR " if any_word else " AND ").join(clauses)


def _tsquery(words: list[list[str]], *, any_word: bool) -> str:
    def term(t: str) -> str:
        return "'" + t.replace("\\", "\\\\").replace("'", "''") + "'"

    clauses = []
    for alternatives in words:
        options = [" & ".join(term(t) for t in alt.split()) for alt in alternatives]
        clauses.append("(" + " | ".join(f"({o})" for o in options) + ")")
    return (" | " if any_word else " & ").join(clauses)


def matching(rows: QuerySet, words: list[list[str]], *, any_word: bool = False) -> QuerySet:
    """``rows`` narrowed to the documents matching ``words`` (all of them, or any with
    ``any_word``), with their full-text ``score`` (higher is better) annotated."""
    if connection.vendor == "postgresql":
        query = _tsquery(words, any_word=any_word)
        return rows.extra(
            where=["search_searchdocument.search_vector @@ to_tsquery('simple', %s)"],
            params=[query],
            select={
                "score": "round(ts_rank(search_searchdocument.search_vector, to_tsquery('simple', %s))::numeric, 4)"
            },
            select_params=[query],
        )
    return rows.extra(
        tables=["search_fts"],
        where=["search_fts.rowid = search_searchdocument.id", "search_fts MATCH %s"],
        params=[_fts5(words, any_word=any_word)],
        # bm25 is lower for better matches; weights: title and number 10, the text 1.
        select={"score": "round(-bm25(search_fts, 10.0, 1.0), 2)"},
    )


def _title_hits(words: list[list[str]]) -> Any:
    """How many of the query's words are in the title or number (terms between spaces)."""
    total: Any = Value(0, output_field=IntegerField())
    for alternatives in words:
        found = Q()
        for alt in alternatives:
            every = Q()
            for t in alt.split():
                every &= Q(padded_title__contains=f" {t} ")
            found |= every
        total = total + Case(When(found, then=Value(1)), default=Value(0), output_field=IntegerField())
    return total


# --- visibility ---------------------------------------------------------------------------


def visible_documents(user: Any) -> QuerySet[SearchDocument]:
    """The documents of the records ``user`` may see: per type, the owning app's visible
    rows (its lists' rule); the organisation's people and departments to everyone signed in.
    A type with no visibility known is never shown."""
    if user is None or not user.is_authenticated:
        return SearchDocument.objects.none()
    allowed = Q(pk__in=[])
    for object_type, source in SOURCES.items():
        if object_type.startswith("org."):
            allowed |= Q(object_type=object_type)
            continue
        visible = source.visible(user) if source.visible else visible_rows(object_type, user)
        if visible is not None:
            allowed |= Q(object_type=object_type, object_id__in=visible.values("pk"))
    return SearchDocument.objects.filter(allowed)


# --- search ---------------------------------------------------------------------------------


def _day_bound(day: date | None, end: bool) -> datetime | None:
    if day is None:
        return None
    return timezone.make_aware(datetime.combine(day, time.max if end else time.min))


def _filtered(rows: QuerySet, params: SearchParams) -> QuerySet:
    if params.kind:
        rows = rows.filter(kind=params.kind)
    if params.department:
        rows = rows.filter(departments__contains=f"|{params.department}|")
    if params.status:
        rows = rows.filter(status=params.status)
    if params.date_from:
        rows = rows.filter(date__gte=_day_bound(params.date_from, False))
    if params.date_to:
        rows = rows.filter(date__lte=_day_bound(params.date_to, True))
    return rows


def search(*, user: Any, params: SearchParams, size: int = PAGE_SIZE) -> HitPage:
    """One page of hits for ``params``, best first, among what ``user`` may see."""
    words = query_words(params.q)
    flat = sorted(
        {t for alternatives in words for alt in alternatives for t in alt.split()}, key=len, reverse=True
    )
    if not words:
        return HitPage([], params.page, False, [])
    rows = matching(_filtered(visible_documents(user), params), words)
    rows = rows.annotate(
        padded_title=Concat(Value(" "), "title_terms", Value(" "), output_field=TextField())
    ).annotate(title_hits=_title_hits(words))
    rows = rows.order_by("-title_hits", "-score", "-date", "-id").defer("title_terms", "body_terms")
    start = (params.page - 1) * size
    found = list(rows[start : start + size + 1])
    items = [_hit(d, flat) for d in found[:size]]
    return HitPage(items, params.page, len(found) > size, flat)


def similar_text(params: Mapping) -> str:
    """What a new request says so far (``text``, or its title and background as a form
    sends them); a 400 on ``text`` past the limit."""
    parts = [param_text(params, name) for name in ("text", "title", "background", "current_situation")]
    text = "\n".join(p for p in parts if p)
    if len(text) > MAX_SIMILAR_TEXT:
        raise ApplicationError(_("Send at most %(n)d characters.") % {"n": MAX_SIMILAR_TEXT}, field="text")
    return text


def similar_cases(*, user: Any, text: str, exclude: tuple[str, int] | None = None) -> list[Hit]:
    """The resolved requests and knowledge-base entries most like ``text`` (BM25 over any
    of its words), among what ``user`` may see: five at most, each with its resolution, who
    solved it, how long it took and its rating."""
    terms = similarity_terms(text)
    if not terms:
        return []
    resolved = Q(object_type="collaboration.request", status__in=RESOLVED) & ~Q(extra={})
    rows = visible_documents(user).filter(resolved | Q(object_type="projects.lesson"))
    if exclude:
        rows = rows.exclude(object_type=exclude[0], object_id=exclude[1])
    rows = matching(rows, [[t] for t in terms], any_word=True).order_by("-score", "-date", "-id")
    return [_hit(d, terms) for d in rows.defer("title_terms", "body_terms")[:SIMILAR_COUNT]]


# --- snippets -------------------------------------------------------------------------------


def snippet(text: str, terms: list[str], width: int = 120) -> str:
    """A piece of ``text`` around the first match, HTML-escaped, each match in <mark>."""
    text = " ".join(text.split())
    if not terms:
        return html.escape(text[:width])
    pattern = re.compile("|".join(re.escape(t) for t in terms), re.IGNORECASE)
    first = pattern.search(text)
    start = max(0, first.start() - width // 4) if first else 0
    piece = text[start : start + width]
    out, last = [], 0
    for match in pattern.finditer(piece):
        out.append(html.escape(piece[last : match.start()]))
        out.append(f"<mark>{html.escape(match.group())}</mark>")
        last = match.end()
    out.append(html.escape(piece[last:]))
    return ("…" if start else "") + "".join(out) + ("…" if start + width < len(text) else "")


def _hit(document: SearchDocument, terms: list[str]) -> Hit:
    body = document.body
    return Hit(
        kind=document.kind,
        id=document.object_id,
        object_type=document.object_type,
        number=document.number,
        title=document.title,
        snippet=snippet(body if body else document.title, terms),
        url=document.url,
        score=float(getattr(document, "score", 0) or 0),
        date=document.date,
        extra=document.extra or {},
    )
