import pytest


@pytest.fixture
def admin(personas):
    return personas.admin_user


@pytest.fixture
def staff(personas):
    return personas.mkt_staff.user
