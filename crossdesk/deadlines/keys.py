"""The keys of SPEC's time rules: one name per rule instead of bare strings.

A ``TimePolicy`` row, a clock and the code starting or stopping it name the rule by its
key (and a variant such as the urgency). The values are the keys stored in the database,
so ``RuleKey.REQUEST_RESPOND == "request.respond"``; :mod:`crossdesk.deadlines.defaults`
seeds a policy for every key.
"""

from __future__ import annotations

from enum import StrEnum


class RuleKey(StrEnum):
    # SPEC §3 [000]: accept or decline; normal 3 working days, urgent 24 h, critical 4 h
    # (seeds "normal", "urgent", "critical").
    REQUEST_RESPOND = "request.respond"
    # SPEC §3 [004]: the receiving department names one liaison within 2 working days.
    REQUEST_NAME_LIAISON = "request.name_liaison"
    # SPEC §3 [000]: first confirmation call with the liaison within 1 working day.
    REQUEST_FIRST_CONTACT = "request.first_contact"
    # SPEC §3 [000]: follow-up cadence, urgent and critical every 4 h, normal daily
    # (seeds "normal", "urgent", "critical").
    REQUEST_FOLLOW_UP = "request.follow_up"
    # SPEC §3: resolve by the receiving department's committed date.
    REQUEST_RESOLVE = "request.resolve"
    # SPEC §4 [001][002]: the notice goes out at least 3 working days before the meeting.
    MEETING_NOTICE = "meeting.notice"
    # SPEC §4 [001][002]: minutes within 2 working days, kickoff minutes within 24 h
    # (seeds "" and "kickoff").
    MEETING_MINUTES = "meeting.minutes"
    # SPEC §4 [001][002]: confirm or object to the minutes within 1 working day.
    MEETING_OBJECTION = "meeting.objection"
    # SPEC §4: finish the action item by its due date, reminder 3 working days before.
    ACTION_ITEM_DUE = "action_item.due"
    # SPEC §4: report completion within 1 working day of finishing.
    ACTION_ITEM_REPORT = "action_item.report"
    # SPEC §4: weekly progress for items running longer than a week.
    ACTION_ITEM_WEEKLY_UPDATE = "action_item.weekly_update"
    # SPEC §5 [003][004]: coordination meeting within 48 h of a task turning behind or blocked.
    TASK_COORDINATION = "task.coordination"
    # SPEC §5 [003][004]: rework a returned deliverable within 3 working days.
    DELIVERABLE_REWORK = "deliverable.rework"
    # SPEC §5 [003][004]: retrospective within 5 working days of the project's close.
    PROJECT_RETROSPECTIVE = "project.retrospective"
