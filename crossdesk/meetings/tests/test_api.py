"""The meetings API: the life cycle, lists, refusals, files and the invitation."""

import json
import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from crossdesk.meetings.models import ActionItem, Meeting

from . import factories

pytestmark = pytest.mark.django_db

URL = "/api/v1/meetings/"
OFFSET = re.compile(r"[+-]\d\d:\d\d$")


def post(client, path, data=None):
    return client.post(URL + path, data=json.dumps(data or {}), content_type="application/json")


def send(client, method, path, data):
    return getattr(client, method)(URL + path, data=json.dumps(data), content_type="application/json")


def in_days(days: int, hour: int = 10) -> str:
    moment = timezone.localtime() + timedelta(days=days)
    return moment.replace(hour=hour, minute=0, second=0, microsecond=0).isoformat()


def draft_body(personas, **overrides):
    body = {
        "title": "C产品响应速度问题专项沟通会",
        "kind": "special",
        "starts_at": in_days(14),
        "ends_at": in_days(14, 11),
        "online_platform": "腾讯会议",
        "online_meeting_id": "123 456 789",
        "goal": "明确功能优化优先级及交付时间",
        "recorder": factories.recorder(personas).pk,
        "agenda": [{"topic": "问题原因分析", "duration": 30}, {"topic": "解决方案可行性"}],
        "participants": [
            {"department": "MKT", "people": [personas.mkt_staff.pk], "representative": personas.mkt_staff.pk},
            {
                "department": "CS",
                "people": [personas.cs_liaison.pk],
                "representative": personas.cs_liaison.pk,
            },
        ],
    }
    body.update(overrides)
    return body


