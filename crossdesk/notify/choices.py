"""Channels, delivery states, preference modes and the event groups people choose from."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    DINGTALK = "dingtalk", _("DingTalk robot")
    WECOM = "wecom", _("WeCom robot")
    FEISHU = "feishu", _("Feishu bot")


ROBOT_CHANNELS = (Channel.DINGTALK, Channel.WECOM, Channel.FEISHU)


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Delivered")
    FAILED = "failed", _("Failed")
    DISCARDED = "discarded", _("Discarded")


# Rows a worker may still take: waiting (or backing off), or leased by a worker that may have died.
OPEN_STATUSES = (DeliveryStatus.PENDING, DeliveryStatus.SENDING)


class EmailMode(models.TextChoices):
    INHERIT = "", _("As the department sets it")
    IMPORTANT = "important", _("Only what needs action, warnings and overdue items")
    ALL = "all", _("Everything")
    OFF = "off", _("No e-mail")


class DigestMode(models.TextChoices):
    INHERIT = "", _("As the department sets it")
    IMMEDIATE = "immediate", _("Each message as it happens")
    DAILY = "daily", _("One daily digest")


class EscalationMode(models.TextChoices):
    INHERIT = "", _("As the department sets it (supervisors: daily digest)")
    IMMEDIATE = "immediate", _("Each escalation as it happens")
    DIGEST = "digest", _("In the daily digest (critical ones at once)")


class EventGroup(models.TextChoices):
    """What a notification is about: the part of its ``event`` before the first dot."""

    REQUEST = "request", _("Collaboration requests")
    MEETING = "meeting", _("Meetings and minutes")
    ACTION_ITEM = "action_item", _("Action items")
    DEADLINE = "deadline", _("Deadline reminders and escalations")
    PROJECT = "project", _("Projects")
    OTHER = "other", _("Other")


def event_group(event: str) -> str:
    prefix = event.split(".", 1)[0]
    return prefix if prefix in EventGroup.values else EventGroup.OTHER


# Levels that reach people outside the app unless they choose otherwise (SPEC §6: reminders
# and escalations must reach people; plain information stays in the inbox).
IMPORTANT_LEVELS = ("action", "warning", "overdue")


# Escalations a supervisor may take as a digest (SPEC §6 ladder's last step).
ESCALATION_EVENT = "deadline.escalate"
