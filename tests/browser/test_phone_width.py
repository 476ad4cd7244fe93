"""At phone width (390 px) no main page scrolls sideways, and the lists show each record's
number, title, status and time left on screen (issue 14 §4)."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from crossdesk.collaboration.tests import factories as requests
from crossdesk.core.testing import make_personas
from crossdesk.meetings.tests import factories as meetings
from crossdesk.notify.services import notify
from crossdesk.projects.tests.factories import project_rows

from .helpers import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
MAIN_PAGES = [
    "/",
    "/requests/",
    "/requests/?box=inbox",
    "/requests/new/",
    "/meetings/",
    "/meetings/list/",
    "/meetings/action-items/",
    "/projects/",
    "/inbox/",
    "/knowledge/",
    "/search/?q=物流",
    "/calendar/",
    "/org/",
    "/reports/",
    "/reports/projects/",
]


def overflow(page) -> int:
    """How many pixels the page is wider than the screen (0: nothing scrolls sideways)."""
    return page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")


def test_no_main_page_scrolls_sideways_and_lists_show_status_and_time_left(page, screenshot):
    personas = make_personas()
    for n in range(3):
        requests.submitted(personas, title=f"华东仓物流延迟投诉，客户要求当天回复并补偿运费{n}")
    meeting = meetings.notified(personas)
    project = project_rows(personas)
    notify(  # a long address in a message must wrap, not widen the page
        recipients=[personas.cs_liaison],
        event="meeting.notice",
        title="会议通知：智能客服系统上线风险排查会（每周五 15:00）",
        body="日历邀请（.ics）：http://127.0.0.1:8000/meetings/97/invite.ics?token=" + "a" * 60,
    )
    page.set_viewport_size(PHONE)
    log_in(page, personas.cs_liaison.user.username)
    wide = {}
    for path in [*MAIN_PAGES, f"/projects/{project.pk}/", f"/meetings/{meeting.pk}/"]:
        page.goto(path)
        page.wait_for_load_state("networkidle")
        if (extra := overflow(page)) > 0:
            wide[path] = extra
            screenshot("phone-overflow" + path.replace("/", "_").replace("?", "_"))
    assert wide == {}, wide

    page.goto("/requests/")
    row = page.get_by_test_id("request-row").first
    for part in ("request-number", "request-title", "request-status", "request-deadline"):
        cell = row.get_by_test_id(part)
        expect(cell).to_be_visible()
        box = cell.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], part
    screenshot("requests-phone")

    page.goto(
        f"/meetings/?date={timezone.localdate(meeting.starts_at):%Y-%m-%d}"
    )  # the month grid gives way to an agenda of the days with meetings
    expect(page.get_by_test_id("calendar")).to_be_hidden()
    expect(page.get_by_test_id("agenda-meeting").first).to_be_visible()
    screenshot("meetings-agenda-phone")
