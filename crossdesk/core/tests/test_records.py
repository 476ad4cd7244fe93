"""The record layer (core/records): machine, locks and versions, signatures, input parsers,
rule tables, the system actor and the archive guards."""

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction
from django.utils import timezone, translation

from crossdesk.collaboration.choices import RequestStatus
from crossdesk.collaboration.models import Request, RequestPart, TimelineEntry
from crossdesk.core.errors import (
    ApplicationError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    TransitionError,
)
from crossdesk.core.records import (
    SYSTEM,
    ArchiveError,
    Machine,
    Rule,
    RuleTable,
    bump,
    check_version,
    inputs,
    locked,
    plain,
    sign,
    verify,
)
from crossdesk.core.records.signing import broken
from crossdesk.meetings.models import ActionItem, Meeting

pytestmark = pytest.mark.django_db

SH = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def record(personas):
    """A bare draft request: the layer needs a record, not the request services."""
    return Request.objects.create(
        title="记录层", initiating_department=personas.mkt, initiator=personas.mkt_staff
    )


# --- Machine ----------------------------------------------------------------------------

MACHINE = Machine(
    {RequestStatus.DRAFT: {RequestStatus.SUBMITTED}, RequestStatus.SUBMITTED: set()},
    RequestStatus,
    history="collaboration.TimelineEntry",
    refusal="“%(old)s” may not become “%(new)s”.",
)


def test_an_allowed_move_sets_the_status_and_writes_its_history_row(record, personas):
    old = MACHINE.move(record, RequestStatus.SUBMITTED, actor=personas.mkt_staff.user, reason="ready")
    assert (old, record.status) == (RequestStatus.DRAFT, RequestStatus.SUBMITTED)
    row = TimelineEntry.objects.get(request=record)
    assert (row.kind, row.from_status, row.to_status, row.content) == (
        "transition",
        "draft",
        "submitted",
        "ready",
    )
    assert row.author == personas.mkt_staff


def test_a_refused_move_says_why_with_the_labels_and_writes_nothing(record):
    with translation.override("en"), pytest.raises(TransitionError) as refused:
        MACHINE.move(record, "signed")
    assert refused.value.message == "“Draft” may not become “Signed”."
    assert refused.value.status_code == 409
    assert record.status == RequestStatus.DRAFT
    assert not TimelineEntry.objects.filter(request=record).exists()
    assert MACHINE.can("draft", "submitted") and not MACHINE.can("submitted", "draft")


def test_a_move_without_history_writes_no_row(record):
    MACHINE.move(record, RequestStatus.SUBMITTED, history=False)
    assert not TimelineEntry.objects.filter(request=record).exists()


# --- locked, check_version, bump --------------------------------------------------------


@pytest.mark.parametrize("pk", [999_999, "abc", None, 2**70])
def test_locked_answers_404_for_a_missing_or_bad_id(pk):
    with pytest.raises(NotFoundError) as missing:
        locked(Request, pk, not_found="没有这个请求。")
    assert missing.value.message == "没有这个请求。" and missing.value.status_code == 404


def test_locked_refuses_a_stale_version_with_409_and_takes_the_current_one(record):
    with pytest.raises(ConflictError) as stale:
        locked(Request, record.pk, version=record.version + 1)
    assert stale.value.status_code == 409 and stale.value.field == "version"
    with pytest.raises(ConflictError):
        check_version(record, "not a number")
    assert locked(Request.objects.filter(title="记录层"), record.pk, version=str(record.version)) == record
    assert locked(Request, record.pk, related=["initiator"]).initiator.name == record.initiator.name


def test_bump_saves_only_the_named_fields_and_grows_the_version(record):
    before = Request.objects.values_list("updated_at", flat=True).get(pk=record.pk)
    record.status = RequestStatus.SUBMITTED
    record.title = "not saved"
    bump(record, "status")
    saved = Request.objects.get(pk=record.pk)
    assert (saved.status, saved.title, saved.version) == (RequestStatus.SUBMITTED, "记录层", 2)
    assert saved.updated_at >= before


# --- signatures -------------------------------------------------------------------------

CONTENT = {
    "decision": "accepted",
    "at": datetime(2026, 10, 9, 17, 0, tzinfo=SH),
    "amount": Decimal("12.50"),
    "attachments": [{"name": "报价.pdf", "size": 1024, "sha256": "ab" * 32}],
    "log": [[7, "已电话确认"]],
}


