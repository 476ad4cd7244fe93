"""The scorecard's targets: set by an administrator for every department or one, each
change audited and versioned, and each scorecard figure shown against its target."""

from __future__ import annotations

import json

import pytest
import time_machine

from crossdesk.audit.models import AuditEvent
from crossdesk.core.errors import ApplicationError, ConflictError, PermissionDeniedError
from crossdesk.core.testing import xlsx_rows
from crossdesk.reports import selectors, services
from crossdesk.reports.models import ScorecardTarget

from .conftest import NOW
from .test_views import FORTNIGHT, get

pytestmark = pytest.mark.django_db

RESPONSE = "receiving.response_within_target_pct"
URL = "/api/v1/reports/targets"


def test_a_department_follows_the_target_for_all_unless_it_has_its_own(personas):
    admin = personas.admin_user
    services.target_set(actor=admin, figure=RESPONSE, department_code=None, value="90")
    services.target_set(actor=admin, figure=RESPONSE, department_code="CS", value=60)
    found = selectors.targets_for([personas.cs.pk, personas.log.pk])
    assert found[personas.cs.pk][RESPONSE] == 60 and found[personas.log.pk][RESPONSE] == 90
    services.target_set(actor=admin, figure=RESPONSE, department_code="CS", value=None, version=1)
    assert selectors.targets_for([personas.cs.pk])[personas.cs.pk][RESPONSE] == 90
    events = AuditEvent.objects.filter(content_type__model="scorecardtarget")
    assert events.count() == 3  # two created, one deleted


def test_only_an_administrator_sets_targets_and_bad_input_changes_nothing(personas):
    with pytest.raises(PermissionDeniedError):
        services.target_set(actor=personas.cs_head.user, figure=RESPONSE, department_code=None, value=90)
    for value, field in (("abc", "value"), (120, "value"), (-1, "value")):
        with pytest.raises(ApplicationError) as refused:
            services.target_set(actor=personas.admin_user, figure=RESPONSE, department_code=None, value=value)
        assert refused.value.field == field
    with pytest.raises(ApplicationError) as refused:
        services.target_set(
            actor=personas.admin_user, figure="receiving.satisfaction.average", department_code=None, value=7
        )
    assert refused.value.field == "value"
    with pytest.raises(ApplicationError) as refused:
        services.target_set(actor=personas.admin_user, figure=RESPONSE, department_code="NOPE", value=9)
    assert refused.value.field == "department"
    assert not ScorecardTarget.objects.exists()


def test_a_change_made_on_an_old_copy_is_refused(personas):
    admin = personas.admin_user
    services.target_set(actor=admin, figure=RESPONSE, department_code=None, value=90)
    services.target_set(actor=admin, figure=RESPONSE, department_code=None, value=85, version=1)
    with pytest.raises(ConflictError):
        services.target_set(actor=admin, figure=RESPONSE, department_code=None, value=80, version=1)
    assert ScorecardTarget.objects.get().value == 85


def test_the_api_lists_and_sets_targets_for_administrators_only(personas, client_for):
    staff = client_for(personas.cs_head)
    assert staff.get(URL).status_code == 403
    put = staff.put(f"{URL}/{RESPONSE}", json.dumps({"value": 90}), content_type="application/json")
    assert put.status_code == 403
    admin = client_for(personas.admin_user)
    put = admin.put(f"{URL}/{RESPONSE}", json.dumps({"value": 90}), content_type="application/json")
    assert put.status_code == 200, put.content
    assert put.json()["default"] == 90 and put.json()["default_version"] == 1
    own = admin.put(
        f"{URL}/{RESPONSE}", json.dumps({"value": 70, "department": "CS"}), content_type="application/json"
    )
    assert own.json()["effective"] == 70
    listed = {t["figure"]: t for t in admin.get(URL, {"department": "CS"}).json()}
    assert (listed[RESPONSE]["default"], listed[RESPONSE]["own"]) == (90, 70)
    stale = admin.put(
        f"{URL}/{RESPONSE}", json.dumps({"value": 80, "version": 7}), content_type="application/json"
    )
    assert stale.status_code == 409 and stale.json()["field"] == "version"
    bad = admin.put(f"{URL}/{RESPONSE}", json.dumps({"value": "x"}), content_type="application/json")
    assert bad.status_code == 400 and bad.json()["field"] == "value"
    unknown = admin.put(f"{URL}/nope", json.dumps({"value": 1}), content_type="application/json")
    assert unknown.status_code == 400 and unknown.json()["field"] == "value"


def test_the_targets_page_saves_the_changed_figures_and_names_a_wrong_one(personas, client_for):
    assert client_for(personas.cs_head).get("/reports/targets/").status_code == 403
    admin = client_for(personas.admin_user)
    page = admin.get("/reports/targets/")
    assert page.status_code == 200 and page.content.decode().count('data-testid="target-row"') == 19
    saved = admin.post("/reports/targets/", {f"value-{RESPONSE}": "90", "value-receiving.overdue_now": "2"})
    assert saved.status_code == 302
    assert dict(ScorecardTarget.objects.values_list("figure", "value")) == {
        RESPONSE: 90,
        "receiving.overdue_now": 2,
    }
    wrong = admin.post(
        "/reports/targets/?department=CS",
        {"department": "CS", f"value-{RESPONSE}": "abc", "value-receiving.overdue_now": "1"},
    )
    assert wrong.status_code == 400
    assert 'value="abc"' in wrong.content.decode()  # what was typed is kept
    assert ScorecardTarget.objects.filter(department__isnull=False).count() == 0  # nothing saved


def test_the_scorecard_shows_each_figure_against_its_target(fortnight, client_for):
    admin = fortnight.personas.admin_user
    with time_machine.travel(NOW, tick=False):
        services.target_set(actor=admin, figure=RESPONSE, department_code=None, value=90)
        services.target_set(actor=admin, figure="receiving.overdue_now", department_code="CS", value=2)
    client = client_for(fortnight.personas.cs_head)
    html = get(client, "/reports/departments/CS/scorecard/", FORTNIGHT).content.decode()
    assert "未达成" in html and "已达成" in html
    rows = xlsx_rows(get(client, "/reports/departments/CS/scorecard.xlsx", FORTNIGHT))
    responded = next(r for r in rows if r[1] == "按时响应率")
    overdue = next(r for r in rows if r[1] == "当前超期")
    assert responded[2:5] == (66.7, 90, "未达成")  # 66.7% is below 90%
    assert overdue[2:5] == (2, 2, "已达成")  # two overdue now, at most two allowed
    with time_machine.travel(NOW, tick=False):
        body = client.get("/api/v1/reports/departments/CS/scorecard", FORTNIGHT).json()
    against = {t["figure"]: t for t in body["targets"]}
    assert against[RESPONSE] == {"figure": RESPONSE, "value": 66.7, "target": 90.0, "met": "not_met"}
    assert against["receiving.overdue_now"]["met"] == "met"
