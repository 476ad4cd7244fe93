"""Reads of the search index, visibility built in: a hit is returned only when its record
is among the rows the viewer's lists show (each type's visibility from the owning app,
through ``core.records.registry``), so a hit never reveals a title, nor that a record exists.

Matching is the database's full-text index over the jieba terms: FTS5 on SQLite (BM25),
a ``tsvector`` with ts_rank on PostgreSQL. Ranking: the full-text score with the title
and number weighing a thousand times the text (so title and number hits come first, more
of the query's words in the title before fewer), rounded so near-ties count as ties, then
the more recent.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL
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
# Ranked matches read per visibility check: the first batch, and the most ever read.
FIRST_BATCH = 100
MAX_CANDIDATES = 20_000
PUBLIC_TYPES = ("org.person", "org.department")
MAX_SIMILAR_TEXT = 5000
# What similar cases offer beside resolved requests: the knowledge base and published lessons.
KNOWLEDGE_TYPES = ("knowledge.entry", "projects.lesson")


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
            # Weights of D, C, B (the text), A (title and number): a title hit outweighs any text.
            select={
                "score": "round(ts_rank('{0, 0, 0.001, 1}', search_searchdocument.search_vector,"
                " to_tsquery('simple', %s))::numeric, 4)"
            },
            select_params=[query],
        )
    return rows.extra(
        tables=["search_fts"],
        where=["search_fts.rowid = search_searchdocument.id", "search_fts MATCH %s"],
        params=[_fts5(words, any_word=any_word)],
        # bm25 is lower for better matches; a title or number hit outweighs any text.
        select={"score": "round(-bm25(search_fts, 1000.0, 1.0), 1)"},
    )


def matching_record_ids(object_type: str, text: str) -> RawSQL | None:
    """The ids of ``object_type``'s records whose document has every word of ``text``, as a
    subquery for ``pk__in``: a list's ``q`` (registered in ``SearchConfig.ready``); None
    without a word. Written out because :func:`matching`'s extra clauses name the table,
    which Django aliases inside a subquery."""
    words = query_words(text[:MAX_QUERY])
    if not words:
        return None
    if connection.vendor == "postgresql":
        sql = (
            "SELECT object_id FROM search_searchdocument WHERE object_type = %s"
            " AND search_vector @@ to_tsquery('simple', %s)"
        )
        return RawSQL(sql, [object_type, _tsquery(words, any_word=False)])
    sql = (
        "SELECT d.object_id FROM search_searchdocument d JOIN search_fts ON search_fts.rowid = d.id"
        " WHERE d.object_type = %s AND search_fts MATCH %s"
    )
    return RawSQL(sql, [object_type, _fts5(words, any_word=False)])


# --- visibility ---------------------------------------------------------------------------


class Visibility:
    """Which of a batch of documents ``user`` may see: per type, the owning app's visible
    rows (its lists' rule, through ``core.records.registry``) asked about the batch's ids
    only, an indexed lookup whatever the size of the tables; the organisation's people and
    departments are everyone's, as the organisation pages are. A type with no visibility
    known is never shown."""

    def __init__(self, user: Any) -> None:
        self.user = user
        self.rows: dict[str, QuerySet | None] = {}

    def visible_rows(self, object_type: str) -> QuerySet | None:
        if object_type not in self.rows:
            source = SOURCES.get(object_type)
            if source is None:
                self.rows[object_type] = None
            else:
                self.rows[object_type] = (
                    source.visible(self.user) if source.visible else visible_rows(object_type, self.user)
                )
        return self.rows[object_type]

    def keep(self, documents: list[SearchDocument]) -> list[SearchDocument]:
        if self.user is None or not self.user.is_authenticated:
            return []
        ids: dict[str, list[int]] = {}
        for document in documents:
            ids.setdefault(document.object_type, []).append(document.object_id)
        allowed: set[tuple[str, int]] = set()
        for object_type, pks in ids.items():
            if object_type in PUBLIC_TYPES:
                allowed.update((object_type, pk) for pk in pks)
                continue
            visible = self.visible_rows(object_type)
            if visible is not None:
                found = visible.filter(pk__in=pks).values_list("pk", flat=True)
                allowed.update((object_type, pk) for pk in found)
        return [d for d in documents if (d.object_type, d.object_id) in allowed]


def visible_in_order(user: Any, rows: QuerySet, wanted: int) -> tuple[list[SearchDocument], bool]:
    """The first ``wanted`` documents of ``rows`` (ranked) that ``user`` may see, and
    whether more matched. Reads the ranking in growing batches and checks each batch's
    visibility, so the cost follows the page asked for, not the number of records; past
    ``MAX_CANDIDATES`` ranked matches it stops (a search that broad is refined, not paged)."""
    visibility = Visibility(user)
    kept: list[SearchDocument] = []
    offset, batch = 0, FIRST_BATCH
    while len(kept) < wanted and offset < MAX_CANDIDATES:
        chunk = list(rows[offset : offset + batch])
        kept.extend(visibility.keep(chunk))
        if len(chunk) < batch:
            return kept[:wanted], len(kept) > wanted
        offset += batch
        batch = min(batch * 4, 2000)
    return kept[:wanted], len(kept) >= wanted


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
    rows = matching(_filtered(SearchDocument.objects.all(), params), words)
    rows = rows.order_by("-score", "-date", "-id").defer("title_terms", "body_terms")
    start = (params.page - 1) * size
    found, more = visible_in_order(user, rows, start + size + 1)
    items = [_hit(d, flat) for d in found[start : start + size]]
    return HitPage(items, params.page, more or len(found) > start + size, flat)


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
    rows = SearchDocument.objects.filter(resolved | Q(object_type__in=KNOWLEDGE_TYPES))
    if exclude:
        rows = rows.exclude(object_type=exclude[0], object_id=exclude[1])
    rows = matching(rows, [[t] for t in terms], any_word=True).order_by("-score", "-date", "-id")
    found, _more = visible_in_order(user, rows.defer("title_terms", "body_terms"), SIMILAR_COUNT)
    return [_hit(d, terms) for d in found]


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
