"""A labelled relevance set of the tests' own making: for each query, the records that must
come first. Title and number hits rank above text hits; at equal score the recent first."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from crossdesk.collaboration.tests import factories as requests
from crossdesk.search.selectors import SearchParams, search, similar_cases

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus(personas):
    """Requests whose titles and texts overlap in the words asked for below."""
    now = timezone.now()

    def raised(days_ago: int, factory=requests.submitted, **data):
        with time_machine.travel(now - timedelta(days=days_ago), tick=False):
            return factory(personas, **data)

    common = {"current_situation": "待核实", "expected_outcome": "尽快处理"}
    return {
        "delay_title": raised(30, title="华东仓物流延迟", background="客户订单未按期送达", **common),
        "delay_text": raised(
            5, title="客户订单投诉", background="因物流延迟导致客户投诉，需要物流部说明", **common
        ),
        "scanner": raised(20, title="A9扫码枪故障", background="分拣线的A9扫码枪无法识别条码", **common),
        "q3": raised(15, title="Q3备货计划", background="Q3旺季备货需要采购部配合", **common),
        "old_twin": raised(60, title="发票抬头错误", background="财务重开发票", **common),
        "new_twin": raised(2, title="发票抬头错误", background="财务重开发票", **common),
        "refund": raised(
            10,
            factory=requests.confirmed,
            title="退款迟迟未到账",
            background="客户退款超过7天未到账",
            **common,
        ),
    }


LABELLED = [
    ("物流延迟", ["delay_title", "delay_text"]),
    ("延迟 物流", ["delay_title", "delay_text"]),
    ("A9", ["scanner"]),
    ("扫码枪 A9 故障", ["scanner"]),
    ("q3 备货", ["q3"]),
    ("发票", ["new_twin", "old_twin"]),
    ("退款", ["refund"]),
]


@pytest.mark.parametrize(("query", "expected"), LABELLED)
def test_the_labelled_records_come_first(personas, corpus, query, expected):
    hits = search(user=personas.mkt_staff.user, params=SearchParams(q=query)).items
    assert [h.id for h in hits[: len(expected)]] == [corpus[name].pk for name in expected]


def test_the_number_finds_its_record_first(personas, corpus):
    target = corpus["scanner"]
    hits = search(user=personas.mkt_staff.user, params=SearchParams(q=target.number)).items
    assert hits[0].id == target.pk


def test_similar_cases_put_the_closest_resolved_case_first(personas, corpus):
    hits = similar_cases(user=personas.mkt_staff.user, text="客户退款一直没有到账，已经延迟两周")
    assert hits and hits[0].id == corpus["refund"].pk
