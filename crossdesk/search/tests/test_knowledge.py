"""Knowledge-base entries are in the index with their own change: found by the search box
and the knowledge list in any word order, offered as similar cases, hidden with their
confidential source."""

from __future__ import annotations

import pytest

from crossdesk.collaboration.tests import factories as requests
from crossdesk.knowledge import services
from crossdesk.knowledge.selectors import EntryFilter, entry_list
from crossdesk.search.models import Kind, SearchDocument
from crossdesk.search.selectors import SearchParams, search, similar_cases
from crossdesk.search.services import index_rebuild

pytestmark = pytest.mark.django_db


def published(personas, *, confidential: bool = False, **data):
    request = requests.confirmed(personas, confidential=confidential, informed_departments=[])
    fields = {
        "title": "冷链包裹破损的赔付流程",
        "problem": "冷链包裹到货破损，客户要求赔付",
        "solution": "客服部先行赔付，物流部三个工作日内向承运商追偿",
        "departments": [personas.cs.pk, personas.log.pk],
        "tags": "冷链,赔付",
    }
    fields.update(data)
    return services.entry_publish(
        actor=personas.cs_liaison.user, source_type="collaboration.request", source_id=request.pk, data=fields
    )


def kinds_found(user, q: str) -> list[tuple[str, str]]:
    return [(hit.kind, hit.title) for hit in search(user=user, params=SearchParams(q=q)).items]


def test_a_published_entry_is_indexed_with_its_departments_in_the_same_transaction(personas):
    entry = published(personas)
    document = SearchDocument.objects.get(object_type="knowledge.entry", object_id=entry.pk)
    assert document.kind == Kind.KNOWLEDGE
    assert document.url == f"/knowledge/{entry.pk}/"
    assert (
        document.departments
        == f"|{min(personas.cs.pk, personas.log.pk)}|{max(personas.cs.pk, personas.log.pk)}|"
    )
    assert "追偿" in document.body and "冷链" in document.body
    assert document.extra["resolution"].startswith("客服部先行赔付")
    assert sorted(document.extra["solved_by"]) == sorted([personas.cs.name, personas.log.name])


def test_the_search_box_finds_an_entry_by_its_words_in_any_order(personas):
    entry = published(personas)
    for q in ("赔付 冷链", "追偿承运商", "破损 包裹"):
        assert (Kind.KNOWLEDGE, entry.title) in kinds_found(personas.outsider.user, q), q
    page = search(user=personas.outsider.user, params=SearchParams(q="追偿", kind=Kind.KNOWLEDGE))
    assert [hit.title for hit in page.items] == [entry.title]


def test_the_knowledge_list_finds_unspaced_words_in_any_order(personas):
    entry = published(personas)
    for q in ("赔付冷链", "承运商追偿", "冷链"):
        found = entry_list(user=personas.outsider.user, filters=EntryFilter(q=q))
        assert [e.pk for e in found] == [entry.pk], q
    assert not entry_list(user=personas.outsider.user, filters=EntryFilter(q="发票")).exists()


def test_similar_cases_offer_the_entry_with_its_solution(personas):
    entry = published(personas)
    hits = similar_cases(user=personas.mkt_staff.user, text="客户的冷链包裹破损了，要求赔付")
    knowledge = [hit for hit in hits if hit.kind == Kind.KNOWLEDGE]
    assert [hit.id for hit in knowledge] == [entry.pk]
    assert knowledge[0].extra["resolution"] == entry.solution


def test_an_entry_of_a_confidential_request_is_found_only_by_who_may_see_it(personas):
    entry = published(personas, confidential=True)
    assert (Kind.KNOWLEDGE, entry.title) in kinds_found(personas.cs_liaison.user, "追偿")
    assert kinds_found(personas.outsider.user, "追偿") == []
    assert similar_cases(user=personas.outsider.user, text="冷链包裹破损赔付") == []


def test_a_changed_department_list_and_a_rebuild_keep_the_document_current(personas):
    entry = published(personas)
    entry.departments.set([personas.mkt])
    document = SearchDocument.objects.get(object_type="knowledge.entry", object_id=entry.pk)
    assert document.departments == f"|{personas.mkt.pk}|"
    SearchDocument.objects.filter(object_type="knowledge.entry").delete()
    assert index_rebuild(object_types=["knowledge.entry"]) == 1
    assert SearchDocument.objects.filter(object_type="knowledge.entry", object_id=entry.pk).exists()
    entry.delete()
    assert not SearchDocument.objects.filter(object_type="knowledge.entry").exists()
