"""Printing a request: Ctrl+P on its page prints the record without the navigation, and
its print view is the paper form [000] with a toolbar that never prints."""

import pytest
from playwright.sync_api import expect

from crossdesk.collaboration.tests import factories
from crossdesk.core.testing import make_personas

from .helpers import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_request_prints_as_its_paper_form(page, screenshot):
    personas = make_personas()
    request = factories.signed(personas, urgency="urgent")
    log_in(page, personas.mkt_staff.user.username)

    page.goto(f"/requests/{request.pk}/")
    page.emulate_media(media="print")
    expect(page.locator(".cd-topbar")).to_be_hidden()
    expect(page.locator("#cd-sidebar")).to_be_hidden()
    expect(page.get_by_test_id("print-links")).to_be_hidden()
    expect(page.get_by_test_id("parts")).to_be_visible()
    expect(page.get_by_test_id("signatures")).to_be_visible()
    screenshot("request-page-printed")
    page.emulate_media(media="screen")

    page.get_by_test_id("print-links").get_by_test_id("print-view-link").click()
    form = page.get_by_test_id("printed-form")
    expect(form.locator("h1")).to_have_text("跨部门协作沟通与问题反馈表")
    expect(form.get_by_test_id("section-basic")).to_contain_text("■ 紧急")
    expect(form.get_by_test_id("section-resolution")).to_contain_text("已修复仓库系统并完成配送")
    expect(form.get_by_test_id("section-signatures")).to_contain_text("刘洋")
    expect(page.get_by_test_id("print-toolbar")).to_be_visible()
    screenshot("request-print-view")
    page.emulate_media(media="print")
    expect(page.get_by_test_id("print-toolbar")).to_be_hidden()
    expect(form).to_be_visible()
