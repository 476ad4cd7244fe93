"""One coordination meeting from the notice to the signed minutes, all through the pages:
schedule it, mark it held, write minutes with two action items, circulate, take one
objection, revise, circulate again, confirm for each department, and collect both heads'
signatures.

The meeting starts a minute or so from now, so the notice is late and carries a reason, and
the test waits (in real time, no frozen clock: the live server runs in another thread) until
it has begun before marking it held."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from crossdesk.core.testing import make_personas
from crossdesk.meetings.models import ActionItem, Meeting

from .helpers import log_in, log_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def local_input(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def act(page, action: str, fill=None) -> None:
    """Open an action's form on the meeting page, fill it, send it."""
    page.get_by_test_id(f"action-{action}").first.click()
    form = page.get_by_test_id(f"form-{action}")
    expect(form).to_be_visible()
    if fill:
        fill(form)
    form.get_by_test_id(f"submit-{action}").click()


def status(page):
    return page.get_by_test_id("meeting-status")


def rows(page, testid: str, add: str, count: int):
    """The editor's rows of one section, adding blank ones until there are ``count``."""
    found = page.get_by_test_id(testid)
    while found.count() < count:
        page.get_by_test_id(add).click()
    expect(found).to_have_count(count)
    return found


def settle_autosave(page) -> None:
    """Let the editor's autosave catch up, so the full save carries the current version.
    Blur first: a text field's change (which also autosaves) fires only when it loses focus."""
    page.evaluate("document.activeElement && document.activeElement.blur()")
    page.wait_for_timeout(2_000)
    expect(page.get_by_test_id("autosave-saved")).to_be_visible()
    for _ in range(2):
        page.wait_for_function("!document.getElementById('minutes-form').classList.contains('htmx-request')")
        page.wait_for_timeout(400)


