"""The inbox index answers exactly what the ordinary query answers, in the same order."""

from datetime import timedelta

import pytest
from django.utils import timezone

from crossdesk.collaboration import selectors, services
from crossdesk.collaboration.models import RequestInvolvement
from crossdesk.collaboration.selectors import InboxQuerySet, RequestFilter
from crossdesk.org.selectors import roles_for

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def requests_in_every_state(personas):
    made = [
        factories.submitted(personas),
        factories.accepted(personas, urgency="urgent"),
        factories.resolved(
            personas, type="resource", receiving_departments=[personas.cs.pk, personas.log.pk]
        ),
        factories.signed(personas, confidential=True),
        factories.draft(personas),
    ]
    cancelled = factories.submitted(personas, title="取消的请求")
    services.request_cancel(actor=personas.mkt_staff.user, request_id=cancelled.pk, reason="不再需要")
    made.append(cancelled)
    return made


def both_ways(roles, filters):
    fast = selectors.request_list(roles=roles, filters=filters)
    assert isinstance(fast, InboxQuerySet)
    slow = fast._clone()
    slow._inbox_ids = None
    return fast, slow


@pytest.mark.parametrize(
    "filters",
    [
        {},
        {"direction": "raised"},
        {"direction": "received"},
        {"status": "in_progress"},
        {"statuses": ["submitted", "cancelled"]},
        {"urgency": "urgent"},
        {"type": "resource"},
        {"overdue": True},
        {"sort": "submitted_at"},
        {"sort": "next_due_at"},
        {"sort": "-next_due_at"},
    ],
)
def test_the_index_gives_the_same_rows_in_the_same_order(personas, requests_in_every_state, filters):
    for head, department in [(personas.cs_head, personas.cs), (personas.mkt_head, personas.mkt)]:
        fast, slow = both_ways(roles_for(head.user), RequestFilter(department=department.pk, **filters))
        assert fast.count() == slow.count()
        assert [r.pk for r in fast[0:50]] == [r.pk for r in slow[0:50]]
        assert [r.pk for r in fast[1:3]] == [r.pk for r in slow[1:3]]


def test_a_department_member_who_is_not_its_head_is_answered_the_ordinary_way(
    personas, requests_in_every_state
):
    rows = selectors.request_list(
        roles=roles_for(personas.cs_staff.user), filters=RequestFilter(department=personas.cs.pk)
    )
    assert not isinstance(rows, InboxQuerySet)


def test_the_index_follows_every_change(personas):
    request = factories.accepted(personas)
    rows = RequestInvolvement.objects.filter(request=request)
    assert sorted(rows.values_list("department__code", "role")) == [
        ("CS", "receiving"),
        ("LOG", "informed"),
        ("MKT", "initiating"),
    ]
    assert set(rows.values_list("status", flat=True)) == {"in_progress"}
    part = request.parts.get(department=personas.cs)
    services.part_change_commitment(
        actor=personas.cs_liaison.user,
        request_id=request.pk,
        part_id=part.pk,
        committed_at=timezone.now() + timedelta(days=9),
        reason="供应商延迟",
    )
    request.refresh_from_db()
    assert set(rows.values_list("next_due_at", flat=True)) == {request.next_due_at}


def test_the_migration_backfill_rebuilds_the_index(personas, requests_in_every_state):
    from django.db import connection

    from crossdesk.collaboration.involvement import BACKFILL_SQL

    before = sorted(
        RequestInvolvement.objects.values_list("request_id", "department_id", "role", "status", "is_overdue")
    )
    with connection.cursor() as cursor:
        for statement in BACKFILL_SQL:
            cursor.execute(statement)
    after = sorted(
        RequestInvolvement.objects.values_list("request_id", "department_id", "role", "status", "is_overdue")
    )
    assert after == before and len(after) > 0
