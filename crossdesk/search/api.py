"""Search API: ``GET /api/v1/search`` and ``GET /api/v1/requests/similar`` (a router of
this app mounted at that path), both with the lists' visibility."""

from __future__ import annotations

from ninja import Query, Router

from crossdesk.core.filters import param_text
from crossdesk.core.schemas import error_responses

from .schemas import HitPageOut, SearchFilter, SimilarOut
from .selectors import Hit, SearchParams, search, similar_cases, similar_text

router = Router(tags=["search"])
similar_router = Router(tags=["search"])


def hit_out(hit: Hit) -> dict:
    return {
        "kind": hit.kind,
        "id": hit.id,
        "number": hit.number,
        "title": hit.title,
        "snippet": hit.snippet,
        "url": hit.url,
        "score": hit.score,
    }


def similar_out(hit: Hit) -> dict:
    return {
        **hit_out(hit),
        "resolution": hit.extra.get("resolution", ""),
        "solved_by": hit.extra.get("solved_by", []),
        "hours_taken": hit.extra.get("hours_taken"),
        "rating": hit.extra.get("rating"),
    }


@router.get("", response={200: HitPageOut, **error_responses(400)})
def search_records(request, query: Query[SearchFilter]):
    """Requests, meetings, action items, projects, knowledge base entries, people and
    departments matching every word of ``q`` (Chinese segmented, in any order), best first:
    title and number hits, then the full-text score, then the most recent. Only what the
    viewer's lists would show; 400 naming the parameter for a bad one."""
    params = SearchParams.from_params(query.dict(by_alias=True))
    page = search(user=request.user, params=params)
    return {"page": page.page, "has_next": page.has_next, "items": [hit_out(h) for h in page.items]}


@similar_router.get("", response={200: list[SimilarOut], **error_responses(400)})
def similar_requests(request, text: str = ""):
    """The 5 resolved requests and knowledge base entries most like ``text`` (BM25 over its
    words), each with its resolution, the departments that solved it, the hours it took
    and its rating; only those the viewer may see."""
    found = similar_cases(user=request.user, text=similar_text({"text": param_text({"text": text}, "text")}))
    return [similar_out(h) for h in found]
