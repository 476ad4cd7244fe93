"""The request form: a draft opened for editing shows what was saved."""

import pytest

from crossdesk.collaboration.forms import RequestForm

from . import factories

pytestmark = pytest.mark.django_db


def test_the_edit_form_starts_from_the_draft_as_saved(personas):
    request = factories.draft(personas, resources_budget="¥5,000", confidential=True)
    initial = RequestForm.initial_for(request)
    assert initial["initiating_department"] == request.initiating_department_id
    assert initial["receiving_departments"] == [personas.cs.pk]
    assert initial["informed_departments"] == [personas.log.pk]
    assert initial["title"] == "客户订单物流延迟投诉" and initial["type"] == "complaint"
    assert initial["resources_budget"] == "¥5,000" and initial["confidential"] is True
    assert initial["expected_completion_at"] == request.expected_completion_at
    assert initial["version"] == request.version
    assert set(initial) == set(RequestForm.base_fields)
