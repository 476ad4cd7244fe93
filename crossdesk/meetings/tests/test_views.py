"""The placeholder meeting page: it exists so notifications and deadlines can link to it."""

import pytest

from . import factories

pytestmark = pytest.mark.django_db


def test_a_participant_opens_the_meeting_and_an_outsider_gets_404(personas, client_for):
    meeting = factories.notified(personas)
    response = client_for(personas.cs_liaison).get(meeting.get_absolute_url())
    assert response.status_code == 200 and meeting.number in response.content.decode()
    assert client_for(personas.outsider).get(meeting.get_absolute_url()).status_code == 404


def test_the_page_needs_a_login(personas, client):
    meeting = factories.notified(personas)
    response = client.get(meeting.get_absolute_url())
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
