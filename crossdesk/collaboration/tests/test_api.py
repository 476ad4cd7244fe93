import json
import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from crossdesk.api import api
from crossdesk.collaboration.involvement import involvement_rebuild
from crossdesk.collaboration.models import Request, RequestPart, TimelineEntry
from crossdesk.core.testing import queries_of, xlsx_rows

from . import factories

pytestmark = pytest.mark.django_db

URL = "/api/v1/requests/"
OFFSET = re.compile(r"[+-]\d\d:\d\d$")


def post(client, path, data=None):
    return client.post(URL + path, data=json.dumps(data or {}), content_type="application/json")


def patch(client, path, data):
    return client.patch(URL + path, data=json.dumps(data), content_type="application/json")


def in_days(days: int) -> str:
    return (timezone.now() + timedelta(days=days)).isoformat()


def draft_body(personas, **overrides):
    body = {
        "title": "客户订单物流延迟投诉",
        "urgency": "urgent",
        "type": "complaint",
        "background": "客户反馈订单物流延迟3天",
        "current_situation": "仓库系统故障导致分拣异常",
        "expected_outcome": "24小时内完成配送并告知客户",
        "expected_completion_at": in_days(10),
        "receiving_departments": ["CS"],
        "informed_departments": [personas.fin.pk],
    }
    body.update(overrides)
    return body


def snapshot(request_id):
    """What a refused call must leave untouched."""
    request = Request.objects.get(pk=request_id)
    parts = list(
        RequestPart.objects.filter(request_id=request_id).values_list("status", "liaison_id").order_by("id")
    )
    return request.status, request.version, parts, TimelineEntry.objects.filter(request_id=request_id).count()


class TestTheLifeCycle:
    def test_a_request_goes_from_draft_to_archive_through_the_api(self, personas, client_for):
        client = client_for(personas.mkt_staff)
        response = post(client, "", draft_body(personas))
        assert response.status_code == 201, response.json()
        created = response.json()
        request_id = created["id"]
        assert created["status"] == "draft" and created["number"] is None
        assert {"edit", "submit", "cancel"} <= set(created["actions"])
        assert sorted((p["department"]["code"], p["role"]) for p in created["parts"]) == [
            ("CS", "receiving"),
            ("FIN", "informed"),
        ]

        response = patch(
            client, f"{request_id}", {"title": "客户订单物流延迟", "version": created["version"]}
        )
        assert response.status_code == 200, response.json()
        version = response.json()["version"]
        assert version == created["version"] + 1

        response = post(client, f"{request_id}/submit", {"version": version})
        assert response.status_code == 200, response.json()
        assert response.json()["status"] == "submitted"
        submitted = client.get(f"{URL}{request_id}").json()
        assert re.fullmatch(r"XMB-\d{4}-001", submitted["number"])
        assert OFFSET.search(submitted["submitted_at"]), submitted["submitted_at"]
        respond = next(c for c in submitted["clocks"] if c["key"] == "request.respond")
        assert respond["state"] == "running" and OFFSET.search(respond["due_at"])
        assert respond["time_left"]["status"] in {"plenty", "low"} and respond["estimated"] in {True, False}
        cs_part = next(p for p in submitted["parts"] if p["department"]["code"] == "CS")
        assert cs_part["actions"] == []  # the initiator does not act for CS

        client = client_for(personas.cs_liaison)
        seen = client.get(f"{URL}{request_id}").json()
        assert set(next(p for p in seen["parts"] if p["id"] == cs_part["id"])["actions"]) >= {
            "accept",
            "decline",
        }
        response = post(
            client,
            f"{request_id}/parts/{cs_part['id']}/accept",
            {"liaison_id": personas.cs_liaison.pk, "committed_at": in_days(5), "note": "今天处理"},
        )
        assert response.status_code == 200, response.json()
        assert response.json()["status"] == "in_progress"

        client = client_for(personas.mkt_staff)
        response = post(
            client,
            f"{request_id}/log",
            {
                "content": "已电话确认需求",
                "participants": "市场部 张伟；客服部 李娜",
                "is_first_contact": True,
            },
        )
        assert response.status_code == 201, response.json()
        assert response.json()["is_first_contact"] is True

        client = client_for(personas.cs_liaison)
        response = post(
            client,
            f"{request_id}/parts/{cs_part['id']}/resolve",
            {"resolution": "已修复仓库系统并完成配送", "responsible_id": personas.cs_staff.pk},
        )
        assert response.status_code == 200, response.json()
        assert response.json()["status"] == "resolved"

        client = client_for(personas.mkt_staff)
        response = post(client, f"{request_id}/confirm", {"satisfaction": 5, "comment": "处理及时"})
        assert response.status_code == 200, response.json()
        assert response.json()["status"] == "confirmed" and response.json()["satisfaction"] == 5

        client = client_for(personas.cs_head)
        response = post(client, f"{request_id}/parts/{cs_part['id']}/sign")
        assert response.status_code == 200, response.json()
        assert response.json()["status"] == "confirmed"

        client = client_for(personas.mkt_head)
        assert "sign_initiator" in client.get(f"{URL}{request_id}").json()["actions"]
        response = post(client, f"{request_id}/sign")
        assert response.status_code == 200, response.json()
        assert response.json()["status"] == "signed"

        client = client_for(personas.mkt_staff)
        response = post(client, f"{request_id}/archive")
        assert response.status_code == 200, response.json()
        assert response.json()["status"] == "archived"
        archived = client.get(f"{URL}{request_id}").json()
        assert archived["status"] == "archived" and archived["actions"] == [] and archived["retain_until"]
        moves = [
            (t["from_status"], t["to_status"])
            for t in archived["timeline"]
            if t["kind"] == "transition" and t["part_id"] is None
        ]
        assert moves == [
            ("draft", "submitted"),
            ("submitted", "in_progress"),
            ("in_progress", "resolved"),
            ("resolved", "confirmed"),
            ("confirmed", "signed"),
            ("signed", "archived"),
        ]
        assert [t["kind"] for t in archived["timeline"]].count("signature") == 2
        assert all(c["state"] in {"met", "cancelled"} for c in archived["clocks"])


