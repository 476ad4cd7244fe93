"""The 部门资源确认函 [004]: written when a department accepts or declines, versioned when its
commitment changes, signed by its head, visible to the initiator, printed as a PDF."""

import json
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from crossdesk.audit.models import AuditEvent
from crossdesk.collaboration import services
from crossdesk.collaboration.choices import EntryKind, PartStatus
from crossdesk.collaboration.letters import letter_signature_valid
from crossdesk.collaboration.models import RequestPart, ResourceLetter, TimelineEntry
from crossdesk.core.errors import ApplicationError, PermissionDeniedError, TransitionError
from crossdesk.core.testing import pdf_text

from . import factories

pytestmark = pytest.mark.django_db

LETTER = {
    "liaison_contact": "内线 8021",
    "liaison_duties": "进度反馈、问题沟通、资源协调",
    "people_names": "赵磊、李娜",
    "people_count": 2,
    "budget": "50000",
    "material": "测试服务器两台",
    "resources_from": "2026-12-07",
    "resources_to": "2026-12-31",
    "milestones": "2026-12-10 接口方案确认\n2026-12-20 联调完成",
    "risks": "年底客服人手紧张",
}


def accept(personas, request, **letter):
    part = request.parts.get(department=personas.cs)
    services.part_accept(
        actor=personas.cs_liaison.user,
        request_id=request.pk,
        part_id=part.pk,
        liaison_id=personas.cs_liaison.pk,
        committed_at=timezone.now() + timedelta(days=5),
        **letter,
    )
    return RequestPart.objects.get(pk=part.pk)


def letter_url(request, part, name="collaboration:letter"):
    return reverse(name, args=[request.pk, part.pk])


class TestWritingTheLetter:
    def test_accepting_writes_version_one_with_the_committed_people_and_budget(self, personas):
        request = factories.submitted(personas)
        part = accept(personas, request, **LETTER)

        letter = ResourceLetter.objects.get(part=part)
        assert (letter.version, letter.decision, letter.liaison, letter.author) == (
            1,
            "accept",
            personas.cs_liaison,
            personas.cs_liaison,
        )
        assert (letter.people_names, letter.people_count, letter.budget) == (
            "赵磊、李娜",
            2,
            Decimal("50000.00"),
        )
        assert (letter.resources_from, letter.resources_to) == (date(2026, 12, 7), date(2026, 12, 31))
        assert letter.milestones == [
            {"date": "2026-12-10", "title": "接口方案确认"},
            {"date": "2026-12-20", "title": "联调完成"},
        ]
        assert (part.letter_version, part.letter_signed) == (1, False)
        assert TimelineEntry.objects.filter(request=request, kind=EntryKind.LETTER, part=part).count() == 1
        assert AuditEvent.objects.filter(content_type__model="resourceletter", object_id=letter.pk).exists()

    def test_the_liaisons_contact_defaults_to_their_internal_number(self, personas):
        personas.cs_liaison.phone = "8021"
        personas.cs_liaison.save()
        part = accept(personas, factories.submitted(personas))
        assert part.letters.get().liaison_contact == "8021"

    @pytest.mark.parametrize(
        ("field", "value"),
        [
            ("budget", "五万"),
            ("budget", "-1"),
            ("people_count", "两个"),
            ("resources_to", "2026-12-01"),
            ("milestones", "下周 接口方案确认"),
            ("milestones", "2026-12-10"),
        ],
    )
    def test_bad_input_names_the_field_and_changes_nothing(self, personas, field, value):
        request = factories.submitted(personas)
        with pytest.raises(ApplicationError) as error:
            accept(personas, request, **(LETTER | {field: value}))
        assert error.value.field == field
        part = request.parts.get(department=personas.cs)
        assert (part.status, part.letter_version) == (PartStatus.PENDING, 0)
        assert not ResourceLetter.objects.exists()

    def test_declining_writes_a_letter_with_the_reasons_and_the_alternative(self, personas):
        request = factories.submitted(personas)
        part = request.parts.get(department=personas.cs)
        services.part_decline(
            actor=personas.cs_head.user,
            request_id=request.pk,
            part_id=part.pk,
            reason="本月客服系统升级，无人手",
            alternative="下月初再安排，或请IT部先评估",
        )
        letter = ResourceLetter.objects.get(part=part)
        assert (letter.decision, letter.decline_reason, letter.alternative) == (
            "decline",
            "本月客服系统升级，无人手",
            "下月初再安排，或请IT部先评估",
        )
        services.letter_sign(actor=personas.cs_head.user, request_id=request.pk, part_id=part.pk)
        assert letter_signature_valid(ResourceLetter.objects.get(pk=letter.pk)) is True


