"""Submitting names every missing field at once, on the page next to each field and in the
API as a list (issue 14 §4), and changes nothing."""

from __future__ import annotations

import json

import pytest

from crossdesk.collaboration import services
from crossdesk.collaboration.choices import RequestStatus
from crossdesk.collaboration.models import Request
from crossdesk.core.errors import ApplicationError

from . import factories
from .test_views import body, draft_form, url

pytestmark = pytest.mark.django_db

EMPTY = {"background": "", "current_situation": "", "expected_outcome": "", "expected_completion_at": None}


def test_the_service_lists_every_missing_field_first_one_named(personas):
    draft = factories.draft(personas, receiving_departments=[], **EMPTY)
    with pytest.raises(ApplicationError) as refused:
        services.request_submit(actor=personas.mkt_staff.user, request_id=draft.pk)
    assert refused.value.field == "background"
    assert list(refused.value.problems) == [
        "background",
        "current_situation",
        "expected_outcome",
        "receiving_departments",
        "expected_completion_at",
    ]
    assert Request.objects.get(pk=draft.pk).status == RequestStatus.DRAFT


def test_the_page_shows_each_missing_field_next_to_it_keeping_what_was_typed(personas, client_for):
    draft = factories.draft(personas)
    data = draft_form(personas, background="", expected_outcome="", version=draft.version, submit_now="1")
    response = client_for(personas.mkt_staff).post(url("edit", draft.pk), data)
    text = body(response)
    assert response.status_code == 400
    assert 'data-testid="field-error-background"' in text
    assert 'data-testid="field-error-expected_outcome"' in text
    assert 'data-testid="field-error-current_situation"' not in text  # it was filled in
    assert Request.objects.get(pk=draft.pk).status == RequestStatus.DRAFT


def test_the_api_lists_every_missing_field(personas, client_for):
    draft = factories.draft(personas, **EMPTY)
    response = client_for(personas.mkt_staff).post(
        f"/api/v1/requests/{draft.pk}/submit", data=json.dumps({}), content_type="application/json"
    )
    assert response.status_code == 400
    answer = response.json()
    assert answer["field"] == "background"
    assert [e["field"] for e in answer["errors"]] == [
        "background",
        "current_situation",
        "expected_outcome",
        "expected_completion_at",
    ]
    assert all(e["msg"] for e in answer["errors"])
