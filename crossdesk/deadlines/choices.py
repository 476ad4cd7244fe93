from django.db import models
from django.utils.translation import gettext_lazy as _


class Unit(models.TextChoices):
    WORKING_DAYS = "working_days", _("working days")
    WORKING_HOURS = "working_hours", _("working hours")
    CLOCK_HOURS = "clock_hours", _("hours")


class PolicyKind(models.TextChoices):
    DEADLINE = "deadline", _("Deadline")  # due once: warn, breach, escalate
    CADENCE = "cadence", _("Recurring reminder")  # fires every interval until stopped


class ClockState(models.TextChoices):
    RUNNING = "running", _("Running")
    PAUSED = "paused", _("Paused")
    BREACHED = "breached", _("Overdue")
    MET = "met", _("Met")
    CANCELLED = "cancelled", _("Cancelled")


LIVE_STATES = (ClockState.RUNNING, ClockState.PAUSED, ClockState.BREACHED)


class Action(models.TextChoices):
    WARN = "warn", _("Warning before the deadline")
    BREACH = "breach", _("Deadline passed")
    ESCALATE = "escalate", _("Escalation")
    FOLLOW_UP = "follow_up", _("Follow-up reminder")


class EventKind(models.TextChoices):
    STARTED = "started", _("Clock started")
    WARNED = "warned", _("Warning sent")
    BREACHED = "breached", _("Deadline passed")
    ESCALATED = "escalated", _("Escalated")
    FOLLOW_UP = "follow_up", _("Follow-up reminder")
    PAUSED = "paused", _("Paused")
    RESUMED = "resumed", _("Resumed")
    MET = "met", _("Met")
    CANCELLED = "cancelled", _("Cancelled")
    RECOMPUTED = "recomputed", _("Deadline recomputed")


class EscalationTarget(models.TextChoices):
    OWNER = "owner", _("Owner")
    HEAD = "head", _("Department head")
    SUPERVISOR = "supervisor", _("Supervisor")


# How the clock's state may move; services check it before writing.
TRANSITIONS: dict[str, set[str]] = {
    ClockState.RUNNING: {ClockState.PAUSED, ClockState.BREACHED, ClockState.MET, ClockState.CANCELLED},
    ClockState.PAUSED: {ClockState.RUNNING, ClockState.MET, ClockState.CANCELLED},
    ClockState.BREACHED: {ClockState.RUNNING, ClockState.PAUSED, ClockState.MET, ClockState.CANCELLED},
    ClockState.MET: set(),
    ClockState.CANCELLED: set(),
}
