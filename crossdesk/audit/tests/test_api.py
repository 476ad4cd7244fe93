"""GET /api/v1/audit/events: filters, who may read what, the 400s, a constant query count."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from crossdesk.audit.context import audit_context
from crossdesk.audit.models import AuditEvent, Via
from crossdesk.collaboration.tests import factories
from crossdesk.org import services as org_services

pytestmark = pytest.mark.django_db

URL = "/api/v1/audit/events"


def history_of(request):
    return {"object_type": "collaboration.request", "object_id": request.pk}


def test_a_person_who_may_see_the_record_reads_its_history(client_for, personas):
    request = factories.submitted(personas)
    response = client_for(personas.cs_liaison).get(URL, history_of(request))
    assert response.status_code == 200
    body = response.json()
    assert body["page"] == 1 and body["has_next"] is False
    actions = [item["action"] for item in body["items"]]
    assert actions[-1] == "create" and "update" in actions
    first = body["items"][-1]
    assert set(first) >= {"actor", "at", "action", "via", "changes", "reason", "object_type", "object_id"}
    assert first["object_type"] == "collaboration.request" and first["object_id"] == request.pk
    assert first["changes"]["title"] == [None, request.title]
    assert first["at"].endswith("+08:00")


def test_a_person_who_may_not_see_the_record_gets_404(client_for, personas):
    request = factories.submitted(personas)
    assert client_for(personas.outsider).get(URL, history_of(request)).status_code == 404


def test_a_person_gets_404_for_the_whole_trail_or_an_unregistered_type(client_for, personas):
    client = client_for(personas.cs_head)
    assert client.get(URL).status_code == 404
    assert client.get(URL, {"object_type": "org.department", "object_id": personas.cs.pk}).status_code == 404


def test_an_administrator_reads_everything_and_filters(client_for, personas):
    with audit_context(via=Via.API, actor=personas.admin_user):
        org_services.department_update(actor=personas.admin_user, department=personas.fin, name="财务中心")
    client = client_for(personas.admin_user)
    assert client.get(URL).json()["items"]
    by_admin = client.get(URL, {"actor": personas.admin_user.pk, "via": "api"}).json()["items"]
    assert [(i["object_type"], i["changes"]) for i in by_admin] == [
        ("org.department", {"name": ["财务部", "财务中心"]})
    ]
    assert by_admin[0]["actor"] == personas.admin_user.display_name and by_admin[0]["via"] == "api"
    system = client.get(URL, {"actor": "system"}).json()["items"]
    assert system and all(i["actor_id"] is None for i in system)
    one = client.get(URL, {"object_type": "org.department", "object_id": personas.fin.pk}).json()["items"]
    assert {i["object_id"] for i in one} == {personas.fin.pk}


def test_the_date_range_includes_the_whole_last_day(client_for, personas):
    with time_machine.travel(timezone.now() - timedelta(days=10)):
        personas.fin.name = "旧名"
        personas.fin.save()
    client = client_for(personas.admin_user)
    today = timezone.localdate()
    recent = client.get(URL, {"object_type": "org.department", "from": str(today - timedelta(days=1))}).json()
    assert all(i["changes"] != {"name": ["财务部", "旧名"]} for i in recent["items"])
    old = client.get(URL, {"object_type": "org.department", "to": str(today - timedelta(days=10))}).json()[
        "items"
    ]
    assert any(i["changes"] == {"name": ["财务部", "旧名"]} for i in old)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"object_type": "nope"}, "object_type"),
        ({"object_type": "collaboration.timelineentry"}, "object_type"),
        ({"object_id": "3"}, "object_type"),
        ({"object_type": "org.department", "object_id": "x"}, "object_id"),
        ({"actor": "someone"}, "actor"),
        ({"via": "fax"}, "via"),
        ({"from": "2026-13-01"}, "from"),
        ({"from": "2026-10-02", "to": "2026-10-01"}, "to"),
        ({"page": "0"}, "page"),
    ],
)
def test_a_bad_filter_is_a_400_naming_the_field(client_for, personas, params, field):
    response = client_for(personas.admin_user).get(URL, params)
    assert response.status_code == 400
    assert response.json()["field"] == field


def test_it_pages_fifty_rows_at_a_time(client_for, personas):
    for n in range(55):
        personas.fin.sort_order = n + 10
        personas.fin.save()
    client = client_for(personas.admin_user)
    params = {"object_type": "org.department", "object_id": personas.fin.pk}
    first = client.get(URL, params).json()
    second = client.get(URL, {**params, "page": 2}).json()
    assert len(first["items"]) == 50 and first["has_next"]
    assert second["page"] == 2 and not second["has_next"]
    assert {i["id"] for i in first["items"]}.isdisjoint(i["id"] for i in second["items"])


def test_the_query_count_does_not_grow_with_the_rows(client_for, personas):
    request = factories.submitted(personas)
    client = client_for(personas.cs_liaison)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL, history_of(request)).status_code == 200
        return len(captured)

    few = queries()
    ct = ContentType.objects.get_for_model(type(request))
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                content_type=ct,
                object_pk=str(request.pk),
                object_id=request.pk,
                object_repr="x",
                action=AuditEvent.Action.UPDATE,
                changes={"title": ["a", "b"]},
                actor=personas.mkt_staff.user,
            )
            for _ in range(30)
        ]
    )
    assert queries() == few
