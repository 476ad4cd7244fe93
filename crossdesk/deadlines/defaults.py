"""SPEC's default time rules. Created when missing; an administrator's changes are kept."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from .choices import PolicyKind, Unit

HEAD_THEN_SUPERVISOR_DAILY = [
    {"after": 0, "unit": Unit.WORKING_HOURS, "to": "head"},
    {"after": 1, "unit": Unit.WORKING_DAYS, "to": "supervisor"},
]


def _ladder(after_supervisor: float, unit: str) -> list[dict]:
    return [
        {"after": 0, "unit": Unit.WORKING_HOURS, "to": "head"},
        {"after": after_supervisor, "unit": unit, "to": "supervisor"},
    ]


# key, variant, name, kind, amount, unit, extra
DEFAULT_POLICIES: list[dict] = [
    # SPEC §3 [000]: respond (accept or decline) — normal 3 working days, urgent 24 h, critical 4 h.
    {"key": "request.respond", "variant": "normal", "name": _("Respond to a normal request"),
     "target_amount": 3, "target_unit": Unit.WORKING_DAYS, "escalation": HEAD_THEN_SUPERVISOR_DAILY},
    {"key": "request.respond", "variant": "urgent", "name": _("Respond to an urgent request"),
     "target_amount": 24, "target_unit": Unit.CLOCK_HOURS, "escalation": _ladder(4, Unit.CLOCK_HOURS)},
    {"key": "request.respond", "variant": "critical", "name": _("Respond to a critical request"),
     "target_amount": 4, "target_unit": Unit.CLOCK_HOURS, "escalation": _ladder(2, Unit.CLOCK_HOURS)},
    # [004]: the receiving department names one liaison within 2 working days (never later
    # than the response target; the code starting the clock takes the earlier of the two).
    {"key": "request.name_liaison", "variant": "", "name": _("Name the liaison for a request"),
     "target_amount": 2, "target_unit": Unit.WORKING_DAYS, "escalation": HEAD_THEN_SUPERVISOR_DAILY},
    # [000]: first confirmation call between initiator and liaison within 1 working day.
    {"key": "request.first_contact", "variant": "", "name": _("First confirmation call with the liaison"),
     "target_amount": 1, "target_unit": Unit.WORKING_DAYS, "escalation": [{"after": 0, "unit": Unit.WORKING_HOURS, "to": "head"}]},
    # [000]: follow up urgent and critical requests every 4 h, normal ones daily.
    {"key": "request.follow_up", "variant": "normal", "name": _("Follow up a normal request"), "kind": PolicyKind.CADENCE,
     "target_amount": 1, "target_unit": Unit.WORKING_DAYS, "warn_fraction": None},
    {"key": "request.follow_up", "variant": "urgent", "name": _("Follow up an urgent request"), "kind": PolicyKind.CADENCE,
     "target_amount": 4, "target_unit": Unit.WORKING_HOURS, "warn_fraction": None},
    {"key": "request.follow_up", "variant": "critical", "name": _("Follow up a critical request"), "kind": PolicyKind.CADENCE,
     "target_amount": 4, "target_unit": Unit.WORKING_HOURS, "warn_fraction": None},
    # The receiving department's committed date: warning at 75 %, reminder and delay reason when overdue.
    {"key": "request.resolve", "variant": "", "name": _("Resolve by the committed date"),
     "target_amount": None, "target_unit": Unit.WORKING_DAYS, "escalation": HEAD_THEN_SUPERVISOR_DAILY},
    # SPEC §4 [001][002]: the notice goes out at least 3 working days before the meeting. A check
    # made when the notice is sent (a later one needs a reason), never a running clock.
    {"key": "meeting.notice", "variant": "", "name": _("Send the meeting notice ahead"),
     "target_amount": 3, "target_unit": Unit.WORKING_DAYS, "warn_fraction": None, "escalation": []},
    # SPEC §4 [001][002]: minutes within 2 working days, kickoff within 24 h; objections within 1 working day.
    {"key": "meeting.minutes", "variant": "", "name": _("Circulate the minutes"),
     "target_amount": 2, "target_unit": Unit.WORKING_DAYS, "escalation": HEAD_THEN_SUPERVISOR_DAILY},
    {"key": "meeting.minutes", "variant": "kickoff", "name": _("Circulate the kickoff minutes"),
     "target_amount": 24, "target_unit": Unit.CLOCK_HOURS, "escalation": HEAD_THEN_SUPERVISOR_DAILY},
    {"key": "meeting.objection", "variant": "", "name": _("Confirm or object to the minutes"),
     "target_amount": 1, "target_unit": Unit.WORKING_DAYS, "escalation": []},
    # Action items: reminder 3 days before if not done; weekly progress for items over a week;
    # completion reported within 1 working day of finishing.
    {"key": "action_item.due", "variant": "", "name": _("Finish the action item"), "target_amount": None,
     "target_unit": Unit.WORKING_DAYS, "warn_fraction": None, "remind_before_amount": 3,
     "remind_before_unit": Unit.WORKING_DAYS, "escalation": HEAD_THEN_SUPERVISOR_DAILY},
    {"key": "action_item.weekly_update", "variant": "", "name": _("Weekly progress update"), "kind": PolicyKind.CADENCE,
     "target_amount": 5, "target_unit": Unit.WORKING_DAYS, "warn_fraction": None},
    {"key": "action_item.report", "variant": "", "name": _("Report completion"),
     "target_amount": 1, "target_unit": Unit.WORKING_DAYS, "escalation": []},
    # SPEC §5 [003][004]: coordination meeting within 48 h of a task turning behind or blocked;
    # rework within 3 working days; retrospective within 5 working days of close.
    {"key": "task.coordination", "variant": "", "name": _("Hold a coordination meeting for a troubled task"),
     "target_amount": 48, "target_unit": Unit.CLOCK_HOURS, "escalation": HEAD_THEN_SUPERVISOR_DAILY},
    {"key": "deliverable.rework", "variant": "", "name": _("Rework a deliverable"),
     "target_amount": 3, "target_unit": Unit.WORKING_DAYS, "escalation": HEAD_THEN_SUPERVISOR_DAILY},
    {"key": "project.retrospective", "variant": "", "name": _("Hold the retrospective"),
     "target_amount": 5, "target_unit": Unit.WORKING_DAYS, "escalation": HEAD_THEN_SUPERVISOR_DAILY},
]  # fmt: skip
