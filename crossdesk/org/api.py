"""Organisation API under /api/v1/org/: the same selectors, services and permission
checks as the pages."""

from __future__ import annotations

from django.urls import reverse
from ninja import File, Query, Router, Status, UploadedFile

from crossdesk.core.errors import NotFoundError
from crossdesk.core.schemas import error_responses
from crossdesk.org.selectors import require_org_admin

from . import exporting, selectors, services
from .filters import PeopleFilter
from .models import ImportJob
from .schemas import (
    DepartmentDetailOut,
    DepartmentOut,
    ImportJobOut,
    PersonFilter,
    PersonOut,
    PersonPageOut,
    RolesOut,
    VisibilityPolicyIn,
    VisibilityPolicyOut,
)

router = Router(tags=["organisation"])
ERRORS_RETURNED = 1000


@router.get("/departments", response={200: list[DepartmentOut], **error_responses()})
def department_list(request, include_inactive: bool = False):
    """Every department, flat, with its parent's code, head, liaison and supervisors."""
    return list(selectors.department_list(include_inactive=include_inactive))


@router.get("/departments/{code}", response={200: DepartmentDetailOut, **error_responses(404)})
def department_detail(request, code: str):
    """One department with its sub-departments and active members."""
    department = selectors.department_get(code=code)
    department.member_list = list(selectors.department_members(department=department))
    return department


@router.get("/people", response={200: PersonPageOut, **error_responses()})
def person_list(request, filters: Query[PersonFilter]):
    """The people directory: active people, searchable, filtered by department (with its
    sub-departments), paginated with limit/offset and the total count."""
    people = PeopleFilter(q=filters.q, department=filters.department).queryset()
    return {
        "count": people.count(),
        "limit": filters.limit,
        "offset": filters.offset,
        "items": list(people[filters.offset : filters.offset + filters.limit]),
    }


@router.get("/people/{int:person_id}", response={200: PersonOut, **error_responses(404)})
def person_detail(request, person_id: int):
    """One person, with their departments (the primary one first)."""
    return selectors.person_get(pk=person_id)


@router.get("/me/roles", response={200: RolesOut, **error_responses()})
def my_roles(request):
    """The caller's roles, derived from the organisation."""
    roles = selectors.roles_for(request.user)
    return {
        "person": roles.person,
        "is_admin": roles.is_admin,
        "staff_of": roles.codes(roles.member_of),
        "liaison_of": roles.codes(roles.liaison_of),
        "head_of": roles.codes(roles.head_of),
        "supervises": roles.codes(roles.supervises),
    }


def _job_out(job: ImportJob) -> dict:
    return {
        "id": job.pk,
        "status": job.status,
        "phase": job.phase,
        "interrupted": job.is_interrupted,
        "file_name": job.file_name,
        "rows_total": job.rows_total,
        "rows_done": job.rows_done,
        "percent": job.percent,
        "counts": {
            "departments_created": job.departments_created,
            "departments_updated": job.departments_updated,
            "people_created": job.people_created,
            "people_updated": job.people_updated,
            "unchanged": job.unchanged_count,
        },
        "error_count": job.error_count,
        "errors": job.errors[:ERRORS_RETURNED],
        "errors_csv_url": reverse("org:import_job_errors", args=[job.pk]) if job.error_count else None,
        "created_at": job.created_at,
        "finished_at": job.finished_at,
    }


@router.post("/imports", response={201: ImportJobOut, **error_responses(400, 403)})
def import_create(
    request,
    workbook: File[UploadedFile] = None,
    departments_file: File[UploadedFile] = None,
    people_file: File[UploadedFile] = None,
):
    """Upload a workbook (sheets 部门 and 人员) and/or a departments file and a people
    file (.xlsx or .csv). Administrators only. The import runs in the background: poll
    ``GET imports/{id}``."""
    job = services.import_job_create(
        actor=request.user,
        workbook=workbook,
        departments_file=departments_file,
        people_file=people_file,
        language=getattr(request, "LANGUAGE_CODE", None),
    )
    return Status(201, _job_out(job))


@router.get("/imports/{int:job_id}", response={200: ImportJobOut, **error_responses(403, 404)})
def import_detail(request, job_id: int):
    """An import's status, progress, counts, and its problems when it was rejected."""
    return _job_out(selectors.import_job_get(viewer=request.user, pk=job_id))


@router.get("/export/people.xlsx", response={200: None, **error_responses()})
def export_directory(request, filters: Query[PersonFilter]):
    """The directory's filtered people as .xlsx in the import format (any user)."""
    people = PeopleFilter(q=filters.q, department=filters.department).queryset()
    return exporting.download(*exporting.export_file("people.xlsx", people=people))


@router.get("/export/{name}", response={200: None, **error_responses(403, 404)})
def export_all(request, name: str):
    """Administrators: ``org.xlsx`` (sheets 部门 and 人员), ``departments.csv``,
    ``people.csv`` — everything, inactive rows included, in the import format."""
    if name not in {"org.xlsx", "departments.csv", "people.csv"}:
        raise NotFoundError("Not found.")
    selectors.require_org_admin(request.user)
    return exporting.download(*exporting.export_file(name))


@router.get("/visibility-policy", response={200: VisibilityPolicyOut, **error_responses(403)})
def visibility_policy(request):
    """Who sees what (administrators only)."""
    require_org_admin(request.auth, services.POLICY_ADMINS_ONLY)
    return selectors.visibility_policy_get()


@router.put("/visibility-policy", response={200: VisibilityPolicyOut, **error_responses(400, 403, 409)})
def visibility_policy_update(request, payload: VisibilityPolicyIn):
    """Change who sees what (administrators only); audited."""
    data = payload.model_dump(exclude={"version"}, exclude_none=True)
    return services.visibility_policy_update(actor=request.auth, data=data, version=payload.version)
