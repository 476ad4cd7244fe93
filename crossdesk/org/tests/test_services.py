import os
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.utils import timezone

from crossdesk.core.errors import ApplicationError, PermissionDeniedError
from crossdesk.core.models import User
from crossdesk.org import importing, services
from crossdesk.org.models import Department, ImportJob, Person

from .helpers import PEOPLE_HEADERS, csv_upload, person_row

pytestmark = pytest.mark.django_db


def test_it_refuses_a_parent_that_makes_a_cycle(personas):
    services.department_update(actor=personas.admin_user, department=personas.log, parent=personas.cs)

    with pytest.raises(ApplicationError) as caught:
        services.department_update(actor=personas.admin_user, department=personas.cs, parent=personas.log)

    assert caught.value.field == "parent"
    assert Department.objects.get(code="CS").parent is None


def test_it_refuses_a_department_as_its_own_parent(personas):
    with pytest.raises(ApplicationError):
        services.department_update(actor=personas.admin_user, department=personas.cs, parent=personas.cs)


def test_it_changes_head_liaison_and_supervisors(personas):
    services.department_update(
        actor=personas.admin_user,
        department=personas.fin,
        head=personas.outsider,
        default_liaison=personas.outsider,
        supervisors=[personas.supervisor],
    )

    fin = Department.objects.get(code="FIN")
    assert (fin.head, fin.default_liaison, list(fin.supervisors.all())) == (
        personas.outsider,
        personas.outsider,
        [personas.supervisor],
    )


def test_department_codes_are_stored_upper_case(personas):
    services.department_update(actor=personas.admin_user, department=personas.fin, code="fin2")

    assert Department.objects.filter(code="FIN2").exists()


def test_only_administrators_edit_departments(personas):
    with pytest.raises(PermissionDeniedError):
        services.department_update(actor=personas.cs_head.user, department=personas.cs, name="改名")


def test_it_refuses_unknown_fields(personas):
    with pytest.raises(ApplicationError):
        services.person_update(actor=personas.admin_user, person=personas.outsider, employee_no="X")


def test_a_person_who_leaves_loses_their_login_and_gets_it_back_on_return(personas):
    services.person_update(actor=personas.admin_user, person=personas.outsider, is_active=False)
    assert not User.objects.get(pk=personas.outsider.user_id).is_active

    services.person_update(actor=personas.admin_user, person=personas.outsider, is_active=True)
    assert User.objects.get(pk=personas.outsider.user_id).is_active


def test_a_head_cannot_leave_before_someone_else_heads_the_department(personas):
    with pytest.raises(ApplicationError) as caught:
        services.person_update(actor=personas.admin_user, person=personas.cs_head, is_active=False)

    assert caught.value.field == "is_active"
    assert "客户服务部 (CS)" in caught.value.message


def test_creating_an_import_job_runs_it_in_the_background_after_commit(
    personas, django_capture_on_commit_callbacks
):
    people = csv_upload("人员.csv", [PEOPLE_HEADERS, person_row("N100", "新同事", "MKT")])

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        job = services.import_job_create(actor=personas.admin_user, people_file=people)
        assert ImportJob.objects.get(pk=job.pk).status == ImportJob.Status.PENDING

    assert len(callbacks) == 1
    job.refresh_from_db()
    assert (job.status, job.people_created, job.file_name) == (ImportJob.Status.SUCCEEDED, 1, "人员.csv")
    assert Person.objects.filter(employee_no="N100").exists()


def test_an_unexpected_error_fails_the_job_and_writes_nothing(personas, monkeypatch):
    def explode(plan, snapshot):
        Person.objects.create(employee_no="HALF", name="写了一半")
        raise RuntimeError("boom")

    monkeypatch.setattr(importing, "write", explode)
    job = services.import_job_create(
        actor=personas.admin_user,
        people_file=csv_upload("p.csv", [PEOPLE_HEADERS, person_row("N1", "甲", "MKT")]),
    )

    job = services.import_job_run(job_id=job.pk)

    assert job.status == ImportJob.Status.FAILED
    assert "意外错误" in job.errors[0]["message"]
    assert not Person.objects.filter(employee_no__in=["HALF", "N1"]).exists()


def test_a_conflicting_change_during_the_write_fails_the_job_cleanly(personas, monkeypatch):
    def conflict(plan, snapshot):
        raise IntegrityError("duplicate key")

    monkeypatch.setattr(importing, "write", conflict)
    job = services.import_job_create(
        actor=personas.admin_user,
        people_file=csv_upload("p.csv", [PEOPLE_HEADERS, person_row("N1", "甲", "MKT")]),
    )

    job = services.import_job_run(job_id=job.pk)

    assert job.status == ImportJob.Status.FAILED
    assert "被他人修改" in job.errors[0]["message"]


def test_a_running_job_untouched_for_five_minutes_counts_as_interrupted(personas):
    job = services.import_job_create(
        actor=personas.admin_user,
        people_file=SimpleUploadedFile("p.csv", b"\xef\xbb\xbf\xe5\xb7\xa5\xe5\x8f\xb7"),
    )
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.RUNNING, updated_at=timezone.now() - ImportJob.STALE_AFTER
    )
    job.refresh_from_db()
    assert job.is_interrupted

    ImportJob.objects.filter(pk=job.pk).update(updated_at=timezone.now())
    job.refresh_from_db()
    assert not job.is_interrupted


def test_the_job_remembers_the_uploaders_language(personas):
    from django.utils import translation

    people = csv_upload("p.csv", [PEOPLE_HEADERS, person_row("N1", "甲", "XX")])
    with translation.override("en"):
        job = services.import_job_create(actor=personas.admin_user, people_file=people)
    job = services.import_job_run(job_id=job.pk)

    assert job.language == "en"
    assert job.errors[0]["message"] == "Unknown department code XX."


def test_uploaded_files_are_purged_30_days_after_their_job(personas, django_capture_on_commit_callbacks):
    people = csv_upload("人员.csv", [PEOPLE_HEADERS, person_row("N101", "新同事", "MKT")])
    with django_capture_on_commit_callbacks(execute=True):
        job = services.import_job_create(actor=personas.admin_user, people_file=people)
    job.refresh_from_db()
    path = job.people_file.path
    assert services.import_files_purge() == 0  # finished just now: kept

    ImportJob.objects.filter(pk=job.pk).update(finished_at=timezone.now() - timedelta(days=31))
    assert services.import_files_purge() == 1
    job.refresh_from_db()
    assert not job.people_file and job.status == ImportJob.Status.SUCCEEDED
    assert not os.path.exists(path)
