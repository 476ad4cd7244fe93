"""Every write to the organisation: imports, and edits of departments and people."""

from __future__ import annotations

import logging
import time
from datetime import timedelta
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crossdesk.audit.models import Via
from crossdesk.audit.services import audited_bulk, audited_update, values_snapshot
from crossdesk.core.errors import ApplicationError
from crossdesk.core.models import User
from crossdesk.core.records import Actor, bump, inputs, locked
from crossdesk.core.records.actors import SYSTEM

from . import importing
from .importing.snapshot import PERSON_FIELDS as IMPORTED_PERSON_FIELDS
from .models import Department, ImportJob, Membership, Person, VisibilityPolicy
from .selectors import require_org_admin

logger = logging.getLogger(__name__)
POLICY_ADMINS_ONLY = gettext_lazy("Only administrators may change who sees what.")

# Upload field → the table a CSV in it holds (a workbook holds sheets 部门 and 人员).
UPLOAD_SLOTS = {"workbook": "workbook", "departments_file": "departments", "people_file": "people"}
MAX_STORED_ERRORS = 20_000
PROGRESS_INTERVAL = 0.5  # seconds between progress writes


# --- imports --------------------------------------------------------------------------
def _check_upload(field: str, upload) -> None:
    """Refuse at once what cannot be imported, next to the file input it came from."""
    suffix = PurePath(upload.name or "").suffix.lower()
    max_bytes = settings.CROSSDESK_IMPORT_MAX_BYTES
    if upload.size > max_bytes:
        raise ApplicationError(importing.too_big_message(upload.size, max_bytes), field=field)
    if upload.size == 0:
        raise ApplicationError(_("The file is empty."), field=field)
    if suffix == ".xls":
        raise ApplicationError(
            _("This is an old Excel .xls file: save it as .xlsx (Excel workbook) and upload again."),
            field=field,
        )
    if field == "workbook" and suffix != ".xlsx":
        raise ApplicationError(_("A workbook must be an .xlsx file with sheets 部门 and 人员."), field=field)
    if suffix not in {".xlsx", ".csv"}:
        raise ApplicationError(_("Only .xlsx and .csv files can be imported."), field=field)


def import_job_create(
    *, actor: Actor, workbook=None, departments_file=None, people_file=None, language: str | None = None
) -> ImportJob:
    """Store the uploaded files as a pending import job and run it in the background.

    Administrators only. A departments table and a people table can come together,
    either as one workbook or as two files, so that departments can name new heads and
    new people can join new departments in the same upload.
    """
    require_org_admin(actor)
    uploads = {
        field: upload
        for field, upload in (
            ("workbook", workbook),
            ("departments_file", departments_file),
            ("people_file", people_file),
        )
        if upload
    }
    if not uploads:
        raise ApplicationError(_("Choose a file to import."), field="departments_file")
    for field, upload in uploads.items():
        _check_upload(field, upload)
    names = {field: PurePath(upload.name).name for field, upload in uploads.items()}
    job = ImportJob(
        created_by=actor,
        language=language or translation.get_language() or settings.LANGUAGE_CODE,
        file_name="、".join(names.values())[:255],
        source_names=names,
    )
    for field, upload in uploads.items():
        getattr(job, field).save(names[field], upload, save=False)
    job.save()

    def enqueue() -> None:
        from .tasks import run_import

        run_import.enqueue(job.pk)

    transaction.on_commit(enqueue)
    return job


class _ProgressWriter:
    """Writes phase and row counts to the job at most twice a second, each write
    committed at once so the job page (another connection) sees it."""

    def __init__(self, job_id: int) -> None:
        self.job_id = job_id
        self.phase = ""
        self.last = 0.0

    def __call__(self, phase: str, done: int, total: int) -> None:
        now = time.monotonic()
        if phase == self.phase and now - self.last < PROGRESS_INTERVAL:
            return
        self.phase, self.last = phase, now
        ImportJob.objects.filter(pk=self.job_id).update(
            phase=phase, rows_done=done, rows_total=total, updated_at=timezone.now()
        )


def _finish_failed(job_id: int, errors: list[dict], timings: dict) -> None:
    now = timezone.now()
    ImportJob.objects.filter(pk=job_id).update(
        status=ImportJob.Status.FAILED,
        phase=ImportJob.Phase.DONE,
        errors=errors[:MAX_STORED_ERRORS],
        error_count=len(errors),
        timings=timings,
        finished_at=now,
        updated_at=now,
    )