def test_minutes_go_from_the_notice_through_an_objection_to_every_signature(page, screenshot):
    personas = make_personas()
    page.on("dialog", lambda dialog: dialog.accept())

    starts = (timezone.localtime() + timedelta(seconds=90)).replace(second=0, microsecond=0)
    ends = min(starts + timedelta(hours=1), starts.replace(hour=23, minute=59))
    if ends <= starts:
        pytest.skip("too close to midnight to hold a meeting today")

    # The MKT initiator schedules the meeting and records it herself.
    log_in(page, personas.mkt_staff.user.username)
    page.goto("/meetings/new/")
    form = page.get_by_test_id("meeting-form")
    form.locator("[name=title]").fill("C产品响应速度问题专项沟通会")
    form.locator("[name=kind]").select_option("special")
    form.locator("[name=date]").fill(starts.date().isoformat())
    form.locator("[name=start_time]").fill(starts.strftime("%H:%M"))
    form.locator("[name=end_time]").fill(ends.strftime("%H:%M"))
    form.locator("[name=place]").fill("3楼第一会议室")
    form.locator(f"[name=departments][value='{personas.cs.pk}']").check()
    form.locator(f"[name=people][value='{personas.cs_liaison.pk}']").check()
    form.locator("[name=recorder]").select_option(str(personas.mkt_staff.pk))
    form.locator("[name=background]").fill("客户反馈C产品响应速度慢")
    form.locator("[name=goal]").fill("明确功能优化优先级及交付时间")
    form.locator("[name=agenda]").fill("问题原因分析\n解决方案可行性")
    page.get_by_test_id("save-draft").click()

    # Less than 3 working days ahead: the notice is late and says why.
    expect(page.get_by_test_id("notice-timing")).to_be_visible()
    page.locator("[name=late_reason]").fill("客户要求尽快沟通")
    page.get_by_test_id("send-notice").click()
    expect(status(page)).to_have_text("已通知")
    expect(page.get_by_test_id("meeting-number")).to_contain_text("-MKT-")
    expect(page.get_by_test_id("late-reason")).to_contain_text("客户要求尽快沟通")
    expect(page.get_by_test_id("part-CS")).to_contain_text("李娜")
    meeting = Meeting.objects.get()
    url = f"/meetings/{meeting.pk}/"
    assert page.url.endswith(url)

    # Once the meeting has begun, the initiator marks it held.
    while timezone.now() < meeting.starts_at:
        time.sleep(1)
    page.reload()
    act(page, "mark_held")
    expect(status(page)).to_have_text("已召开")

    # The recorder writes the minutes: a discussion point, a consensus point, two items.
    page.get_by_test_id("action-write_minutes").click()
    expect(page.get_by_test_id("minutes-form")).to_be_visible()
    discussion = rows(page, "discussion-row", "add-discussion", 1).first
    discussion.locator("[name$='-topic']").fill("问题原因分析")
    discussion.locator("[name$='-points']").fill("客户对C产品响应速度不满；客服建议优化交互逻辑")
    rows(page, "consensus-row", "add-consensus", 1).first.locator("[name$='-text']").fill(
        "优先优化交互逻辑，同时评估服务器升级可行性"
    )
    items = rows(page, "item-row", "add-item", 2)
    for n, (action, owner, days) in enumerate(
        [
            ("优化C产品交互逻辑方案", personas.cs_liaison, 5),
            ("提供客户具体需求清单", personas.mkt_staff, 10),
        ]
    ):
        row = items.nth(n)
        row.locator("[name$='-action']").fill(action)
        row.locator("[name$='-owner']").select_option(str(owner.pk))
        row.locator("[name$='-due_at']").fill(local_input(timezone.now() + timedelta(days=days)))
    settle_autosave(page)
    page.get_by_test_id("circulate-minutes").click()
    expect(status(page)).to_have_text("纪要已传阅")
    expect(page.get_by_test_id("action-items")).to_contain_text("优化C产品交互逻辑方案")
    expect(page.get_by_test_id("action-items")).to_contain_text("提供客户具体需求清单")
    log_out(page)

    # The CS representative objects.
    log_in(page, personas.cs_liaison.user.username)
    page.goto(url)
    act(page, "object", lambda form: form.locator("[name=text]").fill("交互优化方案应在3天内提交"))
    expect(status(page)).to_have_text("有异议")
    expect(page.get_by_test_id("part-CS")).to_contain_text("异议")
    expect(page.get_by_test_id("part-CS")).to_contain_text("交互优化方案应在3天内提交")
    log_out(page)

    # The recorder revises and circulates again.
    log_in(page, personas.mkt_staff.user.username)
    page.goto(url)
    act(page, "revise")
    expect(status(page)).to_have_text("纪要修改中")
    page.get_by_test_id("action-write_minutes").click()
    expect(page.get_by_test_id("minutes-form")).to_be_visible()
    rows(page, "consensus-row", "add-consensus", 2).nth(1).locator("[name$='-text']").fill(
        "交互优化方案3天内提交"
    )
    page.get_by_test_id("item-row").first.locator("[name$='-due_at']").fill(
        local_input(timezone.now() + timedelta(days=3))
    )
    settle_autosave(page)
    page.get_by_test_id("circulate-minutes").click()
    expect(status(page)).to_have_text("纪要已传阅")
    versions = page.get_by_test_id("versions")
    expect(versions).to_contain_text("第 1 版")
    expect(versions).to_contain_text("第 2 版")
    diff = page.get_by_test_id("diff")
    expect(diff).to_contain_text("有改动")
    expect(diff).to_contain_text("交互优化方案3天内提交")

    # Each department's representative confirms the second version.
    act(page, "confirm")
    expect(page.get_by_test_id("part-MKT").get_by_test_id("response")).to_contain_text("张伟")
    log_out(page)
    log_in(page, personas.cs_liaison.user.username)
    page.goto(url)
    act(page, "confirm")
    expect(status(page)).to_have_text("纪要已确认")
    log_out(page)

    # Each participating department's head signs.
    for head, code in ((personas.mkt_head, "MKT"), (personas.cs_head, "CS")):
        log_in(page, head.user.username)
        page.goto(url)
        act(page, "sign")
        expect(page.get_by_test_id(f"part-{code}")).to_contain_text(head.name)
        log_out(page)

    # Anyone involved sees the final, signed minutes and both versions.
    log_in(page, personas.mkt_staff.user.username)
    page.goto(url)
    expect(status(page)).to_have_text("已签字")
    expect(page.get_by_test_id("part-MKT")).to_contain_text("王芳")
    expect(page.get_by_test_id("part-CS")).to_contain_text("刘洋")
    expect(page.get_by_test_id("versions")).to_contain_text("第 2 版")
    expect(page.get_by_test_id("diff")).to_contain_text("交互优化方案3天内提交")
    screenshot("meeting-minutes-signed")
    meeting.refresh_from_db()
    assert meeting.status == "signed"
    assert ActionItem.objects.filter(meeting=meeting, activated_at__isnull=False).count() == 2