class TestRefusals:
    def test_the_wrong_person_gets_403_with_a_message_and_nothing_changes(self, personas, client_for):
        request = factories.submitted(personas)
        part = request.parts.get(department=personas.cs)
        before = snapshot(request.pk)
        response = post(
            client_for(personas.cs_staff),
            f"{request.pk}/parts/{part.pk}/accept",
            {"liaison_id": personas.cs_staff.pk, "committed_at": in_days(3)},
        )
        assert response.status_code == 403
        assert response.json()["message"]
        assert snapshot(request.pk) == before

    def test_only_the_initiator_confirms(self, personas, client_for):
        request = factories.resolved(personas)
        before = snapshot(request.pk)
        response = post(client_for(personas.cs_liaison), f"{request.pk}/confirm", {"satisfaction": 5})
        assert response.status_code == 403 and response.json()["message"]
        assert snapshot(request.pk) == before

    def test_the_wrong_moment_gets_409_with_a_message_and_nothing_changes(self, personas, client_for):
        request = factories.submitted(personas)
        before = snapshot(request.pk)
        response = post(client_for(personas.mkt_staff), f"{request.pk}/confirm", {"satisfaction": 4})
        assert response.status_code == 409
        assert response.json()["message"]
        assert snapshot(request.pk) == before

    def test_accepting_twice_is_a_409(self, personas, client_for):
        request = factories.accepted(personas)
        part = request.parts.get(department=personas.cs)
        before = snapshot(request.pk)
        response = post(
            client_for(personas.cs_head),
            f"{request.pk}/parts/{part.pk}/accept",
            {"liaison_id": personas.cs_liaison.pk, "committed_at": in_days(3)},
        )
        assert response.status_code == 409 and response.json()["message"]
        assert snapshot(request.pk) == before

    def test_someone_who_may_not_see_the_request_gets_404_for_everything(self, personas, client_for):
        request = factories.submitted(personas, informed_departments=[])
        client = client_for(personas.outsider)
        assert client.get(f"{URL}{request.pk}").status_code == 404
        response = post(client, f"{request.pk}/cancel", {"reason": "不需要了"})
        assert response.status_code == 404 and response.json()["message"]
        assert Request.objects.get(pk=request.pk).status == "submitted"

    def test_a_confidential_request_is_hidden_from_members_not_acting_on_it(self, personas, client_for):
        request = factories.submitted(personas, confidential=True, informed_departments=[])
        client = client_for(
            personas.cs_staff
        )  # in CS, the receiving department, but neither liaison nor head
        assert client.get(f"{URL}{request.pk}").status_code == 404
        before = snapshot(request.pk)
        response = post(client, f"{request.pk}/log", {"content": "我也想看看"})
        assert response.status_code == 404
        assert snapshot(request.pk) == before
        assert (
            post(client_for(personas.cs_liaison), f"{request.pk}/log", {"content": "已收到"}).status_code
            == 201
        )

    def test_a_stale_version_is_a_409_naming_version(self, personas, client_for):
        client = client_for(personas.mkt_staff)
        created = post(client, "", draft_body(personas)).json()
        assert (
            patch(client, f"{created['id']}", {"title": "一", "version": created["version"]}).status_code
            == 200
        )
        response = patch(client, f"{created['id']}", {"title": "二", "version": created["version"]})
        assert response.status_code == 409
        assert response.json()["field"] == "version" and response.json()["message"]
        assert Request.objects.get(pk=created["id"]).title == "一"

    def test_a_stale_version_on_submit_is_a_409(self, personas, client_for):
        client = client_for(personas.mkt_staff)
        created = post(client, "", draft_body(personas)).json()
        patch(client, f"{created['id']}", {"title": "一", "version": created["version"]})
        response = post(client, f"{created['id']}/submit", {"version": created["version"]})
        assert response.status_code == 409
        assert Request.objects.get(pk=created["id"]).status == "draft"

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({"urgency": "whenever"}, "urgency"),
            ({"type": "gossip"}, "type"),
            ({"receiving_departments": ["NOPE"]}, "receiving_departments"),
            ({"initiating_department": "CS"}, "initiating_department"),
            ({"title": "长" * 201}, "title"),
        ],
    )
    def test_bad_input_on_a_draft_is_a_400_naming_the_field(self, personas, client_for, body, field):
        response = post(client_for(personas.mkt_staff), "", draft_body(personas, **body))
        assert response.status_code == 400, response.json()
        assert response.json()["field"] == field and response.json()["message"]
        assert not Request.objects.exists()

    def test_submitting_an_incomplete_draft_is_a_400_naming_the_field(self, personas, client_for):
        client = client_for(personas.mkt_staff)
        created = post(client, "", draft_body(personas, background="")).json()
        response = post(client, f"{created['id']}/submit")
        assert response.status_code == 400
        assert response.json()["field"] == "background"
        assert Request.objects.get(pk=created["id"]).status == "draft"

    def test_a_rating_out_of_range_is_a_400_naming_satisfaction(self, personas, client_for):
        request = factories.resolved(personas)
        before = snapshot(request.pk)
        response = post(client_for(personas.mkt_staff), f"{request.pk}/confirm", {"satisfaction": 9})
        assert response.status_code == 400 and response.json()["field"] == "satisfaction"
        assert snapshot(request.pk) == before

    def test_a_missing_required_field_is_a_422_naming_it(self, personas, client_for):
        request = factories.submitted(personas)
        response = post(client_for(personas.mkt_staff), f"{request.pk}/cancel", {})
        assert response.status_code == 422 and response.json()["field"] == "reason"

    def test_an_unknown_field_on_a_draft_is_refused(self, personas, client_for):
        response = post(client_for(personas.mkt_staff), "", {"titel": "typo"})
        assert response.status_code == 422 and response.json()["field"] == "titel"

    def test_a_bare_json_string_body_is_a_400(self, personas, client_for):
        request = factories.submitted(personas)
        client = client_for(personas.mkt_staff)
        response = client.post(
            f"{URL}{request.pk}/cancel", data='"please cancel"', content_type="application/json"
        )
        assert response.status_code == 400
        assert response.json()["field"] == "body"
        response = client.post(URL, data="[1, 2]", content_type="application/json")
        assert response.status_code == 400
        assert Request.objects.get(pk=request.pk).status == "submitted"

    def test_a_write_needs_the_csrf_header(self, personas):
        client = Client(enforce_csrf_checks=True)
        client.force_login(personas.mkt_staff.user)
        body = json.dumps(draft_body(personas))
        assert client.post(URL, data=body, content_type="application/json").status_code == 403
        secret = "a" * 32
        client.cookies["csrftoken"] = secret
        response = client.post(
            URL, data=body, content_type="application/json", headers={"X-CSRFToken": secret}
        )
        assert response.status_code == 201, response.json()

    def test_without_a_login_it_is_401(self, client):
        assert client.get(URL).status_code == 401


