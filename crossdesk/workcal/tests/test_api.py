from __future__ import annotations

from datetime import date

import pytest

from crossdesk.workcal import services
from crossdesk.workcal.models import CalendarDay, CalendarYear, Layer, WorkSettings

pytestmark = pytest.mark.django_db

BASE = "/api/v1/calendar/"


def test_it_lists_the_days_of_a_range(client_for, personas):
    response = client_for(personas.mkt_staff).get(f"{BASE}days", {"start": "2026-09-28", "end": "2026-10-11"})
    assert response.status_code == 200
    days = {d["date"]: d for d in response.json()}
    assert len(days) == 14
    assert days["2026-10-01"] == {
        "date": "2026-10-01",
        "is_working": False,
        "kind": "holiday",
        "name": "国庆节",
        "holiday_name": "国庆节",
        "is_override": False,
        "estimated": False,
    }
    assert days["2026-10-10"]["kind"] == "makeup" and days["2026-10-10"]["is_working"]


def test_the_days_endpoint_makes_a_constant_number_of_queries(
    client_for, personas, django_assert_max_num_queries
):
    client = client_for(personas.mkt_staff)
    client.get(f"{BASE}days", {"start": "2026-01-01", "end": "2026-01-02"})
    with django_assert_max_num_queries(3):
        client.get(f"{BASE}days", {"start": "2026-01-01", "end": "2026-12-31"})


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [
        ("2026-01-01", "2027-01-02", "end"),
        ("2026-02-01", "2026-01-01", "end"),
        ("1999-12-01", "2000-01-02", "start"),
    ],
)
def test_a_range_that_is_too_long_backwards_or_outside_the_calendar_is_refused(
    client_for, personas, start, end, field
):
    response = client_for(personas.mkt_staff).get(f"{BASE}days", {"start": start, "end": end})
    assert response.status_code == 400
    assert response.json()["field"] == field


def test_it_needs_a_login(client):
    assert client.get(f"{BASE}days", {"start": "2026-01-01", "end": "2026-01-02"}).status_code == 401


def test_it_shows_the_working_hours(client_for, personas):
    response = client_for(personas.mkt_staff).get(f"{BASE}working-hours")
    assert response.json() == {
        "periods": [{"start": "09:00", "end": "12:00"}, {"start": "13:30", "end": "18:00"}],
        "time_zone": "Asia/Shanghai",
        "working_day_hours": 7.5,
        "version": WorkSettings.objects.get().version,
    }


