"""The list: most useful first, its filters, and a fixed number of queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from crossdesk.knowledge.selectors import EntryFilter, entry_list

from .factories import EntryFactory

pytestmark = pytest.mark.django_db


def titles(personas, **filters) -> list[str]:
    return [e.title for e in entry_list(user=personas.outsider.user, filters=EntryFilter(**filters))]


def test_the_most_useful_come_first_then_the_most_opened_then_the_newest(personas):
    now = timezone.now()
    EntryFactory(title="旧", published_at=now - timedelta(days=3))
    EntryFactory(title="新", published_at=now)
    EntryFactory(title="常看", views=10, published_at=now - timedelta(days=5))
    EntryFactory(title="有用", helpful=2, views=1, published_at=now - timedelta(days=9))
    assert titles(personas) == ["有用", "常看", "新", "旧"]


def test_the_filters_find_words_departments_and_tags(personas):
    a = EntryFactory(title="仓库分拣异常", tags=["物流", "仓库"], tags_text=",物流,仓库,")
    a.departments.set([personas.log])
    b = EntryFactory(title="投诉回访", solution="三天内电话回访客户", tags=["客服"], tags_text=",客服,")
    b.departments.set([personas.cs])
    assert titles(personas, q="分拣") == ["仓库分拣异常"]
    assert titles(personas, q="回访 电话") == ["投诉回访"]
    assert titles(personas, q="客服") == ["投诉回访"]  # a tag is searched too
    assert titles(personas, department=personas.cs.pk) == ["投诉回访"]
    assert titles(personas, tag="仓库") == ["仓库分拣异常"]
    assert titles(personas, tag="仓") == []  # a tag filter is exact


def count_list_queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/knowledge/").status_code == 200
    return len(ctx.captured_queries)


def test_the_list_page_takes_the_same_queries_for_3_or_12_entries(personas, client_for):
    client = client_for(personas.cs_liaison)
    for _ in range(3):
        EntryFactory().departments.set([personas.cs, personas.log])
    few = count_list_queries(client)
    for _ in range(9):
        EntryFactory(tags=["物流"], tags_text=",物流,").departments.set([personas.mkt])
    assert count_list_queries(client) == few
    assert few <= 25


def test_the_list_api_takes_the_same_queries_for_3_or_12_entries(personas, client_for):
    client = client_for(personas.cs_liaison)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/api/v1/knowledge/").status_code == 200
        return len(ctx.captured_queries)

    for _ in range(3):
        EntryFactory().departments.set([personas.cs])
    few = count()
    for _ in range(9):
        EntryFactory().departments.set([personas.mkt, personas.log])
    assert count() == few