class TestTheList:
    @pytest.fixture
    def rows(self, personas):
        alone = {"informed_departments": []}
        urgent = factories.submitted(personas, urgency="urgent", title="仓库系统故障", **alone)
        normal = factories.submitted(
            personas, urgency="normal", type="resource", title="申请临时人手", **alone
        )
        to_log = factories.submitted(
            personas, receiving_departments=[personas.log.pk], title="物流配送延迟", **alone
        )
        raised_by_cs = factories.submitted(personas, title="客服部发起", **alone)
        # Make the last one CS's own request: raised by CS towards MKT.
        Request.objects.filter(pk=raised_by_cs.pk).update(initiating_department=personas.cs)
        RequestPart.objects.filter(request=raised_by_cs, department=personas.cs).update(
            department=personas.mkt
        )
        involvement_rebuild()  # the two updates above went around the services
        factories.draft(personas, title="草稿不在列表中")
        return {"urgent": urgent, "normal": normal, "log": to_log, "raised_by_cs": raised_by_cs}

    def ids(self, response):
        assert response.status_code == 200, response.json()
        return {item["id"] for item in response.json()["items"]}

    def test_a_row_carries_what_the_inbox_shows(self, personas, client_for, rows):
        item = next(
            i for i in client_for(personas.mkt_staff).get(URL).json()["items"] if i["id"] == rows["urgent"].pk
        )
        assert item["number"] == rows["urgent"].number and item["urgency"] == "urgent"
        assert item["initiating_department"]["code"] == "MKT" and item["initiator"]["name"] == "张伟"
        assert [(p["department"]["code"], p["role"], p["status"]) for p in item["parts"]] == [
            ("CS", "receiving", "pending")
        ]
        assert OFFSET.search(item["submitted_at"]) and OFFSET.search(item["next_due_at"])
        assert item["raised_on"] == timezone.localdate().isoformat() and item["version"] >= 2

    def test_it_filters_by_urgency_type_text_and_status(self, personas, client_for, rows):
        client = client_for(personas.mkt_staff)
        assert self.ids(client.get(URL, {"urgency": "urgent"})) == {rows["urgent"].pk}
        assert self.ids(client.get(URL, {"type": "resource"})) == {rows["normal"].pk}
        assert self.ids(client.get(URL, {"q": "临时人手"})) == {rows["normal"].pk}
        assert self.ids(client.get(URL, {"q": rows["log"].number})) == {rows["log"].pk}
        assert len(self.ids(client.get(URL, {"status": "open"}))) == 4
        assert self.ids(client.get(URL, {"status": "cancelled,archived"})) == set()

    def test_it_filters_by_department_and_direction(self, personas, client_for, rows):
        client = client_for(personas.supervisor)  # a member of MKT who supervises CS and LOG
        received = self.ids(client.get(URL, {"department": "CS", "direction": "received"}))
        assert received == {rows["urgent"].pk, rows["normal"].pk}
        assert self.ids(client.get(URL, {"department": "CS", "direction": "raised"})) == {
            rows["raised_by_cs"].pk
        }
        assert self.ids(client.get(URL, {"department": str(personas.log.pk)})) == {rows["log"].pk}

    def test_it_includes_the_sub_departments_when_asked(self, personas, client_for, rows):
        from crossdesk.org.tests.factories import DepartmentFactory

        personas.log.parent = DepartmentFactory.create(code="OPS", name="运营中心")
        personas.log.save()
        client = client_for(personas.admin_user)
        assert self.ids(client.get(URL, {"department": "OPS", "direction": "received"})) == set()
        assert self.ids(
            client.get(URL, {"department": "OPS", "direction": "received", "include_sub": "true"})
        ) == {rows["log"].pk}

    def test_it_filters_by_the_date_raised_and_overdue(self, personas, client_for, rows):
        client = client_for(personas.mkt_staff)
        today = timezone.localdate()
        assert (
            len(self.ids(client.get(URL, {"date_from": today.isoformat(), "date_to": today.isoformat()})))
            == 4
        )
        assert self.ids(client.get(URL, {"date_from": (today + timedelta(days=1)).isoformat()})) == set()
        Request.objects.filter(pk=rows["log"].pk).update(is_overdue=True)
        assert self.ids(client.get(URL, {"overdue": "true"})) == {rows["log"].pk}

    def test_it_paginates_with_limit_offset_and_the_total(self, personas, client_for, rows):
        client = client_for(personas.mkt_staff)
        first = client.get(URL, {"limit": 3, "sort": "submitted_at"}).json()
        second = client.get(URL, {"limit": 3, "offset": 3, "sort": "submitted_at"}).json()
        assert (first["count"], first["limit"], first["offset"]) == (4, 3, 0)
        assert [i["id"] for i in first["items"]] == [rows[k].pk for k in ("urgent", "normal", "log")]
        assert [i["id"] for i in second["items"]] == [rows["raised_by_cs"].pk]

    def test_it_shows_only_what_the_viewer_may_see(self, personas, client_for, rows):
        client = client_for(personas.outsider)  # in FIN, involved in none of them
        assert self.ids(client.get(URL)) == set()
        informed = factories.submitted(personas, informed_departments=[personas.fin.pk])
        assert self.ids(client.get(URL)) == {informed.pk}

    @pytest.mark.parametrize(
        ("params", "field"),
        [
            ({"status": "lost"}, "status"),
            ({"status": "draft"}, "status"),
            ({"urgency": "asap"}, "urgency"),
            ({"type": "x"}, "type"),
            ({"overdue": "maybe"}, "overdue"),
            ({"department": "NOPE"}, "department"),
            ({"direction": "raised"}, "direction"),
            ({"include_sub": "true"}, "include_sub"),
            ({"department": "CS", "include_sub": "perhaps"}, "include_sub"),
            ({"department": "CS", "direction": "sideways"}, "direction"),
            ({"date_from": "2026-13-01"}, "date_from"),
            ({"date_from": "2026-10-02", "date_to": "2026-10-01"}, "date_to"),
            ({"sort": "title"}, "sort"),
            ({"limit": "ten"}, "limit"),
            ({"limit": "0"}, "limit"),
            ({"limit": "500"}, "limit"),
            ({"offset": "-1"}, "offset"),
        ],
    )
    def test_an_invalid_value_is_a_400_naming_the_parameter(self, personas, client_for, params, field):
        response = client_for(personas.mkt_staff).get(URL, params)
        assert response.status_code == 400, response.json()
        assert response.json()["field"] == field
        assert field in response.json()["message"]

    def test_its_query_count_does_not_grow_with_the_rows(self, personas, client_for):
        client = client_for(personas.supervisor)

        def queries() -> int:
            with CaptureQueriesContext(connection) as captured:
                response = client.get(URL, {"limit": 50})
            assert response.status_code == 200
            return len(captured)

        for _ in range(5):
            factories.submitted(personas, receiving_departments=[personas.cs.pk, personas.log.pk])
        with_five = queries()
        for _ in range(25):
            factories.submitted(personas, receiving_departments=[personas.cs.pk, personas.log.pk])
        assert client.get(URL).json()["count"] == 30
        assert queries() == with_five


