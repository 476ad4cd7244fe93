"""One request from submission to archive, across the initiator, the receiving liaison
and the heads who sign, all through the pages."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from crossdesk.collaboration.models import Request
from crossdesk.core.testing import make_personas

from .helpers import log_in, log_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def local_input(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def act(page, action: str, fill=None) -> None:
    """Open an action's form on the request page, fill it, send it."""
    page.get_by_test_id(f"action-{action}").first.click()
    form = page.get_by_test_id(f"form-{action}")
    expect(form).to_be_visible()
    if fill:
        fill(form)
    form.get_by_test_id(f"submit-{action}").click()


def test_a_request_goes_from_submission_to_archive(page, screenshot):
    personas = make_personas()
    page.on("dialog", lambda dialog: dialog.accept())

    # The initiator in MKT raises the request.
    log_in(page, personas.mkt_staff.user.username)
    page.goto("/requests/new/")
    form = page.get_by_test_id("request-form")
    form.locator("[name=title]").fill("客户订单物流延迟投诉")
    form.locator("[name=background]").fill("客户反馈订单物流延迟3天")
    form.locator("[name=current_situation]").fill("仓库系统故障导致分拣异常")
    form.locator("[name=expected_outcome]").fill("24小时内完成配送并告知客户")
    form.locator(f"[name=receiving_departments][value='{personas.cs.pk}']").check()
    form.locator("[name=expected_completion_at]").fill(local_input(timezone.now() + timedelta(days=7)))
    page.get_by_test_id("submit-request").click()
    expect(page.get_by_test_id("request-number")).to_contain_text("XMB-")
    request = Request.objects.get()
    url = f"/requests/{request.pk}/"
    expect(page.get_by_test_id("countdown")).to_be_visible()
    screenshot("request-submitted")
    log_out(page)

    # The CS liaison accepts, then resolves.
    log_in(page, personas.cs_liaison.user.username)
    page.goto(url)

    def accept(form):
        form.locator("[name=liaison]").select_option(str(personas.cs_liaison.pk))
        form.locator("[name=committed_at]").fill(local_input(timezone.now() + timedelta(days=3)))

    act(page, "accept", accept)
    expect(page.get_by_test_id("part-CS")).to_contain_text("已接受")

    def resolve(form):
        form.locator("[name=resolution]").fill("已修复仓库系统并完成配送")
        form.locator("[name=responsible]").select_option(str(personas.cs_staff.pk))

    act(page, "resolve", resolve)
    expect(page.get_by_test_id("part-CS")).to_contain_text("已解决")
    log_out(page)

    # The initiator confirms and rates.
    log_in(page, personas.mkt_staff.user.username)
    page.goto(url)
    act(page, "confirm", lambda form: form.locator("[name=satisfaction][value='5']").check())
    expect(page.get_by_test_id("satisfaction")).to_contain_text("5")
    log_out(page)

    # Both heads sign.
    log_in(page, personas.cs_head.user.username)
    page.goto(url)
    act(page, "sign")
    expect(page.get_by_test_id("signatures")).to_contain_text(personas.cs_head.name)
    log_out(page)
    log_in(page, personas.mkt_head.user.username)
    page.goto(url)
    act(page, "sign_initiator")
    expect(page.get_by_test_id("signatures")).to_contain_text(personas.mkt_head.name)
    log_out(page)

    # The initiator archives; the record is read-only.
    log_in(page, personas.mkt_staff.user.username)
    page.goto(url)
    act(page, "archive")
    expect(page.get_by_test_id("archived-banner")).to_be_visible()
    expect(page.get_by_test_id("actions")).to_have_count(0)
    screenshot("request-archived")
    assert Request.objects.get().status == "archived"
