import pytest
from django.urls import reverse

from crossdesk.org.models import ImportJob

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url_name",
    ["admin:org_department_changelist", "admin:org_person_changelist", "admin:org_importjob_changelist"],
)
def test_the_admin_lists_load(client_for, personas, url_name):
    assert client_for(personas.admin_user).get(reverse(url_name), {"q": "客"}).status_code == 200


def test_the_admin_edits_departments_and_people(client_for, personas):
    client = client_for(personas.admin_user)

    assert client.get(reverse("admin:org_department_change", args=[personas.cs.pk])).status_code == 200
    assert client.get(reverse("admin:org_person_change", args=[personas.cs_head.pk])).status_code == 200


def test_the_department_autocomplete_finds_people(client_for, personas):
    response = client_for(personas.admin_user).get(
        reverse("admin:autocomplete"),
        {"app_label": "org", "model_name": "department", "field_name": "head", "term": "刘"},
    )

    assert [r["text"] for r in response.json()["results"]] == ["刘洋"]


def test_import_jobs_are_read_only_in_the_admin(client_for, personas):
    job = ImportJob.objects.create(file_name="x.csv", created_by=personas.admin_user)
    client = client_for(personas.admin_user)

    assert client.get(reverse("admin:org_importjob_add")).status_code == 403
    page = client.get(reverse("admin:org_importjob_change", args=[job.pk]))
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
