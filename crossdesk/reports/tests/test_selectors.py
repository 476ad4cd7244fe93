"""The figures of the fortnight in ``conftest.py``, each worked out by hand.

Working hours used below (periods 09:00–12:00, 13:30–18:00):
  Mon 28 Sep 09:00 → Tue 29 Sep 11:00 = 7.5 + 2           =  9.5 h
  CS1's wait, Mon 28 Sep 10:00 → Tue 29 Sep 10:00 = 2 + 4.5 + 1 = 7.5 h
  Mon 28 Sep 09:00 → 15:00 = 3 + 1.5                     =  4.5 h
  Wed 30 Sep 10:00 → Thu 8 Oct 11:00 = 6.5 + (1–7 Oct off) + 2 = 8.5 h
  Wed 30 Sep 10:00 → Fri 9 Oct 17:00 = 6.5 + 7.5 + 6.5     = 20.5 h
  Mon 28 Sep 09:00 → Fri 9 Oct 10:00 = 3 × 7.5 + 7.5 + 1   = 31 h
  Thu 8 Oct 09:00 → 10:00                                 =  1 h
"""

from datetime import date

import pytest
import time_machine

from crossdesk.core.errors import NotFoundError
from crossdesk.org.selectors import roles_for, roles_for_person
from crossdesk.reports import selectors
from crossdesk.reports.periods import Period

from .conftest import NOW

pytestmark = pytest.mark.django_db

FORTNIGHT = Period(date(2026, 9, 28), date(2026, 10, 11))


def cards(period: Period = FORTNIGHT) -> dict[str, dict]:
    with time_machine.travel(NOW, tick=False):
        nodes = selectors.department_nodes()
        return {c["department"]["code"]: c for c in selectors.scorecards(list(nodes.values()), period)}


def test_the_requesting_side_of_mkt_counts_what_it_raised_and_how_others_answered(fortnight):
    mkt = cards()["MKT"]["requesting"]
    # R1 R2 R3 R4 raised in the period (R0 was raised before it); R4 cancelled.
    assert (mkt["requests"], mkt["declined"], mkt["cancelled"]) == (4, 0, 1)
    # Now: R0 R1 R2 R3 are not closed; R0 (first call missed) and R3 (no answer) are overdue.
    assert (mkt["open_now"], mkt["overdue_now"]) == (4, 2)
    assert mkt["overdue_by_urgency"] == {"normal": 1, "urgent": 0, "critical": 1}
    # Answers: R1·CS on time (normal); R2·CS1 on time after its pause and R2·LOG's refusal in
    # time (urgent); R3·CS late (critical); R4·LOG's clock was cancelled with the request.
    assert (mkt["response_measured"], mkt["response_within_target"]) == (4, 3)
    assert mkt["response_within_target_pct"] == 75.0
    assert mkt["response_by_urgency"] == {
        "normal": {"measured": 1, "within_target": 1, "pct": 100.0},
        "urgent": {"measured": 2, "within_target": 2, "pct": 100.0},
        "critical": {"measured": 1, "within_target": 0, "pct": 0.0},
    }
    # Answer times: R1·CS 8.5 h (over National Day), R2·CS1 9.5 − 7.5 paused = 2 h, R2·LOG 4.5 h.
    # Median of [2, 4.5, 8.5] is 4.5; the nearest-rank p90 is the 3rd value, 8.5.
    assert (mkt["respond_hours_median"], mkt["respond_hours_p90"]) == (4.5, 8.5)
    # Resolved: R1·CS by its date; R2·CS1 by its latest date (after the reopening) → 2 of 2.
    assert (mkt["resolution_measured"], mkt["resolution_on_time"]) == (2, 2)
    # Resolution times: R1·CS 20.5 h; R2·CS1 31 − 7.5 = 23.5 h → median 22, p90 23.5.
    assert (mkt["resolve_hours_median"], mkt["resolve_hours_p90"]) == (22.0, 23.5)
    assert mkt["paused_hours"] == 7.5
    # R1 and R2 were resolved; R2 was reopened.
    assert (mkt["resolved"], mkt["reopened"], mkt["reopen_rate_pct"]) == (2, 1, 50.0)
    # The sweep escalated R3's missed first call to MKT's head.
    assert mkt["escalations"] == {"head": 1, "supervisor": 0}
    # Ratings given: R1 5 (with a comment), R2 3.
    assert mkt["satisfaction"] == {
        "rated": 2,
        "average": 4.0,
        "distribution": {"1": 0, "2": 0, "3": 1, "4": 0, "5": 1},
        "share_4_5": 50.0,
        "comments": 1,
    }


def test_the_receiving_side_of_cs_includes_its_sub_department(fortnight):
    cs = cards()["CS"]["receiving"]
    # R1 and R3 (CS) and R2 (CS1).
    assert (cs["requests"], cs["declined"], cs["cancelled"]) == (3, 0, 0)
    # Now: R0 R1 R3 (CS) and R2 (CS1) open; R0 and R3 overdue.
    assert (cs["open_now"], cs["overdue_now"]) == (4, 2)
    # R1 on time, R2 on time (urgent), R3 late: 2 of 3.
    assert (cs["response_measured"], cs["response_within_target"], cs["response_within_target_pct"]) == (
        3,
        2,
        66.7,
    )
    # [2, 8.5]: median 5.25, p90 8.5.
    assert (cs["respond_hours_median"], cs["respond_hours_p90"]) == (5.25, 8.5)
    assert (cs["resolve_hours_median"], cs["resolve_hours_p90"]) == (22.0, 23.5)
    assert (cs["resolution_on_time_pct"], cs["paused_hours"]) == (100.0, 7.5)
    assert (cs["resolved"], cs["reopened"], cs["reopen_rate_pct"]) == (2, 1, 50.0)
    # R3's response clock: head at the breach, supervisor 2 h later; R3's "name a liaison"
    # clock (due with the response) reached the head; its supervisor step is 1 working day on.
    assert cs["escalations"] == {"head": 2, "supervisor": 1}
    assert (cs["satisfaction"]["rated"], cs["satisfaction"]["average"]) == (2, 4.0)