def test_a_signature_verifies_and_any_changed_field_breaks_it():
    digest = sign("collaboration.request", CONTENT)
    assert verify("collaboration.request", CONTENT, digest)
    for name, value in [("decision", "declined"), ("amount", Decimal("12.51")), ("log", [[7, "改过"]])]:
        assert not verify("collaboration.request", {**CONTENT, name: value}, digest)
    assert not verify("collaboration.request", CONTENT, "")
    # The same moment in another time zone is the same content.
    same_moment = {**CONTENT, "at": CONTENT["at"].astimezone(UTC)}
    assert verify("collaboration.request", same_moment, digest)


def test_a_digest_of_one_kind_does_not_verify_as_another():
    digest = sign("meetings.minutes", CONTENT)
    assert not verify("projects.change", CONTENT, digest)
    checks = [
        ("minutes", "meetings.minutes", CONTENT, digest),
        ("change", "projects.change", CONTENT, digest),
    ]
    assert broken(checks) == ["change"]


def test_a_rotated_secret_key_still_verifies_through_the_fallbacks(settings):
    settings.SECRET_KEY = "old-secret-" + "x" * 40
    digest = sign("collaboration.request", CONTENT)
    settings.SECRET_KEY = "new-secret-" + "y" * 40
    settings.SECRET_KEY_FALLBACKS = ["old-secret-" + "x" * 40]
    assert verify("collaboration.request", CONTENT, digest)
    settings.SECRET_KEY_FALLBACKS = []
    assert not verify("collaboration.request", CONTENT, digest)


# --- input parsers ----------------------------------------------------------------------


def field_of(call) -> str:
    with pytest.raises(ApplicationError) as refused:
        call()
    assert refused.value.status_code == 400
    return refused.value.field


def test_each_parser_names_the_field_it_refuses():
    assert field_of(lambda: inputs.text("", "title", 10, required=True)) == "title"
    assert field_of(lambda: inputs.text("x" * 11, "title", 10)) == "title"
    assert field_of(lambda: inputs.required_text("  ", "reason", "Say why.")) == "reason"
    assert field_of(lambda: inputs.a_date("12/10/2026", "day")) == "day"
    assert field_of(lambda: inputs.a_date("", "day", required=True)) == "day"
    assert field_of(lambda: inputs.a_moment("tomorrow", "due_at")) == "due_at"
    assert field_of(lambda: inputs.a_moment(None, "due_at", required=True)) == "due_at"
    assert field_of(lambda: inputs.a_decimal("many", "budget")) == "budget"
    assert field_of(lambda: inputs.a_decimal("Infinity", "budget")) == "budget"
    assert field_of(lambda: inputs.a_decimal("1e13", "budget")) == "budget"
    assert field_of(lambda: inputs.an_int("1.5", "weight")) == "weight"
    assert field_of(lambda: inputs.an_int("11", "weight", minimum=1, maximum=10)) == "weight"
    assert field_of(lambda: inputs.a_choice("purple", "urgency", RequestStatus)) == "urgency"
    assert field_of(lambda: inputs.an_id("-3", "liaison_id")) == "liaison_id"
    assert field_of(lambda: inputs.an_id(str(2**63), "liaison_id")) == "liaison_id"
    assert field_of(lambda: inputs.an_id("seven", "liaison_id")) == "liaison_id"


def test_parsers_return_values_and_nothing_for_empty_input(record):
    assert inputs.text("  抄送  ", "title", 10) == "抄送"
    assert inputs.a_date("2026-10-12", "day") == date(2026, 10, 12)
    assert inputs.a_decimal("12.345", "budget") == Decimal("12.34")
    assert inputs.an_int(" 7 ", "weight") == 7
    assert inputs.a_bool("on") and not inputs.a_bool("off")
    assert inputs.a_choice("", "status", RequestStatus, default="draft") == "draft"
    assert inputs.an_id(record, "request") == record.pk
    assert [inputs.a_date("", "d"), inputs.a_moment("  ", "m"), inputs.an_int(None, "n")] == [None] * 3


