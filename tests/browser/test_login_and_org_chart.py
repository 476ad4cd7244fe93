import pytest
from playwright.sync_api import expect

from crossdesk.core.testing import PASSWORD, make_personas

from .helpers import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def attempt_log_in(page, username: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


def test_a_head_logs_in_and_opens_the_organisation_chart(page, screenshot):
    personas = make_personas()
    log_in(page, personas.cs_head.user.username)
    expect(page.get_by_role("heading", name="我的工作台")).to_be_visible()
    expect(page.get_by_test_id("my-roles")).to_contain_text("部门负责人")

    page.get_by_role("link", name="组织").click()
    expect(page).to_have_url("/org/")
    expect(page.locator("main")).to_contain_text("客户服务部")
    expect(page.locator("main")).to_contain_text("刘洋")
    screenshot("org-chart")

    page.get_by_role("link", name="客户服务部").first.click()
    expect(page.locator("main")).to_contain_text("李娜")


def test_a_wrong_password_is_refused_in_chinese(page):
    make_personas()
    attempt_log_in(page, "P001", "wrong-" + PASSWORD)
    expect(page.get_by_test_id("login-error")).to_contain_text("请输入一个正确的")


def test_the_navigation_works_at_phone_width(page, screenshot):
    personas = make_personas()
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, personas.mkt_staff.user.username)
    page.get_by_role("button", name="菜单").click()
    page.get_by_role("link", name="日历").click()
    expect(page).to_have_url("/calendar/")
    screenshot("calendar-phone")
