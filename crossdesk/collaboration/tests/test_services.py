from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from crossdesk.collaboration import services
from crossdesk.collaboration.choices import EntryKind, PartStatus, RequestStatus
from crossdesk.collaboration.models import Request, TimelineEntry
from crossdesk.core.errors import (
    ApplicationError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    TransitionError,
)
from crossdesk.deadlines.choices import ClockState
from crossdesk.deadlines.models import Clock
from crossdesk.notify.models import Notification

from . import factories

pytestmark = pytest.mark.django_db


def part_of(request, department):
    return request.parts.get(department=department)


def live_clock_keys(request):
    return sorted(
        Clock.objects.filter(
            subject_id=request.pk, state__in=[ClockState.RUNNING, ClockState.PAUSED, ClockState.BREACHED]
        ).values_list("policy__key", flat=True)
    )


def transitions(request):
    return list(
        TimelineEntry.objects.filter(request=request, kind=EntryKind.TRANSITION, part=None).values_list(
            "from_status", "to_status"
        )
    )


class TestSubmitting:
    def test_it_numbers_submitted_requests_gap_free_per_year(self, personas):
        first = factories.submitted(personas)
        second = factories.submitted(personas)
        year = timezone.localtime().year
        assert (first.number, second.number) == (f"XMB-{year}-001", f"XMB-{year}-002")

    def test_a_draft_has_no_number_and_a_failed_submission_uses_none(self, personas):
        draft = factories.draft(personas, title="")
        with pytest.raises(ApplicationError) as error:
            services.request_submit(actor=personas.mkt_staff.user, request_id=draft.pk)
        assert error.value.field == "title"
        assert factories.submitted(personas).number.endswith("-001")

    def test_it_tells_the_receiving_liaison_and_copies_the_initiators_head(self, personas):
        request = factories.submitted(personas)
        assert Notification.objects.filter(recipient=personas.cs_liaison, level="action").count() == 1
        assert Notification.objects.filter(recipient=personas.mkt_head).exists()
        assert not Notification.objects.filter(recipient=personas.mkt_staff).exists()  # not the actor
        assert request.status == RequestStatus.SUBMITTED

    def test_it_starts_the_response_liaison_and_first_contact_clocks(self, personas):
        request = factories.submitted(personas)
        assert live_clock_keys(request) == [
            "request.first_contact",
            "request.name_liaison",
            "request.respond",
        ]

    @pytest.mark.parametrize(
        ("field", "value"),
        [
            ("background", ""),
            ("expected_outcome", "  "),
            ("receiving_departments", []),
            ("expected_completion_at", None),
        ],
    )
    def test_it_refuses_an_incomplete_request_naming_the_field(self, personas, field, value):
        draft = factories.draft(personas, **{field: value})
        with pytest.raises(ApplicationError) as error:
            services.request_submit(actor=personas.mkt_staff.user, request_id=draft.pk)
        assert error.value.field == field
        assert Request.objects.get(pk=draft.pk).status == RequestStatus.DRAFT

    def test_only_the_initiator_submits(self, personas):
        draft = factories.draft(personas)
        # Someone else's draft is not theirs to see: "not found" before any rule (issue 16 §1).
        # Drafts are their author's alone, the head's included (no list shows them).
        for someone_else in (personas.cs_liaison, personas.mkt_head):
            with pytest.raises(NotFoundError):
                services.request_submit(actor=someone_else.user, request_id=draft.pk)

    def test_a_draft_edit_based_on_an_old_copy_is_refused(self, personas):
        draft = factories.draft(personas)
        services.request_update_draft(
            actor=personas.mkt_staff.user, request_id=draft.pk, data={"title": "一"}, version=1
        )
        with pytest.raises(ConflictError):
            services.request_update_draft(
                actor=personas.mkt_staff.user, request_id=draft.pk, data={"title": "二"}, version=1
            )
        assert Request.objects.get(pk=draft.pk).title == "一"