class TestTheRequestPage:
    def test_it_shows_parts_clocks_and_the_actions_of_the_caller(self, personas, client_for):
        request = factories.submitted(personas, receiving_departments=[personas.cs.pk, personas.log.pk])
        page = client_for(personas.log_head).get(f"{URL}{request.pk}").json()
        by_code = {p["department"]["code"]: p for p in page["parts"]}
        assert set(by_code["LOG"]["actions"]) >= {"accept", "decline", "request_info", "name_liaison"}
        assert by_code["CS"]["actions"] == []
        assert "log" in page["actions"] and "confirm" not in page["actions"]
        keys = {(c["key"], c["part_id"]) for c in page["clocks"]}
        assert ("request.respond", by_code["LOG"]["id"]) in keys and ("request.first_contact", None) in keys

    def test_its_query_count_does_not_grow_with_the_timeline(self, personas, client_for):
        request = factories.accepted(personas)
        client = client_for(personas.mkt_staff)

        def queries() -> int:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(f"{URL}{request.pk}").status_code == 200
            return len(captured)

        before = queries()
        for n in range(10):
            post(client, f"{request.pk}/log", {"content": f"第{n}次跟进"})
        assert queries() == before


class TestAttachments:
    def test_an_involved_person_uploads_and_only_viewers_download(self, personas, client_for):
        request = factories.submitted(personas, informed_departments=[])
        client = client_for(personas.mkt_staff)
        upload = SimpleUploadedFile("截图.txt", "仓库系统报错".encode(), content_type="text/plain")
        response = client.post(f"{URL}{request.pk}/attachments", {"file": upload})
        assert response.status_code == 201, response.json()
        attachment = response.json()
        assert attachment["name"] == "截图.txt" and attachment["size"] == len("仓库系统报错".encode())

        download = client_for(personas.cs_liaison).get(attachment["url"])
        assert download.status_code == 200
        assert b"".join(download.streaming_content) == "仓库系统报错".encode()
        assert "attachment" in download["Content-Disposition"]

        assert client_for(personas.outsider).get(attachment["url"]).status_code == 404
        page = client_for(personas.mkt_staff).get(f"{URL}{request.pk}").json()
        assert [a["id"] for a in page["attachments"]] == [attachment["id"]]

    def test_a_forbidden_file_type_is_a_400_naming_file(self, personas, client_for):
        request = factories.submitted(personas)
        upload = SimpleUploadedFile("tool.exe", b"MZ", content_type="application/octet-stream")
        response = client_for(personas.mkt_staff).post(f"{URL}{request.pk}/attachments", {"file": upload})
        assert response.status_code == 400 and response.json()["field"] == "file"
        assert not request.attachments.exists()