class TestTheLifeCycle:
    def test_a_meeting_goes_from_draft_to_archive_through_the_api(self, personas, client_for):
        # One test client: each step logs in as the person acting.
        initiator = lambda: client_for(personas.mkt_staff)  # noqa: E731
        recorder = lambda: client_for(factories.recorder(personas))  # noqa: E731
        cs = lambda: client_for(personas.cs_liaison)  # noqa: E731
        client = initiator
        response = post(client(), "", draft_body(personas))
        assert response.status_code == 201, response.json()
        created = response.json()
        meeting_id = created["id"]
        assert created["status"] == "draft" and created["number"] is None
        assert {"edit", "send_notice", "cancel"} <= set(created["actions"])
        assert [p["department"]["code"] for p in created["participants"]] == ["MKT", "CS"]

        response = send(
            client(), "patch", f"{meeting_id}", {"title": "C产品专项沟通会", "version": created["version"]}
        )
        assert response.status_code == 200, response.json()
        version = response.json()["version"]
        timing = client().get(f"{URL}{meeting_id}/notice-timing").json()
        assert timing["on_time"] is True and timing["required_days"] == 3

        response = post(client(), f"{meeting_id}/notice", {"version": version})
        assert response.status_code == 200, response.json()
        noticed = response.json()
        assert noticed["status"] == "notified" and re.fullmatch(r"\d{4}-MKT-001", noticed["number"])
        assert OFFSET.search(noticed["notice_sent_at"])
        assert noticed["location"] == "腾讯会议 123 456 789"
        ics = client().get(f"{URL}{meeting_id}/invite.ics")
        assert ics.status_code == 200 and ics["Content-Type"].startswith("text/calendar")
        assert "METHOD:REQUEST" in ics.content.decode()

        # The meeting took place yesterday (moved there in the database for the test).
        Meeting.objects.filter(pk=meeting_id).update(
            starts_at=timezone.now() - timedelta(days=1), ends_at=timezone.now() - timedelta(days=1, hours=-1)
        )
        response = post(recorder(), f"{meeting_id}/held")
        assert response.status_code == 200, response.json()
        held = response.json()
        assert held["status"] == "held"
        assert [c["key"] for c in held["clocks"]] == ["meeting.minutes"]

        minutes = {
            "minutes_version": held["minutes_version"],
            "discussion": [{"topic": "问题原因分析", "points": "研发提出升级服务器"}],
            "disagreements": [
                {
                    "topic": "优先方案",
                    "views": [
                        {"department": personas.mkt.pk, "position": "升级服务器"},
                        {"department": personas.cs.pk, "position": "优化交互"},
                    ],
                    "next_step": "next_meeting",
                }
            ],
            "consensus": ["优先优化交互逻辑"],
            "action_items": [
                {"action": "优化交互逻辑方案", "owner": personas.cs_liaison.pk, "due_at": in_days(5, 18)}
            ],
        }
        response = send(recorder(), "put", f"{meeting_id}/minutes", minutes)
        assert response.status_code == 200, response.json()
        saved = response.json()
        assert saved["status"] == "minutes_drafting" and saved["minutes"]["consensus"] == ["优先优化交互逻辑"]
        stale = send(recorder(), "put", f"{meeting_id}/minutes", {**minutes, "consensus": ["旧的"]})
        assert stale.status_code == 409 and stale.json()["field"] == "minutes_version"

        response = post(recorder(), f"{meeting_id}/circulate", {"minutes_version": saved["minutes_version"]})
        assert response.status_code == 200, response.json()
        circulated = response.json()
        assert circulated["status"] == "circulated" and circulated["versions"][0]["number"] == 1
        item_id = circulated["action_items"][0]["id"]

        seen = cs().get(f"{URL}{meeting_id}").json()
        cs_part = next(p for p in seen["participants"] if p["department"]["code"] == "CS")
        assert set(cs_part["actions"]) == {"confirm", "object"}
        assert seen["action_items"][0]["actions"] == ["complete", "update_status"]
        response = post(cs(), f"{meeting_id}/object", {"text": "方案完成时限应为3天内"})
        assert response.status_code == 200 and response.json()["status"] == "objected"

        assert post(recorder(), f"{meeting_id}/revise").json()["status"] == "revising"
        current = recorder().get(f"{URL}{meeting_id}").json()
        response = send(
            recorder(),
            "put",
            f"{meeting_id}/minutes",
            {"minutes_version": current["minutes_version"], "consensus": ["优先优化交互逻辑，3天内出方案"]},
        )
        assert response.status_code == 200, response.json()
        assert post(recorder(), f"{meeting_id}/circulate", {"note": "修改时限"}).json()["circulation"] == 2
        diff = cs().get(f"{URL}{meeting_id}/diff", {"from_version": 1, "to_version": 2}).json()
        assert [d["section"] for d in diff if d["changed"]] == ["consensus"]

        assert post(client(), f"{meeting_id}/confirm").status_code == 200
        response = post(cs(), f"{meeting_id}/confirm", {"department": "CS"})
        assert response.status_code == 200 and response.json()["status"] == "confirmed"

        for head in (personas.mkt_head, personas.cs_head):
            response = post(client_for(head), f"{meeting_id}/sign")
            assert response.status_code == 200, response.json()
        assert response.json()["status"] == "signed"

        response = post(initiator(), f"{meeting_id}/archive")
        assert response.status_code == 409  # the action item is still open
        response = post(cs(), f"action-items/{item_id}/complete", {"result": "方案已提交测试"})
        assert response.status_code == 200 and response.json()["status"] == "done"
        response = post(initiator(), f"{meeting_id}/archive")
        assert response.status_code == 200, response.json()
        archived = response.json()
        assert archived["status"] == "archived" and archived["retain_until"]
        assert archived["actions"] == [] and archived["broken_signatures"] == []


