import pytest

from crossdesk.core.i18n import compile_all

compile_all()


@pytest.fixture(autouse=True)
def _uploads_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"


@pytest.fixture
def personas(db):
    from crossdesk.core.testing import make_personas

    return make_personas()


@pytest.fixture
def client_for(client):
    """Log the test client in as a person (or a user) and return it."""

    def login(who):
        user = getattr(who, "user", who)
        client.force_login(user)
        return client

    return login