class TestWorkbench:
    def test_the_liaison_sees_what_to_respond_to_and_the_initiator_their_draft(self, personas, client_for):
        request = factories.submitted(personas)
        draft = factories.draft(personas, title="还没提交")
        items = client_for(personas.cs_liaison).get(f"{URL}workbench").json()
        assert [(i["what"], i["request"]["id"], i["department"]["code"]) for i in items] == [
            ("respond", request.pk, "CS")
        ]
        assert OFFSET.search(items[0]["due_at"])
        mine = client_for(personas.mkt_staff).get(f"{URL}workbench").json()
        assert ("draft", draft.pk) in [(i["what"], i["request"]["id"]) for i in mine]


class TestTheExport:
    def test_it_has_the_rows_of_the_list_with_its_filter_not_only_one_page(self, personas, client_for):
        urgent = [factories.submitted(personas, urgency="urgent") for _i in range(3)]
        factories.submitted(personas)
        client = client_for(personas.mkt_staff)
        listed = client.get(URL, {"urgency": "urgent", "limit": 2}).json()
        rows = xlsx_rows(client.get(f"{URL}export.xlsx", {"urgency": "urgent", "limit": 2}))
        assert rows[0][:2] == ("编号", "主题")
        assert listed["count"] == len(rows) - 1 == 3
        assert sorted(r[0] for r in rows[1:]) == sorted(r.number for r in urgent)

    def test_nobody_exports_what_they_may_not_see_and_a_bad_filter_is_a_400(self, personas, client_for):
        factories.submitted(personas)
        assert xlsx_rows(client_for(personas.outsider).get(f"{URL}export.xlsx"))[1:] == []
        response = client_for(personas.mkt_staff).get(f"{URL}export.xlsx", {"urgency": "whenever"})
        assert response.status_code == 400 and response.json()["field"] == "urgency"

    def test_it_makes_the_same_queries_for_more_requests(self, personas, client_for):
        factories.submitted(personas)
        client = client_for(personas.mkt_staff)
        queries_of(client, f"{URL}export.xlsx")
        few = queries_of(client, f"{URL}export.xlsx")
        for _i in range(10):
            factories.submitted(personas)
        assert queries_of(client, f"{URL}export.xlsx") == few


