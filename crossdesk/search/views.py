"""The results page (``/search/?q=``, the top bar's box) and the similar-cases fragment
the new-request form loads while its title and background are typed."""

from __future__ import annotations

from urllib.parse import urlencode

from django.shortcuts import render
from django.views.decorators.http import require_GET

from crossdesk.core.errors import ApplicationError
from crossdesk.org.selectors import department_choices

from .models import Kind
from .selectors import SearchParams, search, similar_cases, similar_text


@require_GET
def results(request):
    """Hits for ``q`` with the kind, department, status and date filters; the filter form
    and the pages ask htmx for the results only."""
    params, page, error, status = SearchParams(), None, None, 200
    if request.GET.get("q", "").strip():
        try:
            params = SearchParams.from_params(request.GET)
            page = search(user=request.user, params=params)
        except ApplicationError as exc:
            error, status = exc, 400
            params = SearchParams(q=request.GET.get("q", "")[:200])
    query = {k: v for k, v in request.GET.items() if k != "page" and v}
    context = {
        "params": params,
        "page": page,
        "error": error,
        "query": urlencode(query),
        "kinds": Kind.choices,
        "departments": department_choices(),
    }
    fragment = request.htmx and request.htmx.target == "search-results"
    return render(
        request, "search/_results.html" if fragment else "search/results.html", context, status=status
    )


@require_GET
def similar(request):
    """The five resolved requests and knowledge base entries most like what is being typed."""
    try:
        text = similar_text(request.GET)
    except ApplicationError as exc:
        return render(request, "search/_similar.html", {"error": exc}, status=400)
    exclude = request.GET.get("exclude", "")
    skip = ("collaboration.request", int(exclude)) if exclude.isdigit() else None
    hits = similar_cases(user=request.user, text=text, exclude=skip) if text else []
    return render(request, "search/_similar.html", {"hits": hits, "text": text})
