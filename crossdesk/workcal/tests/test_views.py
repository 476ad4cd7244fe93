from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from crossdesk.workcal import services
from crossdesk.workcal.models import CalendarDay, CalendarYear, Layer, WorkSettings, YearSource

from .support import at

pytestmark = pytest.mark.django_db

MONTH = reverse("workcal:month")


def day_url(day: str) -> str:
    return reverse("workcal:day", args=[day])


def test_the_month_page_names_holidays_and_make_up_days_in_chinese(client_for, personas):
    response = client_for(personas.mkt_staff).get(MONTH, {"month": "2026-10"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "2026年10月" in body
    assert "国庆节" in body
    assert "调休上班" in body
    assert 'data-date="2026-10-10" data-kind="makeup"' in body
    assert 'data-date="2026-10-01" data-kind="holiday"' in body
    assert "09:00–12:00" in body and "13:30–18:00" in body and "Asia/Shanghai" in body
    assert "每天工作 7.5 小时" in body


def test_the_spring_festival_month_marks_both_make_up_saturdays(client_for, personas):
    body = client_for(personas.mkt_staff).get(MONTH, {"month": "2026-02"}).content.decode()
    assert 'data-date="2026-02-14" data-kind="makeup"' in body
    assert 'data-date="2026-02-28" data-kind="makeup"' in body
    assert "春节" in body


def test_people_who_are_not_administrators_see_a_read_only_calendar(client_for, personas):
    body = client_for(personas.cs_head).get(MONTH, {"month": "2026-10"}).content.decode()
    assert day_url("2026-10-08") not in body
    assert reverse("workcal:hours") not in body


def test_administrators_can_click_a_day(client_for, personas):
    body = client_for(personas.admin_user).get(MONTH, {"month": "2026-10"}).content.decode()
    assert f'hx-get="{day_url("2026-10-08")}"' in body
    assert reverse("workcal:hours") in body


def test_navigation_by_htmx_returns_only_the_grid(client_for, personas):
    response = client_for(personas.mkt_staff).get(
        MONTH, {"month": "2026-11"}, headers={"HX-Request": "true", "HX-Target": "cd-month"}
    )
    body = response.content.decode()
    assert '<section id="cd-month"' in body and "<html" not in body
    assert "2026年11月" in body


def test_an_unreadable_month_shows_the_current_one_and_a_far_one_is_not_found(client_for, personas):
    client = client_for(personas.mkt_staff)
    with time_machine.travel(at(2026, 5, 6, 10), tick=False):
        assert "2026年5月" in client.get(MONTH, {"month": "nonsense"}).content.decode()
    assert client.get(MONTH, {"month": "1850-01"}).status_code == 404


@time_machine.travel(at(2026, 11, 21, 10), tick=False)
def test_administrators_see_the_warning_for_next_year(client_for, personas):
    body = client_for(personas.admin_user).get(MONTH).content.decode()
    assert "2027 年的法定节假日安排尚未录入" in body
    assert reverse("workcal:official", args=[2027]) in body
    assert (
        "2027 年的法定节假日安排尚未录入"
        in client_for(personas.admin_user).get(reverse("core:workbench")).content.decode()
    )


@time_machine.travel(at(2026, 11, 21, 10), tick=False)
def test_others_see_no_warning_but_an_uncovered_month_says_it_is_estimated(client_for, personas):
    client = client_for(personas.mkt_staff)
    assert "尚未录入，截止时间暂按周末计算" not in client.get(MONTH).content.decode()
    body = client.get(MONTH, {"month": "2027-02"}).content.decode()
    assert 'data-testid="estimated-year"' in body and "估算" in body


def test_the_month_view_makes_the_same_number_of_queries_however_many_overrides(client_for, personas):
    client = client_for(personas.admin_user)
    client.get(MONTH, {"month": "2026-03"})  # warm the session and the calendar cache
    with CaptureQueriesContext(connection) as quiet_month:
        client.get(MONTH, {"month": "2026-03"})
    for day in (2, 3, 4, 5, 6, 9, 10):
        services.override_set(
            actor=personas.admin_user, day=date(2026, 3, day), is_working=False, note="停电"
        )
    client.get(MONTH, {"month": "2026-03"})  # the calendar is rebuilt once after the change
    with CaptureQueriesContext(connection) as busy_month:
        response = client.get(MONTH, {"month": "2026-03"})
    assert response.content.decode().count("停电") >= 7
    assert len(busy_month) == len(quiet_month)


def test_the_month_view_query_count_is_bounded(client_for, personas, django_assert_max_num_queries):
    client = client_for(personas.admin_user)
    client.get(MONTH, {"month": "2026-10"})
    with django_assert_max_num_queries(8):
        client.get(MONTH, {"month": "2026-10"})


# --- company overrides ------------------------------------------------------------------


def test_an_administrator_sets_a_company_day_off(client_for, personas):
    response = client_for(personas.admin_user).post(
        day_url("2026-10-09"), {"kind": "off", "name": "团建", "note": "全员团建"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"{MONTH}?month=2026-10"
    row = CalendarDay.objects.get(date=date(2026, 10, 9), layer=Layer.COMPANY)
    assert (row.is_working, row.name, row.note) == (False, "团建", "全员团建")


def test_with_htmx_the_panel_and_the_grid_are_swapped(client_for, personas):
    response = client_for(personas.admin_user).post(
        day_url("2026-10-05"),
        {"kind": "work", "name": "值班", "note": "节日值班"},
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "已保存" in body
    assert 'id="cd-month" data-testid="month" hx-swap-oob="true"' in body
    assert 'data-date="2026-10-05" data-kind="company_work"' in body


def test_the_day_panel_offers_the_opposite_of_what_the_day_is(client_for, personas):
    body = (
        client_for(personas.admin_user)
        .get(day_url("2026-10-05"), headers={"HX-Request": "true"})
        .content.decode()
    )
    assert "2026年10月5日 周一" in body and "法定节假日" in body
    [work_radio] = [tag for tag in body.split("<input") if 'value="work"' in tag]
    assert "checked" in work_radio.split(">")[0]


def test_a_missing_reason_shows_next_to_the_field_and_changes_nothing(client_for, personas):
    response = client_for(personas.admin_user).post(
        day_url("2026-10-09"), {"kind": "off", "name": "团建", "note": ""}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="error-note"' in body and "这个字段是必填项" in body
    assert 'value="团建"' in body  # what was typed is kept
    assert not CalendarDay.objects.filter(layer=Layer.COMPANY).exists()


def test_a_blank_reason_is_refused_by_the_service_with_its_chinese_message(client_for, personas):
    response = client_for(personas.admin_user).post(day_url("2026-10-09"), {"kind": "off", "note": "   "})
    body = response.content.decode()
    assert "这个字段是必填项" in body or "请填写原因" in body
    assert not CalendarDay.objects.filter(layer=Layer.COMPANY).exists()


def test_someone_who_is_not_an_administrator_cannot_change_a_day(client_for, personas):
    client = client_for(personas.cs_head)
    assert client.post(day_url("2026-10-09"), {"kind": "off", "note": "x"}).status_code == 403
    services.override_set(actor=personas.admin_user, day=date(2026, 10, 9), is_working=False, note="x")
    assert client.post(reverse("workcal:day_remove", args=["2026-10-09"])).status_code == 403
    assert CalendarDay.objects.filter(layer=Layer.COMPANY).count() == 1


def test_everyone_can_read_a_day(client_for, personas):
    response = client_for(personas.cs_head).get(day_url("2026-10-01"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "国庆节" in body and 'data-testid="override-form"' not in body


def test_removing_an_override_asks_first_and_restores_the_day(client_for, personas):
    client = client_for(personas.admin_user)
    services.override_set(actor=personas.admin_user, day=date(2026, 10, 10), is_working=False, note="不调休")
    panel = client.get(day_url("2026-10-10"), headers={"HX-Request": "true"}).content.decode()
    assert "hx-confirm=" in panel and "确定撤销这一天的公司调整吗" in panel
    response = client.post(reverse("workcal:day_remove", args=["2026-10-10"]), headers={"HX-Request": "true"})
    assert response.status_code == 200 and "已撤销" in response.content.decode()
    assert not CalendarDay.objects.filter(layer=Layer.COMPANY).exists()
    assert client.post(reverse("workcal:day_remove", args=["2026-10-10"])).status_code == 404


def test_a_day_that_is_not_a_date_is_not_found(client_for, personas):
    assert client_for(personas.admin_user).get(day_url("2026-13-40")).status_code == 404


# --- the official schedule -----------------------------------------------------------------


def official_post(**overrides) -> dict:
    data = {
        "holidays-TOTAL_FORMS": "3",
        "holidays-INITIAL_FORMS": "0",
        "holidays-0-name": "元旦",
        "holidays-0-first_day": "2027-01-01",
        "holidays-0-last_day": "2027-01-03",
        "holidays-1-name": "春节",
        "holidays-1-first_day": "2027-02-06",
        "holidays-1-last_day": "2027-02-13",
        "holidays-2-name": "",
        "holidays-2-first_day": "",
        "holidays-2-last_day": "",
        "workdays-TOTAL_FORMS": "2",
        "workdays-INITIAL_FORMS": "0",
        "workdays-0-day": "2027-02-20",
        "workdays-1-day": "",
    }
    data.update(overrides)
    return data


def test_the_official_schedule_page_offers_the_seven_holidays(client_for, personas):
    body = client_for(personas.admin_user).get(reverse("workcal:official", args=[2027])).content.decode()
    assert "2027 年法定节假日安排" in body
    for name in ("元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节"):
        assert f'value="{name}"' in body


def test_the_official_schedule_page_shows_a_known_year_as_ranges(client_for, personas):
    body = client_for(personas.admin_user).get(reverse("workcal:official", args=[2026])).content.decode()
    assert 'value="2026-02-15"' in body and 'value="2026-02-23"' in body and 'value="2026-10-10"' in body
    assert "chinese-calendar" in body


def test_an_administrator_enters_the_2027_schedule(client_for, personas):
    response = client_for(personas.admin_user).post(reverse("workcal:official", args=[2027]), official_post())
    assert response.status_code == 302
    assert CalendarYear.objects.get(year=2027).source == YearSource.OFFICIAL
    assert CalendarDay.objects.filter(date__year=2027, layer=Layer.STATUTORY).count() == 3 + 8 + 1


def test_a_weekday_make_up_day_is_refused_next_to_its_field(client_for, personas):
    response = client_for(personas.admin_user).post(
        reverse("workcal:official", args=[2027]), official_post(**{"workdays-0-day": "2027-02-22"})
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "是工作日：调休上班日只能是周六或周日" in body
    assert 'value="2027-02-22"' in body
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_only_administrators_open_the_schedule_and_hours_pages(client_for, personas):
    client = client_for(personas.mkt_head)
    assert client.get(reverse("workcal:official", args=[2027])).status_code == 403
    assert client.post(reverse("workcal:official", args=[2027]), official_post()).status_code == 403
    assert client.get(reverse("workcal:hours")).status_code == 403
    assert not CalendarYear.objects.filter(year=2027).exists()


# --- working hours ------------------------------------------------------------------------


def hours_post(**overrides) -> dict:
    data = {
        "periods-TOTAL_FORMS": "3",
        "periods-INITIAL_FORMS": "0",
        "periods-0-start": "08:30",
        "periods-0-end": "12:00",
        "periods-1-start": "13:00",
        "periods-1-end": "17:30",
        "periods-2-start": "",
        "periods-2-end": "",
        "time_zone": "Asia/Shanghai",
    }
    data.update(overrides)
    return data


def test_an_administrator_changes_the_working_hours(client_for, personas):
    client = client_for(personas.admin_user)
    assert 'value="09:00"' in client.get(reverse("workcal:hours")).content.decode()
    response = client.post(reverse("workcal:hours"), hours_post())
    assert response.status_code == 302
    assert WorkSettings.objects.get().periods == [["08:30", "12:00"], ["13:00", "17:30"]]


def test_overlapping_periods_are_refused_next_to_the_field(client_for, personas):
    response = client_for(personas.admin_user).post(
        reverse("workcal:hours"), hours_post(**{"periods-1-start": "11:00"})
    )
    assert response.status_code == 200
    assert "工作时段须按时间先后排列，且不能重叠" in response.content.decode()
    assert WorkSettings.objects.get().periods == [["09:00", "12:00"], ["13:30", "18:00"]]


def test_an_unknown_time_zone_is_refused(client_for, personas):
    response = client_for(personas.admin_user).post(
        reverse("workcal:hours"), hours_post(time_zone="Mars/Base")
    )
    assert "未知时区" in response.content.decode()
