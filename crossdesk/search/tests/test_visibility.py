"""A hit never reveals a record to someone who may not open it: every persona runs the same
queries, and what they find of each kind is exactly what their lists show of it."""

from __future__ import annotations

import pytest

from crossdesk.collaboration.selectors import RequestFilter, request_list
from crossdesk.collaboration.tests import factories as requests
from crossdesk.meetings.selectors import visible_action_items, visible_meetings
from crossdesk.meetings.tests import factories as meetings
from crossdesk.org.selectors import roles_for
from crossdesk.projects.selectors import visible_projects
from crossdesk.projects.selectors.close import visible_lessons
from crossdesk.projects.tests import factories as projects
from crossdesk.search.models import SearchDocument
from crossdesk.search.selectors import SearchParams, search, similar_cases

pytestmark = pytest.mark.django_db

# Every record below says 蓝鲸 somewhere (title or text), so one query reaches all of them.
QUERIES = ["蓝鲸", "蓝鲸 物流", "物流延迟 蓝鲸", "蓝鲸仓库"]


@pytest.fixture
def records(personas):
    open_request = requests.submitted(personas, title="蓝鲸客户物流延迟")
    secret = requests.resolved(personas, title="蓝鲸仓库保密整改", confidential=True)
    requests.draft(personas, title="蓝鲸草稿")
    to_log = requests.submitted(
        personas, title="蓝鲸物流赔付", receiving_departments=[personas.log.pk], informed_departments=[]
    )
    meeting = meetings.notified(personas, title="蓝鲸物流协调会")
    meetings.draft(personas, title="蓝鲸会议草稿")
    public = projects.project_rows(personas, status="running", name="蓝鲸仓库改造")
    hidden = projects.project_rows(personas, status="running", name="蓝鲸保密项目", confidential=True)
    projects.LessonFactory(project=hidden, title="蓝鲸保密经验", published_at=hidden.created_at)
    projects.LessonFactory(project=public, title="蓝鲸物流经验", published_at=public.created_at)
    return [open_request, secret, to_log, meeting, public, hidden]


def everyone(personas):
    people = [
        personas.mkt_staff,
        personas.mkt_head,
        personas.cs_liaison,
        personas.cs_staff,
        personas.cs_head,
        personas.log_head,
        personas.supervisor,
        personas.outsider,
    ]
    return [(p.name, p.user) for p in people] + [("admin", personas.admin_user)]


def listed(user) -> dict[str, set[int]]:
    """What the lists show this person, per kind."""
    roles = roles_for(user)
    return {
        "request": set(request_list(roles=roles, filters=RequestFilter()).values_list("pk", flat=True)),
        "meeting": set(visible_meetings(roles=roles).values_list("pk", flat=True)),
        "actionitem": set(visible_action_items(roles=roles).values_list("pk", flat=True)),
        "project": set(visible_projects(roles=roles).values_list("pk", flat=True)),
        "lesson": set(visible_lessons(roles=roles).values_list("pk", flat=True)),
    }


def says_lanjing(kind: str) -> set[int]:
    """The records of ``kind`` in the index with 蓝鲸 in their title, whoever may see them."""
    rows = SearchDocument.objects.filter(kind=kind, title__contains="蓝鲸")
    return set(rows.values_list("object_id", flat=True))


def test_every_persona_finds_exactly_what_their_lists_show(personas, records):
    everything = len(search(user=personas.admin_user, params=SearchParams(q="蓝鲸"), size=100).items)
    someone_sees_less = False
    for name, user in everyone(personas):
        lists = listed(user)
        for q in QUERIES:
            for hit in search(user=user, params=SearchParams(q=q), size=100).items:
                assert hit.id in lists[hit.kind], (name, q, hit.kind, hit.title)
        # The broad query finds every listed record that says 蓝鲸: none the list shows is missing.
        hits = search(user=user, params=SearchParams(q="蓝鲸"), size=100).items
        for kind in lists:
            assert {h.id for h in hits if h.kind == kind} == lists[kind] & says_lanjing(kind), (name, kind)
        someone_sees_less |= len(hits) < everything
    assert someone_sees_less  # the set-up has records some personas may not see


def test_the_outsider_learns_nothing_of_confidential_or_foreign_records(personas, records):
    hits = search(user=personas.outsider.user, params=SearchParams(q="蓝鲸"), size=100).items
    # Only the knowledge base entry of the project that is not confidential is everyone's.
    assert [(h.kind, h.title) for h in hits] == [("lesson", "蓝鲸物流经验")]


def test_the_confidential_request_is_found_by_those_involved_only(personas, records):
    secret = records[1]
    hits = search(user=personas.cs_liaison.user, params=SearchParams(q="保密整改")).items
    assert [(h.kind, h.id) for h in hits] == [("request", secret.pk)]
    assert search(user=personas.outsider.user, params=SearchParams(q="保密整改")).items == []


def test_similar_cases_follow_the_same_rule(personas, records):
    secret = records[1]
    assert secret.pk in {h.id for h in similar_cases(user=personas.cs_liaison.user, text="仓库保密整改")}
    for _name, user in everyone(personas):
        allowed = listed(user)
        for hit in similar_cases(user=user, text="蓝鲸仓库保密整改 物流经验"):
            assert hit.id in allowed[hit.kind]


def test_nobody_signed_in_finds_nothing(personas, records):
    from django.contrib.auth.models import AnonymousUser

    assert search(user=AnonymousUser(), params=SearchParams(q="蓝鲸")).items == []