class TestRefusals:
    def test_the_wrong_person_is_403_and_the_wrong_moment_409(self, personas, client_for):
        meeting = factories.notified(personas)
        response = post(client_for(personas.cs_liaison), f"{meeting.pk}/cancel", {"reason": "不开了"})
        assert response.status_code == 403 and response.json()["message"]
        response = post(client_for(personas.mkt_staff), f"{meeting.pk}/notice")
        assert response.status_code == 409

    def test_a_meeting_the_caller_may_not_see_is_404(self, personas, client_for):
        meeting = factories.notified(personas)
        client = client_for(personas.outsider)
        assert client.get(f"{URL}{meeting.pk}").status_code == 404
        assert post(client, f"{meeting.pk}/cancel", {"reason": "x"}).status_code == 404
        assert client.get(f"{URL}{meeting.pk}/invite.ics").status_code == 404

    def test_a_late_notice_without_a_reason_is_a_400_naming_it(self, personas, client_for):
        meeting = factories.draft(personas, starts_at=timezone.now() + timedelta(hours=3))
        response = post(client_for(personas.mkt_staff), f"{meeting.pk}/notice")
        # Three hours ahead is never 3 working days ahead.
        assert response.status_code == 400 and response.json()["field"] == "late_reason"

    def test_a_bare_json_string_body_is_a_400(self, personas, client_for):
        meeting = factories.notified(personas)
        client = client_for(personas.mkt_staff)
        response = client.post(
            f"{URL}{meeting.pk}/cancel", data='"please cancel"', content_type="application/json"
        )
        assert response.status_code == 400 and response.json()["field"] == "body"
        assert Meeting.objects.get(pk=meeting.pk).status == "notified"

    def test_an_unknown_field_on_a_draft_is_refused(self, personas, client_for):
        response = post(client_for(personas.mkt_staff), "", {"titel": "typo"})
        assert response.status_code == 422 and response.json()["field"] == "titel"

    def test_an_objection_without_text_is_refused(self, personas, client_for):
        meeting = factories.circulated(personas)
        response = post(client_for(personas.cs_liaison), f"{meeting.pk}/object", {"text": " "})
        assert response.status_code == 400 and response.json()["field"] == "text"

    def test_without_a_login_it_is_401(self, client):
        assert client.get(URL).status_code == 401


class TestTheList:
    def test_it_filters_by_kind_status_department_date_and_text(self, personas, client_for):
        kickoff = factories.notified(personas, kind="kickoff", title="客户投诉快速响应启动会")
        factories.notified(personas, kind="regular", title="周例会", starts_at=factories.at_ten(21))
        factories.draft(personas, title="草稿会议")
        client = client_for(personas.cs_liaison)
        everything = client.get(URL).json()
        assert everything["count"] == 2  # the draft is the initiator's and recorder's only
        assert client.get(URL, {"kind": "kickoff"}).json()["items"][0]["id"] == kickoff.pk
        assert client.get(URL, {"q": "例会"}).json()["count"] == 1
        assert client.get(URL, {"status": "notified,held"}).json()["count"] == 2
        assert client.get(URL, {"department": "CS"}).json()["count"] == 2
        assert client.get(URL, {"department": "LOG"}).json()["count"] == 0
        day = factories.at_ten(14).date().isoformat()
        assert client.get(URL, {"date_from": day, "date_to": day}).json()["count"] == 1
        bad = client.get(URL, {"kind": "party"})
        assert bad.status_code == 400 and bad.json()["field"] == "kind"
        assert client.get(URL, {"limit": 1}).json()["items"][0]["number"]

    def test_its_query_count_does_not_grow_with_rows(self, personas, client_for):
        client = client_for(personas.supervisor)

        def queries() -> int:
            with CaptureQueriesContext(connection) as captured:
                response = client.get(URL, {"limit": 50})
            assert response.status_code == 200
            return len(captured)

        for _ in range(3):
            factories.notified(personas)
        with_three = queries()
        for _ in range(12):
            factories.notified(personas)
        assert client.get(URL).json()["count"] == 15
        assert queries() == with_three

    def test_the_meeting_page_query_count_does_not_grow_with_history(self, personas, client_for):
        meeting = factories.circulated(personas)
        item = ActionItem.objects.filter(meeting=meeting, owner=personas.cs_liaison).get()

        def queries() -> int:
            client = client_for(personas.mkt_staff)
            with CaptureQueriesContext(connection) as captured:
                assert client.get(f"{URL}{meeting.pk}").status_code == 200
            return len(captured)

        before = queries()
        for n in range(5):
            body = {"status": "in_progress", "note": f"第{n}次进展"}
            assert (
                post(client_for(personas.cs_liaison), f"action-items/{item.pk}/status", body).status_code
                == 200
            )
        assert queries() == before


