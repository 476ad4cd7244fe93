"""SPEC's default time rules. Created when missing; an administrator's changes are kept."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from .choices import PolicyKind, Unit
from .keys import RuleKey

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
    {"key": RuleKey.REQUEST_RESPOND, "variant": "normal", "name": _("Respond to a normal request"),
     "target_amount": 3, "target_unit": Unit.WORKING_DAYS, "escalation": HEAD_THEN_SUPERVISOR_DAILY},
    {"key": RuleKey.REQUEST_RESPOND, "variant": "urgent", "name": _("Respond to an urgent request"),
     "target_amount": 24, "target_unit": Unit.CLOCK_HOURS, "escalation": _ladder(4, Unit.CLOCK_HOURS)},
    {"key": RuleKey.REQUEST_RESPOND, "variant": "critical", "name": _("Respond to a critical request"),
     "target_amount": 4, "target_unit": Unit.CLOCK_HOURS, "escalation": _ladder(2, Unit.CLOCK_HOURS)},
    # [004]: the receiving department names one liaison within 2 working days (never later
    # than the response target; the code starting the clock takes the earlier of the two).
    {"key": RuleKey.REQUEST_NAME_LIAISON, "variant": "", "name": _("Name the liaison for a request"),
     "target_amount": 2, "target_unit": Unit.WORKING_DAYS, "escalation": HEAD_THEN_SUPERVISOR_DAILY},
    # [000]: first confirmation call between initiator and liaison within 1 working day.
    {"key": RuleKey.REQUEST_FIRST_CONTACT, "variant": "", "name": _("First confirmation call with the liaison"),
     "target_amount": 1, "target_unit": Unit.WORKING_DAYS, "escalation": [{"after": 0, "unit": Unit.WORKING_HOURS, "to": "head"}]},
    # [000]: follow up urgent and critical requests every 4 h, normal ones daily.
    {"key": RuleKey.REQUEST_FOLLOW_UP, "variant": "normal", "name": _("Follow up a normal request"), "kind": PolicyKind.CADENCE,
     "target_amount": 1, "target_unit": Unit.WORKING_DAYS, "warn_fraction": None},
    {"key": RuleKey.REQUEST_FOLLOW_UP, "variant": "urgent", "name": _("Follow up an urgent request"), "kind": PolicyKind.CADENCE,
     "target_amount": 4, "target_unit": Unit.WORKING_HOURS, "warn_fraction": None},
    {"key": RuleKey.REQUEST_FOLLOW_UP, "variant": "critical", "name": _("Follow up a critical request"), "kind": PolicyKind.CADENCE,
     "target_amount": 4, "target_unit": Unit.WORKING_HOURS, "warn_fraction": None},
    # The receiving department's committed date: warning at 75 %, reminder and delay reason when overdue.
    {"key": RuleKey.REQUEST_RESOLVE, "variant": "", "name": _("Resolve by the committed date"),
     "target_amount": None, "target_unit": Unit.WORKING_DAYS, "escalation": HEAD_THEN_SUPERVISOR_DAILY},
    # SPEC §4 [001][002]: the notice goes out at least 3 working days before the meeting. A check
    # made when the notice is sent (a later one needs a reason), never a running clock.
    {"key": RuleKey.MEETING_NOTICE, "variant": "", "name": _("Send the meeting notice ahead"),
     "target_amount": 3, "target_unit": Unit.WORKING_DAYS, "warn_fraction": None, "escalation": []},
    # SPEC §4 [001][002]: minutes within 2 working days, kickoff within 24 h; objections within 1 working day.
    {"key": RuleKey.MEETING_MINUTES, "variant": "", "name": _("Circulate the minutes"),
     "target_amount": 2, "target_unit": Unit.WORKING_DAYS, "escalation": HEAD_THEN_SUPERVISOR_DAILY},
    {"key": RuleKey.MEETING_MINUTES, "variant": "kickoff", "name": _("Circulate the kickoff minutes"),
     "target_amount": 24, "target_unit": Unit.CLOCK_HOURS, "escalation": HEAD_THEN_SUPERVISOR_DAILY},
    {"key": RuleKey.MEETING_OBJECTION, "variant": "", "name": _("Confirm or object to the minutes"),
     "target_amount": 1, "target_unit": Unit.WORKING_DAYS, "escalation": []},
    # Action items: reminder 3 days before if not done; weekly progress for items over a week;
    # completion reported within 1 working day of finishing.
    {"key": RuleKey.ACTION_ITEM_DUE, "variant": "", "name": _("Finish the action item"), "target_amount": None,
     "target_unit": Unit.WORKING_DAYS, "warn_fraction": None, "remind_before_amount": 3,
     "remind_before_unit": Unit.WORKING_DAYS, "escalation": HEAD_THEN_SUPERVISOR_DAILY},
    {"key": RuleKey.ACTION_ITEM_WEEKLY_UPDATE, "variant": "", "name": _("Weekly progress update"), "kind": PolicyKind.CADENCE,
     "target_amount": 5, "target_unit": Unit.WORKING_DAYS, "warn_fraction": None},
    {"key": RuleKey.ACTION_ITEM_REPORT, "variant": "", "name": _("Report completion"),
     "target_amount": 1, "target_unit": Unit.WORKING_DAYS, "escalation": []},
    # SPEC §5 [003][004]: coordination meeting within 48 h of a task turning behind or blocked;
    # rework within 3 working days; retrospective within 5 working days of close.
    {"key": RuleKey.TASK_COORDINATION, "variant": "", "name": _("Hold a coordination meeting for a troubled task"),
     "target_amount": 48, "target_unit": Unit.CLOCK_HOURS, "escalation": HEAD_THEN_SUPERVISOR_DAILY},
    {"key": RuleKey.DELIVERABLE_REWORK, "variant": "", "name": _("Rework a deliverable"),
     "target_amount": 3, "target_unit": Unit.WORKING_DAYS, "escalation": HEAD_THEN_SUPERVISOR_DAILY},
    {"key": RuleKey.PROJECT_RETROSPECTIVE, "variant": "", "name": _("Hold the retrospective"),
     "target_amount": 5, "target_unit": Unit.WORKING_DAYS, "escalation": HEAD_THEN_SUPERVISOR_DAILY},
]  # fmt: skip