class TestResponding:
    def test_the_liaison_accepts_naming_a_liaison_and_a_date(self, personas):
        request = factories.accepted(personas)
        part = part_of(request, personas.cs)
        assert part.status == PartStatus.ACCEPTED and part.liaison == personas.cs_liaison
        assert request.status == RequestStatus.IN_PROGRESS
        assert "request.respond" not in live_clock_keys(request)
        assert "request.resolve" in live_clock_keys(request)
        assert (RequestStatus.SUBMITTED, RequestStatus.IN_PROGRESS) in transitions(request)

    def test_declining_needs_a_reason_and_an_alternative(self, personas):
        request = factories.submitted(personas)
        part = part_of(request, personas.cs)
        with pytest.raises(ApplicationError) as error:
            services.part_decline(
                actor=personas.cs_liaison.user,
                request_id=request.pk,
                part_id=part.pk,
                reason="人手不足",
                alternative="",
            )
        assert error.value.field == "alternative"
        services.part_decline(
            actor=personas.cs_liaison.user,
            request_id=request.pk,
            part_id=part.pk,
            reason="人手不足",
            alternative="建议下周一由外包团队处理",
        )
        assert Request.objects.get(pk=request.pk).status == RequestStatus.DECLINED

    def test_someone_outside_the_receiving_department_cannot_accept(self, personas):
        request = factories.submitted(personas)
        part = part_of(request, personas.cs)
        # The outsider may not see the request at all: 404 before any rule (issue 16 §1).
        for outsider, refusal in (
            (personas.outsider, NotFoundError),
            (personas.mkt_staff, PermissionDeniedError),
            (personas.cs_staff, PermissionDeniedError),
        ):
            with pytest.raises(refusal):
                services.part_accept(
                    actor=outsider.user,
                    request_id=request.pk,
                    part_id=part.pk,
                    liaison_id=personas.cs_liaison.pk,
                    committed_at=timezone.now() + timedelta(days=3),
                )
        assert part_of(request, personas.cs).status == PartStatus.PENDING

    def test_accepting_twice_is_a_conflict_that_says_why(self, personas):
        request = factories.accepted(personas)
        part = part_of(request, personas.cs)
        with pytest.raises(TransitionError) as error:
            services.part_accept(
                actor=personas.cs_head.user,
                request_id=request.pk,
                part_id=part.pk,
                liaison_id=personas.cs_liaison.pk,
                committed_at=timezone.now() + timedelta(days=3),
            )
        assert "客户服务部" in error.value.message

    def test_the_liaison_must_belong_to_the_receiving_department(self, personas):
        request = factories.submitted(personas)
        with pytest.raises(ApplicationError) as error:
            services.part_accept(
                actor=personas.cs_head.user,
                request_id=request.pk,
                part_id=part_of(request, personas.cs).pk,
                liaison_id=personas.outsider.pk,
                committed_at=timezone.now() + timedelta(days=3),
            )
        assert error.value.field == "liaison"

    def test_waiting_on_the_initiator_pauses_the_departments_clocks(self, personas):
        request = factories.submitted(personas)
        part = part_of(request, personas.cs)
        services.part_request_info(
            actor=personas.cs_liaison.user, request_id=request.pk, part_id=part.pk, question="请提供订单号"
        )
        paused = Clock.objects.filter(subject_id=request.pk, scope=part.clock_scope, state=ClockState.PAUSED)
        assert paused.count() == 2
        services.part_provide_info(
            actor=personas.mkt_staff.user, request_id=request.pk, part_id=part.pk, answer="SO-2026-1123"
        )
        assert part_of(request, personas.cs).status == PartStatus.PENDING
        assert not Clock.objects.filter(subject_id=request.pk, state=ClockState.PAUSED).exists()


