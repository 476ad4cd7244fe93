"""The invitee picker: found by name or department, a whole department ticked at once."""

import pytest
from playwright.sync_api import expect

from crossdesk.core.testing import make_personas

from .helpers import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_invitees_are_found_by_name_and_a_department_is_ticked_at_once(page):
    personas = make_personas()
    log_in(page, personas.mkt_staff.user.username)
    page.goto("/meetings/new/")
    picker = page.get_by_test_id("invitees")
    page.get_by_test_id("invitee-filter").fill(personas.cs_liaison.name)
    visible = picker.locator(".form-check:visible")
    expect(visible).to_have_count(1)
    expect(visible.first).to_contain_text(personas.cs_liaison.name)

    page.get_by_test_id("invitee-filter").fill(personas.cs.name)  # a department's name
    group = picker.get_by_test_id("invitee-group").filter(has_text=personas.cs.name)
    expect(group).to_be_visible()
    page.get_by_test_id("invitee-filter").fill("")
    group.get_by_test_id("invitee-group-all").click()
    boxes = group.locator("input[type=checkbox]")
    assert boxes.count() >= 2
    for n in range(boxes.count()):
        expect(boxes.nth(n)).to_be_checked()
