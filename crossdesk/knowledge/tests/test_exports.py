"""The knowledge base in Excel: the entries of the filtered list, nobody else's."""

from __future__ import annotations

import pytest

from crossdesk.collaboration.tests import factories as requests
from crossdesk.core.testing import queries_of, xlsx_rows

from .factories import EntryFactory

pytestmark = pytest.mark.django_db
URL = "/knowledge/export.xlsx"


def test_the_export_has_the_entries_of_the_filtered_list_most_useful_first(personas, client_for):
    warehouse = EntryFactory(title="仓库分拣异常", helpful=1, tags=["物流", "仓库"], tags_text=",物流,仓库,")
    warehouse.departments.set([personas.log])
    sorting = EntryFactory(title="分拣线升级", helpful=3, tags=["仓库"], tags_text=",仓库,")
    EntryFactory(title="投诉回访", tags=["客服"], tags_text=",客服,")
    client = client_for(personas.cs_liaison)
    page = client.get("/knowledge/", {"tag": "仓库"}).content.decode()
    rows = xlsx_rows(client.get(URL, {"tag": "仓库"}))
    assert rows[0][:3] == ("标题", "问题", "解决方案")
    assert [r[0] for r in rows[1:]] == [sorting.title, warehouse.title]
    assert page.count('data-testid="entry-row"') == 2
    assert rows[2][3] == personas.log.name and rows[2][4] == "物流、仓库"
    assert 'href="/knowledge/export.xlsx?tag=%E4%BB%93%E5%BA%93"' in page


def test_an_entry_of_a_confidential_source_is_exported_only_to_who_may_see_it(personas, client_for):
    request = requests.confirmed(personas, confidential=True, informed_departments=[])
    EntryFactory(
        title="保密请求的经验",
        confidential=True,
        scope_type="collaboration.request",
        scope_id=request.pk,
        source_id=request.pk,
    )
    EntryFactory(title="公开经验")
    assert [r[0] for r in xlsx_rows(client_for(personas.outsider).get(URL))[1:]] == ["公开经验"]
    assert {r[0] for r in xlsx_rows(client_for(personas.cs_liaison).get(URL))[1:]} == {
        "公开经验",
        "保密请求的经验",
    }


def test_a_bad_filter_is_refused_naming_it(personas, client_for):
    response = client_for(personas.cs_liaison).get(URL, {"department": "abc"})
    assert response.status_code == 400 and "department" in response.content.decode()


def test_the_export_takes_the_same_queries_for_3_or_12_entries(personas, client_for):
    client = client_for(personas.cs_liaison)
    for _ in range(3):
        EntryFactory().departments.set([personas.cs, personas.log])
    queries_of(client, URL)
    few = queries_of(client, URL)
    for _ in range(9):
        EntryFactory(tags=["物流"], tags_text=",物流,").departments.set([personas.mkt])
    assert queries_of(client, URL) == few