class TestNewVersions:
    def test_changing_the_committed_resources_writes_a_new_version_and_keeps_the_old(self, personas):
        request = factories.submitted(personas)
        part = accept(personas, request, **LETTER)
        services.letter_sign(actor=personas.cs_head.user, request_id=request.pk, part_id=part.pk)

        services.letter_revise(
            actor=personas.cs_liaison.user,
            request_id=request.pk,
            part_id=part.pk,
            liaison_id=personas.cs_staff.pk,
            change_reason="预算追加一万用于加班",
            **(LETTER | {"budget": "60000"}),
        )

        first, second = ResourceLetter.objects.filter(part=part).order_by("version")
        assert (first.budget, second.budget) == (Decimal("50000.00"), Decimal("60000.00"))
        assert first.head_signed_at is not None and letter_signature_valid(first) is True
        assert second.head_signed_at is None and second.change_reason == "预算追加一万用于加班"
        part.refresh_from_db()
        assert (part.letter_version, part.letter_signed, part.liaison) == (2, False, personas.cs_staff)

    def test_a_new_version_needs_a_reason(self, personas):
        request = factories.submitted(personas)
        part = accept(personas, request)
        with pytest.raises(ApplicationError) as error:
            services.letter_revise(
                actor=personas.cs_liaison.user,
                request_id=request.pk,
                part_id=part.pk,
                liaison_id=personas.cs_liaison.pk,
                change_reason=" ",
            )
        assert error.value.field == "change_reason"
        assert ResourceLetter.objects.count() == 1

    def test_only_the_receiving_side_changes_its_letter_and_only_once_accepted(self, personas):
        request = factories.submitted(personas)
        part = request.parts.get(department=personas.cs)
        kwargs = {"request_id": request.pk, "part_id": part.pk, "liaison_id": personas.cs_liaison.pk}
        with pytest.raises(TransitionError):
            services.letter_revise(actor=personas.cs_liaison.user, change_reason="x", **kwargs)
        accept(personas, request)
        with pytest.raises(PermissionDeniedError):
            services.letter_revise(actor=personas.mkt_staff.user, change_reason="x", **kwargs)


class TestSigning:
    def test_the_head_signs_with_the_date_and_a_digest_that_notices_a_later_change(self, personas):
        request = factories.submitted(personas)
        part = accept(personas, request, **LETTER)
        signed = services.letter_sign(actor=personas.cs_head.user, request_id=request.pk, part_id=part.pk)

        assert signed.head == personas.cs_head and len(signed.head_signature) == 64
        assert letter_signature_valid(ResourceLetter.objects.get(pk=signed.pk)) is True
        ResourceLetter.objects.filter(pk=signed.pk).update(budget=Decimal("90000"))
        assert letter_signature_valid(ResourceLetter.objects.get(pk=signed.pk)) is False

    def test_only_the_head_signs_and_only_once(self, personas):
        request = factories.submitted(personas)
        part = accept(personas, request)
        with pytest.raises(PermissionDeniedError):
            services.letter_sign(actor=personas.cs_liaison.user, request_id=request.pk, part_id=part.pk)
        services.letter_sign(actor=personas.cs_head.user, request_id=request.pk, part_id=part.pk)
        with pytest.raises(TransitionError):
            services.letter_sign(actor=personas.cs_head.user, request_id=request.pk, part_id=part.pk)


class TestPages:
    def test_the_initiator_sees_the_letter_and_its_versions(self, client_for, personas):
        request = factories.submitted(personas)
        part = accept(personas, request, **LETTER)
        client = client_for(personas.mkt_staff)

        detail = client.get(reverse("collaboration:detail", args=[request.pk])).content.decode()
        assert letter_url(request, part) in detail and "资源确认函 第1版" in detail
        page = client.get(letter_url(request, part)).content.decode()
        for expected in (
            "部门资源确认函",
            "赵磊、李娜",
            "50000.00 元",
            "接口方案确认",
            "年底客服人手紧张",
            "待签字",
        ):
            assert expected in page

    def test_an_earlier_version_stays_viewable(self, client_for, personas):
        request = factories.submitted(personas)
        part = accept(personas, request, **LETTER)
        services.letter_revise(
            actor=personas.cs_liaison.user,
            request_id=request.pk,
            part_id=part.pk,
            liaison_id=personas.cs_liaison.pk,
            change_reason="人手减为一人",
            **(LETTER | {"people_names": "赵磊", "people_count": 1}),
        )
        client = client_for(personas.mkt_staff)
        old = client.get(letter_url(request, part) + "?version=1").content.decode()
        new = client.get(letter_url(request, part)).content.decode()
        assert "赵磊、李娜" in old and "较早的版本" in old
        assert "人手减为一人" in new and "赵磊、李娜" not in new
        assert client.get(letter_url(request, part) + "?version=9").status_code == 404

    def test_someone_who_may_not_see_the_request_gets_a_404(self, client_for, personas):
        request = factories.submitted(personas)
        part = accept(personas, request)
        assert client_for(personas.outsider).get(letter_url(request, part)).status_code == 404

    def test_the_head_signs_from_the_request_page(self, client_for, personas):
        request = factories.submitted(personas)
        part = accept(personas, request)
        client = client_for(personas.cs_head)
        assert (
            "签署资源确认函"
            in client.get(reverse("collaboration:detail", args=[request.pk])).content.decode()
        )
        response = client.post(
            reverse("collaboration:part_action", args=[request.pk, part.pk, "sign_letter"])
        )
        assert response.status_code == 302
        assert ResourceLetter.objects.get(part=part).head == personas.cs_head

    def test_the_accept_form_takes_the_letter_and_keeps_what_was_typed_after_an_error(
        self, client_for, personas
    ):
        request = factories.submitted(personas)
        part = request.parts.get(department=personas.cs)
        url = reverse("collaboration:part_action", args=[request.pk, part.pk, "accept"])
        body = {
            "liaison": personas.cs_liaison.pk,
            "committed_at": (timezone.localtime() + timedelta(days=5)).strftime("%Y-%m-%dT%H:%M"),
            **LETTER,
        }
        client = client_for(personas.cs_liaison)
        refused = client.post(url, body | {"budget": "很多"})
        assert refused.status_code == 400 and "测试服务器两台" in refused.content.decode()
        assert client.post(url, body).status_code == 302
        assert ResourceLetter.objects.get(part=part).budget == Decimal("50000.00")

    def test_the_pdf_is_the_letter_in_chinese(self, client_for, personas):
        request = factories.submitted(personas)
        part = accept(personas, request, **LETTER)
        services.letter_sign(actor=personas.cs_head.user, request_id=request.pk, part_id=part.pk)
        response = client_for(personas.mkt_staff).get(letter_url(request, part, "collaboration:letter_pdf"))
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        text = pdf_text(response.content)
        for expected in ("部门资源确认函", request.number, "承接任务", "赵磊、李娜", "联调完成", "刘洋"):
            assert expected in text