class TestTheSchema:
    def test_it_declares_the_4xx_answers_of_each_operation(self):
        paths = api.get_openapi_schema()["paths"]
        base = "/api/v1/requests/"

        def codes(path, method):
            return {str(code) for code in paths[base + path][method]["responses"]}

        assert {"400", "401", "422"} <= codes("", "get")
        assert {"400", "401", "422"} <= codes("export.xlsx", "get")
        assert {"400", "403"} <= codes("", "post")
        assert {"404"} <= codes("{request_id}", "get")
        assert {"400", "403", "404", "409"} <= codes("{request_id}", "patch")
        for action in ("submit", "cancel", "log", "confirm", "reopen", "sign", "archive", "attachments"):
            assert {"400", "403", "404", "409"} <= codes(f"{{request_id}}/{action}", "post"), action
        for action in (
            "accept",
            "decline",
            "request-info",
            "provide-info",
            "resolve",
            "change-commitment",
            "delay-reason",
            "name-liaison",
            "sign",
        ):
            assert {"400", "403", "404", "409"} <= codes(
                f"{{request_id}}/parts/{{part_id}}/{action}", "post"
            ), action
        assert {"200", "404"} <= codes("{request_id}/attachments/{attachment_id}", "get")

    def test_the_schema_is_served(self, personas, client_for):
        response = client_for(personas.mkt_staff).get("/api/openapi.json")
        assert response.status_code == 200
        assert "/api/v1/requests/{request_id}/submit" in response.json()["paths"]