class TestClosing:
    def test_a_request_is_resolved_when_every_receiving_part_is_resolved_or_declined(self, personas):
        request = factories.accepted(personas, receiving_departments=[personas.cs.pk, personas.log.pk])
        log_part = part_of(request, personas.log)
        services.part_decline(
            actor=personas.log_head.user,
            request_id=request.pk,
            part_id=log_part.pk,
            reason="不涉及物流",
            alternative="请联系客服",
        )
        assert Request.objects.get(pk=request.pk).status == RequestStatus.IN_PROGRESS
        services.part_resolve(
            actor=personas.cs_liaison.user,
            request_id=request.pk,
            part_id=part_of(request, personas.cs).pk,
            resolution="已处理",
            responsible_id=personas.cs_staff.pk,
        )
        request = Request.objects.get(pk=request.pk)
        assert request.status == RequestStatus.RESOLVED
        assert live_clock_keys(request) == []

    def test_the_initiator_confirms_with_a_rating_from_1_to_5(self, personas):
        request = factories.resolved(personas)
        with pytest.raises(ApplicationError) as error:
            services.request_confirm(actor=personas.mkt_staff.user, request_id=request.pk, satisfaction=6)
        assert error.value.field == "satisfaction"
        services.request_confirm(actor=personas.mkt_staff.user, request_id=request.pk, satisfaction=4)
        assert Request.objects.get(pk=request.pk).status == RequestStatus.CONFIRMED

    def test_the_initiator_may_reopen_instead(self, personas):
        request = factories.resolved(personas)
        services.request_reopen(actor=personas.mkt_staff.user, request_id=request.pk, reason="客户仍未收到货")
        request = Request.objects.get(pk=request.pk)
        assert request.status == RequestStatus.IN_PROGRESS
        assert part_of(request, personas.cs).status == PartStatus.ACCEPTED
        assert "request.resolve" in live_clock_keys(request)

    def test_every_head_signs_then_it_is_signed_and_can_be_archived(self, personas):
        request = factories.signed(personas)
        assert request.status == RequestStatus.SIGNED
        assert part_of(request, personas.cs).head_signature
        services.request_archive(actor=personas.mkt_staff.user, request_id=request.pk)
        request = Request.objects.get(pk=request.pk)
        assert request.status == RequestStatus.ARCHIVED
        assert request.retain_until.year == timezone.localdate().year + 2

    def test_a_head_signs_only_for_their_own_department(self, personas):
        request = factories.confirmed(personas)
        with pytest.raises(PermissionDeniedError):
            services.part_sign(
                actor=personas.log_head.user, request_id=request.pk, part_id=part_of(request, personas.cs).pk
            )

    def test_an_archived_request_is_read_only(self, personas):
        request = factories.signed(personas)
        services.request_archive(actor=personas.mkt_staff.user, request_id=request.pk)
        with pytest.raises(TransitionError):
            services.request_log(actor=personas.mkt_staff.user, request_id=request.pk, content="补充说明")

    def test_cancelling_needs_a_reason_and_stops_every_clock(self, personas):
        request = factories.accepted(personas)
        with pytest.raises(ApplicationError):
            services.request_cancel(actor=personas.mkt_staff.user, request_id=request.pk, reason="")
        services.request_cancel(actor=personas.mkt_staff.user, request_id=request.pk, reason="客户已撤回投诉")
        assert live_clock_keys(request) == []

    def test_a_resolved_request_can_no_longer_be_cancelled(self, personas):
        request = factories.resolved(personas)
        with pytest.raises(TransitionError):
            services.request_cancel(actor=personas.mkt_staff.user, request_id=request.pk, reason="不需要了")


class TestCommunicationLog:
    def test_a_log_entry_tells_everyone_involved(self, personas):
        request = factories.accepted(personas)
        Notification.objects.all().delete()
        services.request_log(
            actor=personas.mkt_staff.user,
            request_id=request.pk,
            content="已电话确认需求",
            participants="市场部 张伟；客服部 李娜",
        )
        recipients = set(Notification.objects.values_list("recipient_id", flat=True))
        assert personas.cs_liaison.pk in recipients and personas.mkt_staff.pk not in recipients

    def test_the_first_confirmation_call_stops_its_clock(self, personas):
        request = factories.submitted(personas)
        services.request_log(
            actor=personas.mkt_staff.user, request_id=request.pk, content="电话确认", is_first_contact=True
        )
        assert "request.first_contact" not in live_clock_keys(request)

    def test_entries_are_corrected_by_new_entries_never_edited(self, personas):
        request = factories.submitted(personas)
        entry = services.request_log(
            actor=personas.mkt_staff.user, request_id=request.pk, content="交货日期为10月8日"
        )
        correction = services.request_log(
            actor=personas.mkt_staff.user,
            request_id=request.pk,
            content="更正：交货日期为10月9日",
            corrects_id=entry.pk,
        )
        assert correction.kind == EntryKind.CORRECTION and correction.corrects == entry
        entry.content = "篡改"
        with pytest.raises(ValueError):
            entry.save()
        with pytest.raises(ValueError):
            entry.delete()

    def test_an_outsider_cannot_write_in_the_log(self, personas):
        request = factories.submitted(personas)
        # Not theirs to see: "not found", so the write does not reveal the request (issue 16 §1).
        with pytest.raises(NotFoundError):
            services.request_log(actor=personas.outsider.user, request_id=request.pk, content="路过")