def test_an_administrator_changes_the_working_hours(client_for, personas):
    response = client_for(personas.admin_user).put(
        f"{BASE}working-hours",
        {
            "periods": [{"start": "08:30", "end": "12:00"}, {"start": "13:00", "end": "17:30"}],
            "time_zone": "Asia/Shanghai",
        },
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["working_day_hours"] == 8


def test_wrong_working_hours_are_a_400_naming_the_field(client_for, personas):
    response = client_for(personas.admin_user).put(
        f"{BASE}working-hours",
        {"periods": [{"start": "09:00", "end": "08:00"}], "time_zone": "Asia/Shanghai"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["field"] == "periods.0.end"


def test_only_administrators_change_the_working_hours(client_for, personas):
    response = client_for(personas.cs_head).put(
        f"{BASE}working-hours",
        {"periods": [{"start": "09:00", "end": "17:00"}], "time_zone": "Asia/Shanghai"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert WorkSettings.objects.get().periods == [["09:00", "12:00"], ["13:30", "18:00"]]


def test_an_administrator_puts_and_deletes_an_override(client_for, personas):
    client = client_for(personas.admin_user)
    response = client.put(
        f"{BASE}overrides/2026-10-09",
        {"is_working": False, "name": "团建", "note": "全员团建"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["kind"] == "company_off" and response.json()["is_override"]
    assert client.delete(f"{BASE}overrides/2026-10-09").status_code == 204
    assert not CalendarDay.objects.filter(layer=Layer.COMPANY).exists()
    assert client.delete(f"{BASE}overrides/2026-10-09").status_code == 404


def test_only_administrators_put_or_delete_overrides(client_for, personas):
    client = client_for(personas.mkt_head)
    response = client.put(
        f"{BASE}overrides/2026-10-09", {"is_working": False, "note": "x"}, content_type="application/json"
    )
    assert response.status_code == 403
    services.override_set(actor=personas.admin_user, day=date(2026, 10, 9), is_working=False, note="x")
    assert client.delete(f"{BASE}overrides/2026-10-09").status_code == 403


def test_a_bare_json_string_body_is_refused(client_for, personas):
    response = client_for(personas.admin_user).put(
        f"{BASE}overrides/2026-10-09", '"公司休息"', content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["field"] == "body"
    assert not CalendarDay.objects.filter(layer=Layer.COMPANY).exists()


def test_a_blank_reason_is_a_400(client_for, personas):
    response = client_for(personas.admin_user).put(
        f"{BASE}overrides/2026-10-09", {"is_working": False, "note": " "}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["field"] == "note"


def test_an_administrator_posts_an_official_schedule(client_for, personas):
    payload = {
        "year": 2027,
        "holidays": [
            {"name": "元旦", "first_day": "2027-01-01", "last_day": "2027-01-03"},
            {"name": "春节", "first_day": "2027-02-06", "last_day": "2027-02-13"},
        ],
        "workdays": ["2027-02-20"],
    }
    response = client_for(personas.admin_user).post(
        f"{BASE}official-schedules", payload, content_type="application/json"
    )
    assert response.status_code == 201
    assert response.json() == {
        "year": 2027,
        "source": "official",
        "holidays": payload["holidays"],
        "workdays": ["2027-02-20"],
    }


def test_a_year_chinese_calendar_knows_is_refused(client_for, personas):
    response = client_for(personas.admin_user).post(
        f"{BASE}official-schedules",
        {"year": 2026, "holidays": [{"name": "春节", "first_day": "2026-02-15", "last_day": "2026-02-23"}]},
        content_type="application/json",
    )
    assert response.status_code == 400 and response.json()["field"] == "year"


def test_only_administrators_post_official_schedules(client_for, personas):
    response = client_for(personas.cs_head).post(
        f"{BASE}official-schedules",
        {"year": 2027, "holidays": [{"name": "春节", "first_day": "2027-02-06", "last_day": "2027-02-13"}]},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not CalendarYear.objects.filter(year=2027).exists()


@pytest.mark.parametrize(
    ("at", "add", "unit", "due", "estimated"),
    [
        ("2026-09-30T17:00:00+08:00", 3, "working_hours", "2026-10-08T11:00:00+08:00", False),
        ("2026-09-30T09:00:00Z", 1, "working_days", "2026-10-08T17:00:00+08:00", False),
        ("2026-02-13T17:30:00+08:00", 1, "working_hours", "2026-02-14T09:30:00+08:00", False),
        ("2026-09-30T17:00:00+08:00", 24, "clock_hours", "2026-10-01T17:00:00+08:00", False),
        ("2026-12-31T10:00:00+08:00", 3, "working_days", "2027-01-05T10:00:00+08:00", True),
    ],
)
def test_it_previews_a_deadline(client_for, personas, at, add, unit, due, estimated):
    response = client_for(personas.mkt_staff).get(f"{BASE}compute", {"at": at, "add": add, "unit": unit})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["due"] == due
    assert body["estimated"] is estimated
    assert body["uncovered_years"] == ([2027] if estimated else [])


def test_a_preview_needs_an_offset_and_a_known_unit(client_for, personas):
    client = client_for(personas.mkt_staff)
    response = client.get(f"{BASE}compute", {"at": "2026-09-30T17:00:00", "add": 3, "unit": "working_hours"})
    assert response.status_code == 400 and response.json()["field"] == "at"
    response = client.get(
        f"{BASE}compute", {"at": "2026-09-30T17:00:00+08:00", "add": 3, "unit": "fortnights"}
    )
    assert response.status_code == 422


def test_a_preview_outside_the_calendar_is_a_400(client_for, personas):
    response = client_for(personas.mkt_staff).get(
        f"{BASE}compute", {"at": "2100-12-30T10:00:00+08:00", "add": 50, "unit": "working_days"}
    )
    assert response.status_code == 400 and response.json()["field"] == "add"