def test_a_date_alone_means_18_00_local_time_everywhere():
    assert inputs.a_moment("2026-10-12", "due_at") == datetime(2026, 10, 12, 18, 0, tzinfo=SH)
    assert inputs.a_moment(date(2026, 10, 12), "due_at") == datetime(2026, 10, 12, 18, 0, tzinfo=SH)
    assert inputs.a_moment("2026-10-12", "due_at", end_of_day=time(9, 0)).hour == 9


def test_moments_naive_mean_local_time_aware_stay_and_before_1900_are_refused():
    assert inputs.a_moment("2026-10-12T09:30", "at") == datetime(2026, 10, 12, 9, 30, tzinfo=SH)
    aware = datetime(2026, 10, 12, 1, 30, tzinfo=UTC)
    assert inputs.a_moment(aware, "at") == aware
    assert inputs.a_moment("2026-10-12T01:30+00:00", "at") == aware
    assert inputs.a_moment("1970-01-01T08:00", "at") == datetime(1970, 1, 1, tzinfo=UTC)
    assert field_of(lambda: inputs.a_moment("1899-12-31T12:00", "at")) == "at"
    assert inputs.a_date(datetime(2026, 10, 12, 17, 0, tzinfo=UTC), "day") == date(2026, 10, 13)


def test_plain_turns_values_into_what_history_data_stores(record):
    moment = datetime(2026, 10, 12, 1, 30, tzinfo=UTC)
    assert plain(moment) == "2026-10-12T09:30:00+08:00"
    assert plain([date(2026, 10, 12), Decimal("1.50"), record, None]) == [
        "2026-10-12",
        "1.50",
        record.pk,
        None,
    ]


# --- rule tables ------------------------------------------------------------------------

TABLE = RuleTable(
    [
        Rule("edit", who=lambda c: c.is_owner, statuses=["draft"], label="Edit", wrong_person="Not yours."),
        Rule(
            "remind",
            who=lambda c: True,
            when=lambda c: c.overdue,
            wrong_moment="Not overdue yet.",
        ),
    ]
)


def ctx(status="draft", *, is_owner=True, overdue=False):
    return SimpleNamespace(record=SimpleNamespace(status=status), is_owner=is_owner, overdue=overdue)


def test_the_wrong_person_gets_403_and_the_wrong_moment_409():
    with pytest.raises(PermissionDeniedError, match="Not yours.") as wrong_person:
        TABLE.require(ctx(is_owner=False), "edit")
    assert wrong_person.value.status_code == 403
    with pytest.raises(TransitionError) as wrong_moment:
        TABLE.require(ctx("submitted"), "edit")
    assert wrong_moment.value.status_code == 409
    with pytest.raises(TransitionError, match="Not overdue yet."):
        TABLE.require(ctx(), "remind")
    TABLE.require(ctx(), "edit")


def test_allowed_lists_what_the_person_may_do_now():
    assert TABLE.allowed(ctx(overdue=True)) == {"edit", "remind"}
    assert TABLE.allowed(ctx("submitted", overdue=True)) == {"remind"}
    assert TABLE.allowed(ctx(is_owner=False), ["edit"]) == set()
    assert TABLE.may(ctx(), "edit") and not TABLE.may(ctx(), "remind")
    assert TABLE.labels() == {"edit": "Edit", "remind": "remind"}
    assert "edit" in TABLE and "delete" not in TABLE


def test_a_table_names_the_state_when_it_has_a_moment_message_and_refuses_duplicates():
    table = RuleTable(
        TABLE.rules.values(), moment_message=lambda c, rule: f"{rule.action} in {c.record.status}"
    )
    with pytest.raises(TransitionError, match="edit in signed"):
        table.require(ctx("signed"), "edit")
    with pytest.raises(ValueError, match="Two rules"):
        RuleTable([Rule("a", who=bool), Rule("a", who=bool)])
    with pytest.raises(KeyError):
        table.require(ctx(), "delete")


# --- the system actor -------------------------------------------------------------------


def test_the_system_actor_says_for_what_it_acts():
    with translation.override("zh-hans"):
        assert str(SYSTEM.for_reason("沟通计划")) == "系统（沟通计划）"
    with translation.override("en"):
        assert str(SYSTEM.for_reason("communication plan")) == "System (communication plan)"
    assert SYSTEM.is_system and not SYSTEM.is_authenticated