class TestActionItems:
    def test_the_list_filters_by_owner_status_overdue_and_meeting(self, personas, client_for):
        meeting = factories.circulated(personas)
        client = client_for(personas.cs_liaison)
        mine = client.get(f"{URL}action-items", {"owner": "me"}).json()
        assert mine["count"] == 1 and mine["items"][0]["actions"] == ["complete", "update_status"]
        assert client.get(f"{URL}action-items", {"meeting": meeting.pk}).json()["count"] == 2
        assert client.get(f"{URL}action-items", {"overdue": "true"}).json()["count"] == 0
        ActionItem.objects.filter(meeting=meeting, owner=personas.cs_liaison).update(
            due_at=timezone.now() - timedelta(hours=1)
        )
        assert client.get(f"{URL}action-items", {"overdue": "true"}).json()["count"] == 1
        assert client.get(f"{URL}action-items", {"status": "done"}).json()["count"] == 0
        assert client_for(personas.outsider).get(f"{URL}action-items").json()["count"] == 0

    def test_the_owner_reports_delay_and_completion(self, personas, client_for):
        meeting = factories.circulated(personas)
        item = ActionItem.objects.get(meeting=meeting, owner=personas.cs_liaison)
        client = client_for(personas.cs_liaison)
        response = post(client, f"action-items/{item.pk}/status", {"status": "delayed"})
        assert response.status_code == 400 and response.json()["field"] == "reason"
        response = post(
            client, f"action-items/{item.pk}/status", {"status": "delayed", "reason": "测试环境未就绪"}
        )
        assert response.status_code == 200 and response.json()["status"] == "delayed"
        assert response.json()["updates"][-1]["to_status"] == "delayed"
        response = post(client_for(personas.cs_head), f"action-items/{item.pk}/complete", {"result": "好了"})
        assert response.status_code == 403

    def test_an_item_is_raised_from_a_request(self, personas, client_for):
        from crossdesk.collaboration.tests import factories as request_factories

        request = request_factories.accepted(personas)
        body = {
            "request_id": request.pk,
            "action": "补发货物并告知客户",
            "owner_id": personas.cs_staff.pk,
            "due_at": in_days(2, 18),
        }
        response = post(client_for(personas.cs_liaison), "action-items/from-request", body)
        assert response.status_code == 201, response.json()
        assert response.json()["request_id"] == request.pk
        # A request the outsider may not see is "not found", before any rule (issue 16 §1).
        assert post(client_for(personas.outsider), "action-items/from-request", body).status_code == 404
        listed = client_for(personas.mkt_staff).get(f"{URL}action-items", {"request": request.pk}).json()
        assert listed["count"] == 1


class TestMaterials:
    def test_the_initiator_uploads_and_only_viewers_download(self, personas, client_for):
        meeting = factories.draft(personas)
        client = client_for(personas.mkt_staff)
        upload = SimpleUploadedFile("议程说明.txt", "背景资料".encode(), content_type="text/plain")
        response = client.post(f"{URL}{meeting.pk}/materials", {"file": upload})
        assert response.status_code == 201, response.json()
        url = response.json()["url"]
        client = client_for(personas.mkt_staff)
        client.post(f"{URL}{meeting.pk}/notice", data="{}", content_type="application/json")
        download = client_for(personas.cs_liaison).get(url)
        assert download.status_code == 200 and b"".join(download.streaming_content) == "背景资料".encode()
        assert client_for(personas.outsider).get(url).status_code == 404
        bad = client_for(personas.mkt_staff).post(
            f"{URL}{meeting.pk}/materials", {"file": SimpleUploadedFile("x.exe", b"MZ")}
        )
        assert bad.status_code in (400, 409)


class TestWorkbench:
    def test_it_lists_what_waits_for_the_caller(self, personas, client_for):
        factories.circulated(personas)
        items = client_for(personas.cs_liaison).get(f"{URL}workbench").json()
        assert sorted(i["what"] for i in items) == ["action_item", "confirm_minutes"]
        confirm = next(i for i in items if i["what"] == "confirm_minutes")
        assert confirm["due_at"] and confirm["meeting_id"]