class TestApi:
    URL = "/api/v1/requests/"

    def test_accept_with_the_letter_then_list_change_and_sign_it(self, client_for, personas):
        request = factories.submitted(personas)
        part = request.parts.get(department=personas.cs)
        base = f"{self.URL}{request.pk}/parts/{part.pk}/"
        client = client_for(personas.cs_liaison)
        body = {
            "liaison_id": personas.cs_liaison.pk,
            "committed_at": (timezone.now() + timedelta(days=5)).isoformat(),
            "people_names": "赵磊",
            "people_count": 1,
            "budget": "20000",
            "milestones": [{"date": "2026-12-10", "title": "接口方案确认"}],
        }
        assert (
            client.post(base + "accept", json.dumps(body), content_type="application/json").status_code == 200
        )
        state = client.get(f"{self.URL}{request.pk}").json()
        cs = next(p for p in state["parts"] if p["id"] == part.pk)
        assert (cs["letter_version"], cs["letter_signed"]) == (1, False)
        assert "revise_letter" in cs["actions"]

        revised = client.post(
            base + "letter",
            json.dumps(
                {"liaison_id": personas.cs_liaison.pk, "change_reason": "预算追加", "budget": "30000"}
            ),
            content_type="application/json",
        )
        assert revised.status_code == 201 and revised.json()["version"] == 2

        head = client_for(personas.cs_head)
        signed = head.post(base + "letter/sign")
        assert signed.status_code == 200 and signed.json()["head"]["id"] == personas.cs_head.pk

        listed = client_for(personas.mkt_staff).get(base + "letters")
        assert [x["version"] for x in listed.json()] == [2, 1]
        assert listed.json()[1]["budget"] == "20000.00"
        assert client_for(personas.mkt_staff).get(base + "letters/1/pdf").status_code == 200

    def test_bad_input_is_a_400_naming_the_field(self, client_for, personas):
        request = factories.submitted(personas)
        part = accept(personas, request)
        response = client_for(personas.cs_liaison).post(
            f"{self.URL}{request.pk}/parts/{part.pk}/letter",
            json.dumps(
                {
                    "liaison_id": personas.cs_liaison.pk,
                    "change_reason": "x",
                    "resources_from": "2026-12-09",
                    "resources_to": "2026-12-01",
                }
            ),
            content_type="application/json",
        )
        assert response.status_code == 400 and response.json()["field"] == "resources_to"
        assert ResourceLetter.objects.count() == 1

    def test_the_wrong_person_gets_403_and_an_outsider_404(self, client_for, personas):
        request = factories.submitted(personas)
        part = accept(personas, request)
        url = f"{self.URL}{request.pk}/parts/{part.pk}/letter/sign"
        assert client_for(personas.cs_liaison).post(url).status_code == 403
        assert client_for(personas.outsider).post(url).status_code == 404
        assert (
            client_for(personas.outsider).get(f"{self.URL}{request.pk}/parts/{part.pk}/letters").status_code
            == 404
        )

    def test_the_versions_list_costs_the_same_for_one_version_or_five(self, client_for, personas):
        request = factories.submitted(personas)
        part = accept(personas, request)
        client = client_for(personas.mkt_staff)
        url = f"{self.URL}{request.pk}/parts/{part.pk}/letters"

        def count():
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            return len(ctx.captured_queries)

        one = count()
        for n in range(4):
            services.letter_revise(
                actor=personas.cs_liaison.user,
                request_id=request.pk,
                part_id=part.pk,
                liaison_id=personas.cs_liaison.pk,
                change_reason=f"第{n + 2}版",
            )
        assert count() == one
