"""A clock's history cannot be edited or deleted, not even by a superuser in the admin."""

import pytest
from django.urls import reverse

from crossdesk.deadlines import services
from crossdesk.deadlines.keys import RuleKey
from crossdesk.deadlines.models import ClockEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def events(personas):
    clock = services.clock_start(
        subject=personas.cs, key=RuleKey.REQUEST_RESPOND, variant="normal", department=personas.cs
    )
    services.clock_stop(clock=clock, actor=personas.admin_user)
    return list(ClockEvent.objects.filter(clock=clock))


def test_the_admin_bulk_delete_of_clock_events_is_refused(client, personas, events):
    client.force_login(personas.admin_user)
    response = client.post(
        reverse("admin:deadlines_clockevent_changelist"),
        {"action": "delete_selected", "_selected_action": [e.pk for e in events], "post": "yes"},
    )
    assert response.status_code in (200, 302)
    assert ClockEvent.objects.filter(pk__in=[e.pk for e in events]).count() == len(events)


def test_the_admin_shows_clock_events_read_only(client, personas, events):
    client.force_login(personas.admin_user)
    assert client.get(reverse("admin:deadlines_clockevent_changelist")).status_code == 200
    assert client.get(reverse("admin:deadlines_clockevent_add")).status_code == 403
    assert client.get(reverse("admin:deadlines_clockevent_delete", args=[events[0].pk])).status_code == 403


def test_clock_events_refuse_bulk_writes(events):
    with pytest.raises(ValueError, match="append-only"):
        ClockEvent.objects.all().delete()
    with pytest.raises(ValueError, match="append-only"):
        ClockEvent.objects.update(data={})
    with pytest.raises(ValueError, match="append-only"):
        events[0].delete()
