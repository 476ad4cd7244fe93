"""Meeting figures on a hand-made November, built through the meetings' services.

Frozen at Wed 18 Nov 2026 10:00 while building:
M1  MKT calls it with CS, notice three weeks ahead (on time), held Tue 17 Nov, minutes
    circulated at once (on time); CS objects. Its two action items belong to CS: one due
    Mon 23 Nov, finished Thu 19 Nov (on time), one due Tue 8 Dec, never finished.
M2  MKT calls it for tomorrow: short notice, with a reason (late); not held yet.
The figures are read on Thu 10 Dec 10:00, when the second item is overdue.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from crossdesk.meetings import services
from crossdesk.meetings.models import ActionItem
from crossdesk.meetings.tests import factories
from crossdesk.reports import selectors
from crossdesk.reports.periods import Period

pytestmark = pytest.mark.django_db

SH = ZoneInfo("Asia/Shanghai")
BUILT = datetime(2026, 11, 18, 10, 0, tzinfo=SH)
READ = datetime(2026, 12, 10, 10, 0, tzinfo=SH)
AUTUMN = Period(date(2026, 11, 1), date(2026, 12, 31))


@pytest.fixture
def november(personas):
    with time_machine.travel(BUILT, tick=False):
        first = factories.objected(personas)
        factories.notified(personas, starts_at=factories.at_ten(1))
    soonest = ActionItem.objects.filter(meeting=first).order_by("due_at").first()
    with time_machine.travel(datetime(2026, 11, 19, 15, 0, tzinfo=SH), tick=False):
        services.action_item_complete(actor=soonest.owner.user, item_id=soonest.pk, result="已完成")
    return personas


def figures(period: Period = AUTUMN) -> dict[str, dict]:
    with time_machine.travel(READ, tick=False):
        nodes = selectors.department_nodes()
        return {
            c["department"]["code"]: c["meetings"] for c in selectors.scorecards(list(nodes.values()), period)
        }


def test_the_organiser_is_measured_on_notices_and_minutes(november):
    mkt = figures()["MKT"]
    # M1's notice was on time, M2's was not; only M1 has minutes, circulated in time.
    assert (mkt["meetings"], mkt["notices_sent"], mkt["notices_on_time"], mkt["notices_on_time_pct"]) == (
        2,
        2,
        1,
        50.0,
    )
    assert (mkt["minutes_measured"], mkt["minutes_on_time_pct"]) == (1, 100.0)
    assert (mkt["objections"], mkt["action_items_measured"], mkt["overdue_action_items"]) == (0, 0, 0)


def test_the_participant_is_measured_on_its_objections_and_action_items(november):
    cs = figures()["CS"]
    assert (cs["meetings"], cs["notices_on_time_pct"], cs["objections"]) == (0, None, 1)
    # One finished before its deadline, one past it: 1 of 2 on time, 1 overdue now.
    assert (cs["action_items_measured"], cs["action_items_on_time"], cs["action_items_on_time_pct"]) == (
        2,
        1,
        50.0,
    )
    assert cs["overdue_action_items"] == 1


def test_an_action_item_not_yet_due_is_not_measured(november):
    with time_machine.travel(datetime(2026, 11, 30, 10, 0, tzinfo=SH), tick=False):
        nodes = selectors.department_nodes()
        cs = next(
            c for c in selectors.scorecards(list(nodes.values()), AUTUMN) if c["department"]["code"] == "CS"
        )
    assert (cs["meetings"]["action_items_measured"], cs["meetings"]["overdue_action_items"]) == (1, 0)


def test_meetings_outside_the_period_do_not_count(november):
    assert figures(Period(date(2027, 1, 1), date(2027, 1, 31)))["MKT"]["meetings"] == 0
