"""An entry of a confidential source is seen by exactly those who may see the source."""

from __future__ import annotations

import pytest

from crossdesk.collaboration.tests import factories as requests
from crossdesk.core.records.registry import may_see
from crossdesk.knowledge import services
from crossdesk.knowledge.selectors import EntryFilter, entry_list

from .factories import lesson

pytestmark = pytest.mark.django_db

PERSONAS = (
    "mkt_staff",
    "mkt_head",
    "cs_liaison",
    "cs_staff",
    "cs_head",
    "log_head",
    "supervisor",
    "outsider",
)


def seen_by(personas, entry) -> dict[str, bool]:
    return {who: may_see("knowledge.entry", getattr(personas, who).user, entry.pk) for who in PERSONAS}


def test_an_entry_of_a_confidential_request_is_seen_only_by_who_may_see_the_request(personas, client_for):
    request = requests.confirmed(personas, confidential=True, informed_departments=[])
    entry = services.entry_publish(
        actor=personas.cs_liaison.user, source_type="collaboration.request", source_id=request.pk, data={}
    )
    assert entry.confidential
    seen = seen_by(personas, entry)
    assert seen == {
        who: may_see("collaboration.request", getattr(personas, who).user, request.pk) for who in PERSONAS
    }
    assert seen["cs_liaison"] and seen["mkt_staff"] and not seen["outsider"] and not seen["log_head"]
    assert may_see("knowledge.entry", personas.admin_user, entry.pk)
    assert client_for(personas.outsider).get(f"/knowledge/{entry.pk}/").status_code == 404
    assert not entry_list(user=personas.outsider.user, filters=EntryFilter()).exists()
    assert client_for(personas.cs_liaison).get(f"/knowledge/{entry.pk}/").status_code == 200


def test_an_entry_of_an_ordinary_request_is_seen_by_everyone(personas):
    request = requests.confirmed(personas)
    entry = services.entry_publish(
        actor=personas.cs_liaison.user, source_type="collaboration.request", source_id=request.pk, data={}
    )
    assert all(seen_by(personas, entry).values())


def test_an_entry_of_a_confidential_projects_lesson_follows_the_project(personas):
    row = lesson(personas, confidential=True)
    entry = services.entry_publish(
        actor=personas.mkt_head.user, source_type="projects.lesson", source_id=row.pk, data={}
    )
    seen = seen_by(personas, entry)
    assert seen == {
        who: may_see("projects.project", getattr(personas, who).user, row.project_id) for who in PERSONAS
    }
    assert seen["mkt_head"] and not seen["outsider"]
