"""On a request's page, its receiving departments see how similar cases were solved."""

from __future__ import annotations

import pytest

from crossdesk.collaboration.tests import factories as requests

pytestmark = pytest.mark.django_db


def page_of(client, request) -> str:
    response = client.get(f"/requests/{request.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_receiving_liaison_sees_the_similar_resolved_cases(client_for, personas):
    earlier = requests.confirmed(personas, title="仓库分拣异常导致物流延迟")
    current = requests.submitted(personas, title="订单物流延迟，客户催促配送")
    page = page_of(client_for(personas.cs_liaison), current)
    assert 'data-testid="request-similar-cases"' in page
    assert earlier.number in page and "已修复仓库系统并完成配送" in page
    assert f'href="/requests/{current.pk}/" target="_blank"' not in page  # not itself


def test_the_initiator_and_a_finished_request_show_no_such_panel(client_for, personas):
    requests.confirmed(personas, title="仓库分拣异常导致物流延迟")
    current = requests.submitted(personas, title="订单物流延迟，客户催促配送")
    assert 'data-testid="request-similar-cases"' not in page_of(client_for(personas.mkt_staff), current)
    done = requests.confirmed(personas, title="物流延迟再次发生")
    assert 'data-testid="request-similar-cases"' not in page_of(client_for(personas.cs_liaison), done)


def test_a_similar_case_the_liaison_may_not_see_is_not_shown(client_for, personas):
    hidden = requests.confirmed(
        personas, title="仓库分拣异常导致物流延迟", confidential=True, informed_departments=[]
    )
    current = requests.submitted(
        personas, title="订单物流延迟，客户催促配送", receiving_departments=[personas.log.pk]
    )
    page = page_of(client_for(personas.log_head), current)
    assert 'data-testid="request-similar-cases"' in page
    assert hidden.number not in page
