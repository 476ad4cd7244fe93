"""Organisation pages: chart, department, person, directory, import. Thin: reads come
from selectors, writes from services, and both raise the errors the API maps too."""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from crossdesk.core.errors import ApplicationError
from crossdesk.core.records.views import html_errors

from . import exporting, selectors, services
from .filters import PeopleFilter
from .forms import ImportForm

PAGE_SIZE = 50
ERRORS_SHOWN = 300


@require_GET
def chart(request):
    """The organisation chart: the department tree with heads, liaisons, supervisors."""
    context = {"tree": selectors.department_tree(), "is_admin": selectors.is_org_admin(request.user)}
    return render(request, "org/chart.html", context)


@require_GET
def department_detail(request, code):
    """One department: who heads it, who is its liaison, its sub-departments and members."""
    department = selectors.department_get(code=code)
    context = {
        "department": department,
        "ancestors": selectors.department_ancestors(department),
        "members": list(selectors.department_members(department=department)),
        "is_admin": selectors.is_org_admin(request.user),
    }
    return render(request, "org/department.html", context)


@require_GET
def person_detail(request, pk):
    """One person: contact details, departments and the roles derived from them."""
    person = selectors.person_get(pk=pk)
    context = {
        "person": person,
        "roles": selectors.roles_for_person(person),
        "is_admin": selectors.is_org_admin(request.user),
    }
    return render(request, "org/person.html", context)


@require_GET
def people(request):
    """The people directory, searchable and filterable; htmx asks for the results only."""
    people_filter = PeopleFilter.from_params(request.GET)
    page = Paginator(people_filter.queryset(), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "filter": people_filter,
        "query": urlencode(people_filter.as_params()),
        "page": page,
        "department_options": selectors.department_options(),
        "is_admin": selectors.is_org_admin(request.user),
    }
    if request.htmx and request.htmx.target == "people-results":
        return render(request, "org/_people_results.html", context)
    return render(request, "org/people.html", context)


@require_GET
def people_export(request):
    """The directory's filtered rows as .xlsx, in the import format (any logged-in user)."""
    people_filter = PeopleFilter.from_params(request.GET)
    content, filename = exporting.export_file("people.xlsx", people=people_filter.queryset())
    return exporting.download(content, filename)


@require_GET
@html_errors
def export(request, name):
    """Full exports for administrators: org.xlsx, departments.csv, people.csv."""
    if name not in {"org.xlsx", "departments.csv", "people.csv"}:
        raise Http404
    selectors.require_org_admin(request.user)
    return exporting.download(*exporting.export_file(name))


@require_GET
@html_errors
def import_template(request, name):
    """Empty templates to fill in: template.xlsx, template-departments.csv, template-people.csv."""
    if name not in {"template.xlsx", "template-departments.csv", "template-people.csv"}:
        raise Http404
    selectors.require_org_admin(request.user)
    return exporting.download(*exporting.export_file(name))


@require_http_methods(["GET", "POST"])
@html_errors
def import_start(request):
    """Upload a departments table and/or a people table; the import runs in the background."""
    selectors.require_org_admin(request.user)
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    if request.method == "POST" and form.is_valid():
        try:
            job = services.import_job_create(
                actor=request.user,
                departments_file=form.cleaned_data["departments_file"],
                people_file=form.cleaned_data["people_file"],
                language=request.LANGUAGE_CODE,
            )
        except ApplicationError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            return redirect("org:import_job", pk=job.pk)
    context = {"form": form, "jobs": selectors.import_job_list(viewer=request.user)}
    return render(request, "org/import.html", context, status=400 if form.errors else 200)


@require_GET
@html_errors
def import_job(request, pk):
    """An import's progress while it runs (the page polls itself), then its result."""
    job = selectors.import_job_get(viewer=request.user, pk=pk)
    context = {"job": job, "errors": job.errors[:ERRORS_SHOWN], "errors_shown": ERRORS_SHOWN}
    if request.htmx:
        return render(request, "org/_import_job_status.html", context)
    return render(request, "org/import_job.html", context)


@require_GET
@html_errors
def import_job_errors(request, pk):
    """Every error of a rejected import as CSV."""
    job = selectors.import_job_get(viewer=request.user, pk=pk)
    return exporting.download(exporting.errors_csv(job.errors), f"导入错误-{job.pk}.csv")
