"""The knowledge base pages: the list with its search and filters, an entry, the publish
form (prefilled from the source, confirmed before publishing) and the "helpful" button."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from crossdesk.core.errors import ApplicationError
from crossdesk.core.exporting import Column, bad_filter_response, xlsx_response
from crossdesk.core.forms import show_error
from crossdesk.core.records.views import html_errors
from crossdesk.org.selectors import department_choices

from . import services
from .forms import EntryForm
from .models import SourceType
from .selectors import (
    EntryFilter,
    entry_draft_from,
    entry_for_source,
    entry_get_for_viewer,
    entry_list,
    entry_page,
    has_marked,
)
from .selectors import popular_tags as tags_of


@require_GET
def entry_list_view(request):
    """The entries the viewer may see, most useful first; htmx asks for the table only."""
    error, status = None, 200
    try:
        filters = EntryFilter.from_params(request.GET)
    except ApplicationError as exc:
        error, status, filters = exc, 400, EntryFilter()
    page = entry_page(user=request.user, filters=filters, number=request.GET.get("page", 1))
    query = urlencode({k: v for k, v in request.GET.items() if k != "page" and v})
    context = {
        "page": page,
        "entries": list(page.object_list),
        "filters": filters,
        "error": error,
        "query": query,
        "departments": department_choices(),
        "tags": tags_of(user=request.user),
    }
    fragment = request.htmx and request.htmx.target == "knowledge-results"
    template = "knowledge/_results.html" if fragment else "knowledge/list.html"
    return render(request, template, context, status=status)


EXPORT_COLUMNS = (
    Column(pgettext_lazy("knowledge entry", "Title"), lambda e: e.title, 30),
    Column(gettext_lazy("Problem"), lambda e: e.problem, 40),
    Column(gettext_lazy("Solution"), lambda e: e.solution, 50),
    Column(gettext_lazy("Departments"), lambda e: "、".join(d.name for d in e.departments.all()), 20),
    Column(gettext_lazy("Tags"), lambda e: "、".join(e.tags or []), 16),
    Column(gettext_lazy("Source type"), lambda e: e.get_source_type_display(), 12),
    Column(gettext_lazy("Source"), lambda e: e.source_label, 30),
    Column(gettext_lazy("Confidential"), lambda e: _("Yes") if e.confidential else "", 8),
    Column(gettext_lazy("Helpful"), lambda e: e.helpful, 8),
    Column(gettext_lazy("Views"), lambda e: e.views, 8),
    Column(gettext_lazy("Published by"), lambda e: e.published_by.name, 10),
    Column(gettext_lazy("Published"), lambda e: e.published_at, 17),
)


@require_GET
def entry_export(request):
    """Exactly the entries of the filtered list (every page), as .xlsx."""
    try:
        filters = EntryFilter.from_params(request.GET)
    except ApplicationError as exc:
        return bad_filter_response(exc)
    rows = entry_list(user=request.user, filters=filters).iterator(chunk_size=500)
    return xlsx_response("knowledge", _("Knowledge base"), EXPORT_COLUMNS, rows)


@require_GET
@html_errors
def entry_detail(request, pk: int):
    """An entry; each opening counts as a view."""
    entry = entry_get_for_viewer(user=request.user, pk=pk)
    services.entry_count_view(entry_id=entry.pk)
    entry.views += 1
    context = {"entry": entry, "marked": has_marked(user=request.user, entry=entry)}
    return render(request, "knowledge/detail.html", context)


@require_POST
@html_errors
def helpful(request, pk: int):
    """Mark the entry helpful, or take the mark back (the button is a toggle)."""
    entry, marked = services.entry_mark_helpful(actor=request.user, entry_id=pk)
    if request.htmx:
        return render(request, "knowledge/_helpful.html", {"entry": entry, "marked": marked})
    return redirect("knowledge:detail", pk=entry.pk)


@require_http_methods(["GET", "POST"])
@html_errors
def publish(request):
    """GET: the entry prefilled from its source. POST: the same form checked, then the
    confirmation; POST with ``confirm``: published (errors next to their field, what was
    typed kept)."""
    params = request.POST if request.method == "POST" else request.GET
    source_type, source_id = params.get("source_type", ""), params.get("source_id", "")
    try:
        draft = entry_draft_from(source_type, source_id, request.user)
    except ApplicationError as exc:
        if exc.status_code in (403, 404):
            raise
        return render(request, "knowledge/publish_refused.html", {"error": exc}, status=exc.status_code)
    existing = entry_for_source(draft.source_type, draft.source_id)
    if existing is not None:
        messages.info(request, _("This record is already in the knowledge base."))
        return redirect("knowledge:detail", pk=existing.pk)
    context = {"draft": draft, "source_name": SourceType(draft.source_type).label}
    if request.method == "GET":
        initial = draft.initial()
        initial["departments"] = [str(pk) for pk in initial["departments"]]
        context["form"] = EntryForm(initial=initial)
        return render(request, "knowledge/publish.html", context)
    form = EntryForm(request.POST)
    form.is_valid()
    if "edit" in request.POST:
        context["form"] = form
        return render(request, "knowledge/publish.html", context)
    try:
        if "confirm" not in request.POST:
            values = services.entry_clean(form.sent())
            context.update(form=form, values=values, confirming=True)
            context["department_names"] = dict(department_choices())
            return render(request, "knowledge/publish.html", context)
        entry = services.entry_publish(
            actor=request.user, source_type=draft.source_type, source_id=draft.source_id, data=form.sent()
        )
    except ApplicationError as exc:
        if exc.status_code in (403, 404):
            raise
        show_error(form, exc)
        context["form"] = form
        return render(request, "knowledge/publish.html", context, status=exc.status_code)
    messages.success(request, _("Published to the knowledge base."))
    return redirect("knowledge:detail", pk=entry.pk)