def test_the_sub_department_alone_has_only_its_own_part(fortnight):
    cs1 = cards()["CS1"]
    receiving = cs1["receiving"]
    assert (receiving["requests"], receiving["respond_hours_median"], receiving["resolve_hours_median"]) == (
        1,
        2.0,
        23.5,
    )
    assert (receiving["reopen_rate_pct"], receiving["satisfaction"]["average"]) == (100.0, 3.0)
    # CS1 raised R6; LOG answered in 1 h; its first call was missed and escalated.
    requesting = cs1["requesting"]
    assert (
        requesting["requests"],
        requesting["respond_hours_median"],
        requesting["escalations"]["head"],
    ) == (
        1,
        1.0,
        1,
    )
    assert cards()["CS"]["requesting"]["requests"] == 1  # rolled up from CS1


def test_a_department_that_declined_earns_no_rating_but_counts_its_refusal(fortnight):
    log = cards()["LOG"]["receiving"]
    # R2 (declined), R4 (cancelled), R6.
    assert (log["requests"], log["declined"], log["cancelled"]) == (3, 1, 1)
    # R2's refusal 4.5 h and R6's acceptance 1 h, both in time; R6 is not due yet.
    assert (log["response_within_target_pct"], log["respond_hours_median"], log["respond_hours_p90"]) == (
        100.0,
        2.75,
        4.5,
    )
    assert (log["resolution_measured"], log["resolution_on_time_pct"]) == (0, None)
    assert log["satisfaction"]["rated"] == 0


def test_a_period_without_requests_has_empty_figures_not_zero_percentages(fortnight):
    cs = cards(Period(date(2026, 11, 1), date(2026, 11, 30)))["CS"]["receiving"]
    assert (cs["requests"], cs["response_within_target_pct"], cs["respond_hours_median"]) == (0, None, None)
    assert cs["open_now"] == 4  # today's state, whatever the period


def test_the_ranking_of_every_department_takes_a_fixed_number_of_queries(
    fortnight, django_assert_max_num_queries
):
    admin = roles_for(fortnight.personas.admin_user)
    with time_machine.travel(NOW, tick=False), django_assert_max_num_queries(16):
        rows = selectors.ranking(roles=admin, period=FORTNIGHT)
    assert [r["department"]["code"] for r in rows] == ["MKT", "CS", "LOG", "FIN", "CS1"]


def test_each_number_links_to_the_request_list_with_the_same_filters(fortnight):
    links = cards()["CS"]["links"]
    assert links["receiving"]["requests"] == (
        "/requests/?department=CS&direction=received&include_sub=true&date_from=2026-09-28&date_to=2026-10-11"
    )
    assert links["requesting"]["overdue_now"] == (
        "/requests/?department=CS&direction=raised&include_sub=true&status=open&overdue=true"
    )


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("mkt_staff", {"MKT"}),  # their own department
        ("cs_head", {"CS", "CS1"}),  # the department they head, with what is below it
        ("supervisor", {"MKT", "CS", "CS1", "LOG"}),  # own (MKT) and supervised
        ("outsider", {"FIN"}),
    ],
)
def test_each_person_sees_the_figures_of_their_departments(fortnight, persona, expected):
    nodes = selectors.department_nodes()
    roles = roles_for_person(getattr(fortnight.personas, persona))
    assert {nodes[pk].code for pk in selectors.visible_department_ids(roles, nodes)} == expected


def test_administrators_see_every_department(fortnight):
    nodes = selectors.department_nodes()
    roles = roles_for(fortnight.personas.admin_user)
    assert selectors.visible_department_ids(roles, nodes) == set(nodes)


def test_a_scorecard_of_a_department_not_yours_is_not_found(fortnight):
    roles = roles_for_person(fortnight.personas.outsider)
    with pytest.raises(NotFoundError):
        selectors.scorecard(roles=roles, code="CS", period=FORTNIGHT)


def test_the_trend_splits_the_period_by_the_week_each_request_was_raised(fortnight):
    with time_machine.travel(NOW, tick=False):
        nodes = selectors.department_nodes()
        cs = next(n for n in nodes.values() if n.code == "CS")
        rows = selectors.trend([cs], FORTNIGHT)
    # Week 1 (28 Sep – 4 Oct): R2 (CS1) and R1 received, both answered in time, ratings 3 and 5.
    # Week 2 (5 – 11 Oct): R3 received and answered late; R6 raised by CS1.
    assert [(r["from"], r["to"], r["received"], r["raised"]) for r in rows] == [
        ("2026-09-28", "2026-10-04", 2, 0),
        ("2026-10-05", "2026-10-11", 1, 1),
    ]
    assert [r["response_within_target_pct"] for r in rows] == [100.0, 0.0]
    assert [r["satisfaction_average"] for r in rows] == [4.0, None]


def test_a_year_is_shown_month_by_month_and_a_short_period_week_by_week():
    year = selectors.trend_buckets(Period(date(2026, 1, 1), date(2026, 12, 31)))
    assert [(b.start.month, b.end.day) for b in year][:3] == [(1, 31), (2, 28), (3, 31)]
    assert len(year) == 12
    weeks = selectors.trend_buckets(Period(date(2026, 10, 1), date(2026, 10, 31)))
    assert [(b.start.day, b.end.day) for b in weeks] == [(1, 4), (5, 11), (12, 18), (19, 25), (26, 31)]