def _sources(job: ImportJob) -> list[importing.Source]:
    sources = []
    for field, slot in UPLOAD_SLOTS.items():
        stored = getattr(job, field)
        if not stored:
            continue
        with stored.open("rb") as handle:
            content = handle.read()
        name = job.source_names.get(field) or PurePath(stored.name).name
        sources.append(importing.Source(slot=slot, name=name, content=content))
    return sources


def import_job_run(*, job_id: int) -> ImportJob | None:
    """Run a pending import: read, validate, and write all or nothing.

    Claims the job with a conditional update, so a task delivered twice runs once.
    Progress is committed as it goes; the write itself is one transaction that also
    marks the job as succeeded. Returns the finished job, or None when it was not pending.
    """
    now = timezone.now()
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.PENDING).update(
        status=ImportJob.Status.RUNNING, phase=ImportJob.Phase.READING, started_at=now, updated_at=now
    )
    if not claimed:
        return None
    job = ImportJob.objects.get(pk=job_id)
    timings: dict[str, float] = {}
    with translation.override(job.language or settings.LANGUAGE_CODE):
        try:
            _import_job_execute(job, timings)
        except Exception:
            logger.exception("Import job %s stopped on an unexpected error", job_id)
            message = _(
                "The import stopped on an unexpected error; nothing was saved. Try again, or tell the administrator."
            )
            _finish_failed(job_id, [{"table": "", "row": None, "column": "", "message": message}], timings)
    return ImportJob.objects.get(pk=job_id)


def _import_job_execute(job: ImportJob, timings: dict[str, float]) -> None:
    progress = _ProgressWriter(job.pk)
    started = time.monotonic()

    def lap(name: str, since: float) -> float:
        now = time.monotonic()
        timings[name] = round(now - since, 3)
        timings["total"] = round(now - started, 3)
        return now

    tables, problems = importing.read_sources(
        _sources(job),
        max_bytes=settings.CROSSDESK_IMPORT_MAX_BYTES,
        max_rows=settings.CROSSDESK_IMPORT_MAX_ROWS,
        progress=progress,
    )
    mark = lap("read", started)
    if problems:
        _finish_failed(job.pk, problems.as_list(), timings)
        return
    total = sum(len(t.rows) for t in tables.values())
    progress("validating", 0, total)
    snapshot = importing.load_snapshot()
    plan, problems = importing.validate(tables, snapshot, progress=progress)
    mark = lap("validate", mark)
    if problems:
        _finish_failed(job.pk, problems.as_list(), timings)
        return
    progress("writing", total, total)
    try:
        with transaction.atomic(), audited_bulk(_audited_tables(), **_import_audit(job)):
            counts = importing.write(plan, snapshot)
            lap("write", mark)
            finished = timezone.now()
            ImportJob.objects.filter(pk=job.pk).update(
                status=ImportJob.Status.SUCCEEDED,
                phase=ImportJob.Phase.DONE,
                rows_total=total,
                rows_done=total,
                departments_created=counts.departments_created,
                departments_updated=counts.departments_updated,
                people_created=counts.people_created,
                people_updated=counts.people_updated,
                unchanged_count=counts.unchanged,
                timings=timings,
                finished_at=finished,
                updated_at=finished,
            )
    except IntegrityError:
        # Someone changed the organisation between the check and the write.
        logger.warning("Import job %s hit a conflicting change", job.pk, exc_info=True)
        message = _(
            "The organisation was changed by someone else while the file was being imported; nothing was saved. Upload the file again."
        )
        _finish_failed(job.pk, [{"table": "", "row": None, "column": "", "message": message}], timings)


def _audited_tables():
    """What the import writes without model signals, for the audit trail (memberships and
    supervisors as a person's and a department's fields)."""
    return [
        (User, values_snapshot(User, ["username", "email", "is_active"], label="username")),
        (
            Person,
            values_snapshot(
                Person,
                ["employee_no", "user_id", *IMPORTED_PERSON_FIELDS],
                label="name",
                related={"departments": (Membership, "person_id", "department_id")},
            ),
        ),
        (
            Department,
            values_snapshot(
                Department,
                ["code", "name", "sort_order", "is_active", "parent_id", "head_id", "default_liaison_id"],
                label="name",
                related={"supervisors": (Department.supervisors.through, "department_id", "person_id")},
            ),
        ),
    ]