class TestAttachments:
    def test_it_stores_an_allowed_file_outside_the_web_root(self, personas, settings):
        request = factories.submitted(personas)
        upload = SimpleUploadedFile("截图.png", b"\x89PNG fake", content_type="image/png")
        attachment = services.attachment_add(
            actor=personas.mkt_staff.user, request_id=request.pk, upload=upload
        )
        assert attachment.name == "截图.png"
        assert attachment.file.path.startswith(str(settings.MEDIA_ROOT))
        assert "截图" not in attachment.file.name  # stored under a random name

    def test_it_refuses_a_forbidden_type_naming_the_field(self, personas):
        request = factories.submitted(personas)
        upload = SimpleUploadedFile("run.exe", b"MZ", content_type="application/octet-stream")
        with pytest.raises(ApplicationError) as error:
            services.attachment_add(actor=personas.mkt_staff.user, request_id=request.pk, upload=upload)
        assert error.value.field == "file"


class TestSignatures:
    def test_a_change_after_signing_is_noticed(self, personas):
        from crossdesk.collaboration.selectors import request_page
        from crossdesk.org.selectors import roles_for

        request = factories.signed(personas)
        page = request_page(roles=roles_for(personas.cs_head.user), pk=request.pk)
        assert page.broken_signatures == []
        # Someone edits the resolution behind the services' back (e.g. in the database).
        part_of(request, personas.cs).__class__.objects.filter(request=request).update(
            resolution="改过的处理结果"
        )
        page = request_page(roles=roles_for(personas.cs_head.user), pk=request.pk)
        assert sorted(page.broken_signatures) == ["客户服务部", "市场部"]


def test_a_signature_does_not_depend_on_the_time_zone_a_moment_was_written_in(personas):
    """A completion time typed in Asia/Shanghai is read back from the database in UTC."""
    from zoneinfo import ZoneInfo

    from crossdesk.collaboration.selectors import request_page
    from crossdesk.org.selectors import roles_for

    request = factories.accepted(personas)
    part = part_of(request, personas.cs)
    local_completion = timezone.now().astimezone(ZoneInfo("Asia/Shanghai")) - timedelta(hours=1)
    services.part_resolve(
        actor=personas.cs_liaison.user,
        request_id=request.pk,
        part_id=part.pk,
        resolution="已处理",
        responsible_id=personas.cs_staff.pk,
        completed_at=local_completion,
    )
    services.request_confirm(actor=personas.mkt_staff.user, request_id=request.pk, satisfaction=5)
    services.part_sign(actor=personas.cs_head.user, request_id=request.pk, part_id=part.pk)
    services.request_sign_initiator(actor=personas.mkt_head.user, request_id=request.pk)
    assert request_page(roles=roles_for(personas.cs_head.user), pk=request.pk).broken_signatures == []


class TestSubmittingCost:
    """Submitting is the hot write path (target < 20 ms at a million requests): its query
    count must not grow with the number of receiving departments or clocks."""

    def _queries_to_submit(self, personas, receiving):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        draft = factories.draft(personas, receiving_departments=receiving, informed_departments=[])
        with CaptureQueriesContext(connection) as context:
            services.request_submit(actor=personas.mkt_staff.user, request_id=draft.pk)
        return len(context.captured_queries)

    def test_one_or_three_receiving_departments_cost_the_same_queries(self, personas):
        factories.submitted(personas)  # the year's number row exists for both submissions below
        one = self._queries_to_submit(personas, [personas.cs.pk])
        three = self._queries_to_submit(personas, [personas.cs.pk, personas.log.pk, personas.fin.pk])
        assert one == three
        request = Request.objects.order_by("-pk").first()
        # Two clocks per receiving department and the first-contact clock, each with its started event.
        assert len(live_clock_keys(request)) == 7
        assert request.next_due_at == min(
            Clock.objects.filter(subject_id=request.pk, policy__key__startswith="request.").values_list(
                "due_at", flat=True
            )
        )