def test_history_written_by_the_system_names_it_and_no_person(record):
    with translation.override("zh-hans"):
        row = TimelineEntry.add(record, "log", actor=SYSTEM.for_reason("沟通计划"), content="自动提醒")
    assert row.author is None and row.actor_label == "系统（沟通计划）"
    assert row.who == "系统（沟通计划）"


# --- archive guards ---------------------------------------------------------------------


def archive(record, *, kept_for=timedelta(days=730)) -> Request:
    Request.objects.filter(pk=record.pk).update(
        archived_at=timezone.now(), retain_until=timezone.localdate() + kept_for, status="archived"
    )
    return Request.objects.get(pk=record.pk)


def test_an_archived_record_refuses_saves_and_bulk_updates_except_its_writable_fields(record):
    archived = archive(record)
    archived.title = "改过"
    with pytest.raises(ArchiveError):
        archived.save()
    with pytest.raises(ArchiveError):
        Request.objects.filter(pk=record.pk).update(title="改过")
    Request.objects.filter(pk=record.pk).update(is_overdue=True)
    archived.save(update_fields=["next_due_at"])
    assert Request.objects.get(pk=record.pk).title == "记录层"


def refused(call) -> str:
    """The guard's refusal (in a savepoint: a refused delete breaks its transaction)."""
    with pytest.raises(ArchiveError) as refusal, transaction.atomic():
        call()
    return str(refusal.value)


def test_an_archived_record_and_its_parts_cannot_be_deleted_before_retain_until(record, personas):
    part = RequestPart.objects.create(request=record, department=personas.cs)
    archived = archive(record)
    until = archived.retain_until.isoformat()
    assert until in refused(archived.delete)
    assert until in refused(Request.objects.filter(pk=record.pk).delete)
    refused(RequestPart.objects.filter(pk=part.pk).delete)
    refused(RequestPart.objects.get(pk=part.pk).delete)
    refused(lambda: RequestPart.objects.filter(pk=part.pk).update(resolution="改过"))
    assert RequestPart.objects.filter(pk=part.pk).exists()


def test_after_retain_until_an_archived_record_may_go(record):
    archive(record, kept_for=timedelta(days=-1))
    Request.objects.filter(pk=record.pk).delete()
    assert not Request.objects.filter(pk=record.pk).exists()


def test_a_row_with_several_possible_owners_is_guarded_by_the_one_it_has(record, personas):
    """An action item belongs to a meeting or to a request (``archive_owner`` names both)."""
    meeting = Meeting.objects.create(
        title="协调会", initiating_department=personas.mkt, initiator=personas.mkt_staff
    )
    on_request, on_meeting = (
        ActionItem.objects.create(action="回访客户", created_by=personas.mkt_staff, **owner)
        for owner in ({"request": record}, {"meeting": meeting})
    )
    assert on_request.archive_record() == record and on_meeting.archive_record() == meeting
    until = archive(record).retain_until.isoformat()
    refused(lambda: ActionItem.objects.filter(pk=on_request.pk).update(result="改过"))
    assert until in refused(ActionItem.objects.filter(request=record).delete)
    assert until in refused(ActionItem.objects.get(pk=on_request.pk).delete)
    on_request.result = "改过"
    refused(on_request.save)
    # The meeting's item is not archived: the other owner's archive does not reach it.
    ActionItem.objects.filter(pk__in=[on_request.pk, on_meeting.pk], meeting=meeting).update(result="可改")
    ActionItem.objects.filter(pk=on_meeting.pk).delete()
    assert list(ActionItem.objects.values_list("pk", flat=True)) == [on_request.pk]


def test_after_retain_until_an_item_of_an_archived_request_may_go(record, personas):
    item = ActionItem.objects.create(request=record, action="回访客户", created_by=personas.mkt_staff)
    archive(record, kept_for=timedelta(days=-1))
    ActionItem.objects.filter(pk=item.pk).delete()
    assert not ActionItem.objects.exists()


def test_history_rows_refuse_bulk_edits_and_deletes(record):
    TimelineEntry.add(record, "log", content="一")
    with pytest.raises(ValueError, match="append-only"):
        TimelineEntry.objects.filter(request=record).update(content="二")
    with pytest.raises(ValueError, match="append-only"):
        TimelineEntry.objects.filter(request=record).delete()
    assert TimelineEntry._base_manager.filter(request=record, content="一").count() == 1
