"""The index follows the records in their own transaction, and matches Chinese in any order."""

from __future__ import annotations

import pytest

from crossdesk.collaboration.tests import factories as requests
from crossdesk.search.selectors import SearchParams, search

pytestmark = pytest.mark.django_db


def found(user, q, **params):
    return [(h.kind, h.id) for h in search(user=user, params=SearchParams(q=q, **params)).items]


def test_it_finds_a_submitted_request_by_its_words_in_any_order(personas):
    request = requests.submitted(personas)
    user = personas.mkt_staff.user
    assert ("request", request.pk) in found(user, "物流延迟")
    assert ("request", request.pk) in found(user, "延迟 物流")
    assert ("request", request.pk) in found(user, "延迟物流")
    assert found(user, "财务报销") == []