def _import_audit(job: ImportJob) -> dict:
    return {"via": Via.IMPORT, "actor": job.created_by or SYSTEM, "reason": job.file_name}


# --- departments and people -----------------------------------------------------------
DEPARTMENT_FIELDS = {"code", "name", "parent", "head", "default_liaison", "sort_order", "is_active"}
PERSON_FIELDS = {
    "name",
    "title",
    "phone",
    "email",
    "dingtalk_id",
    "wecom_id",
    "feishu_id",
    "is_active",
    "user",
}


def _clean(instance) -> None:
    """Model validation (formats, uniqueness, the tree, leavers) as an ApplicationError."""
    try:
        instance.full_clean()
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise ApplicationError(messages[0], field=None if field == "__all__" else field) from exc


def department_save(*, actor: Actor, department: Department) -> Department:
    """Validate and save a department built or changed elsewhere (the admin's form).

    Rejects a parent that would put the department below itself.
    """
    require_org_admin(actor)
    _clean(department)
    department.save()
    return department


def department_update(*, actor: Actor, department: Department, supervisors=None, **changes) -> Department:
    """Change a department's fields (and, when given, its supervisors)."""
    unknown = set(changes) - DEPARTMENT_FIELDS
    if unknown:
        raise ApplicationError(
            _("These fields cannot be changed: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    if isinstance(changes.get("code"), str):
        changes["code"] = changes["code"].strip().upper()
    with transaction.atomic():
        for name, value in changes.items():
            setattr(department, name, value)
        department_save(actor=actor, department=department)
        if supervisors is not None:
            department.supervisors.set(supervisors)
    return department


def person_save(*, actor: Actor, person: Person) -> Person:
    """Validate and save a person; leaving the company closes their login, coming back
    opens it again (as the import does)."""
    require_org_admin(actor)
    _clean(person)
    was_active = None
    if person.pk is not None:
        was_active = Person.objects.filter(pk=person.pk).values_list("is_active", flat=True).first()
    with transaction.atomic():
        person.save()
        if person.user_id and was_active is not None and was_active != person.is_active:
            audited_update(User.objects.filter(pk=person.user_id), is_active=person.is_active)
    return person


def person_update(*, actor: Actor, person: Person, **changes) -> Person:
    """Change a person's contact details, login link or active flag."""
    unknown = set(changes) - PERSON_FIELDS
    if unknown:
        raise ApplicationError(
            _("These fields cannot be changed: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    for name, value in changes.items():
        setattr(person, name, value)
    return person_save(actor=actor, person=person)


IMPORT_FILE_RETENTION_DAYS = 30


def import_files_purge(*, older_than_days: int = IMPORT_FILE_RETENTION_DAYS) -> int:
    """Delete uploaded import files (personal data) once their job is long finished.

    The job row and its results stay; only the files go. Returns how many files were removed.
    """
    cutoff = timezone.now() - timedelta(days=older_than_days)
    removed = 0
    jobs = ImportJob.objects.filter(finished_at__lt=cutoff).exclude(departments_file="", people_file="")
    for job in jobs.iterator():
        for field in ("departments_file", "people_file"):
            stored = getattr(job, field)
            if stored:
                stored.delete(save=False)
                removed += 1
        ImportJob.objects.filter(pk=job.pk).update(departments_file="", people_file="")
    return removed


@transaction.atomic
def visibility_policy_update(*, actor: Actor, data: dict, version: int | None = None) -> VisibilityPolicy:
    """An administrator sets who sees what (SPEC §6 "administrators configure"); the change
    is audited in the same transaction (the model is registered with the audit trail)."""
    require_org_admin(actor, POLICY_ADMINS_ONLY)
    inputs.known(data, {"informed_staff_see", "supervisors_see_drafts"})
    VisibilityPolicy.objects.get_or_create(pk=VisibilityPolicy.SINGLETON)
    policy = locked(VisibilityPolicy, VisibilityPolicy.SINGLETON, version)
    for name in ("informed_staff_see", "supervisors_see_drafts"):
        if name in data and data[name] is not None:
            if not isinstance(data[name], bool):
                raise ApplicationError(_("Answer yes or no."), field=name)
            setattr(policy, name, data[name])
    bump(policy, "informed_staff_see", "supervisors_see_drafts")
    return policy
