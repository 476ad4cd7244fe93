"""States of a collaboration request and of each department's part (SPEC §3)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from crossdesk.core.records import Machine


class Urgency(models.TextChoices):
    NORMAL = "normal", _("Normal")
    URGENT = "urgent", _("Urgent")
    CRITICAL = "critical", _("Critical")


class RequestType(models.TextChoices):
    COLLABORATION = "collaboration", _("Collaboration need")
    BOTTLENECK = "bottleneck", _("Process bottleneck")
    RESOURCE = "resource", _("Resource request")
    COMPLAINT = "complaint", _("Fault or complaint")
    OTHER = "other", _("Other")


class RequestStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    IN_PROGRESS = "in_progress", _("In progress")
    DECLINED = "declined", _("Declined")
    RESOLVED = "resolved", _("Resolved")
    CONFIRMED = "confirmed", _("Confirmed")
    SIGNED = "signed", _("Signed")
    ARCHIVED = "archived", _("Archived")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_STATUSES = (
    RequestStatus.SUBMITTED,
    RequestStatus.IN_PROGRESS,
    RequestStatus.RESOLVED,
    RequestStatus.CONFIRMED,
)

# The one map of moves a request may make. Moves marked (auto) follow from its parts.
TRANSITIONS: dict[str, set[str]] = {
    RequestStatus.DRAFT: {RequestStatus.SUBMITTED, RequestStatus.CANCELLED},
    RequestStatus.SUBMITTED: {RequestStatus.IN_PROGRESS, RequestStatus.DECLINED, RequestStatus.CANCELLED},
    RequestStatus.IN_PROGRESS: {RequestStatus.RESOLVED, RequestStatus.CANCELLED, RequestStatus.DECLINED},
    RequestStatus.DECLINED: {RequestStatus.ARCHIVED, RequestStatus.CANCELLED},
    RequestStatus.RESOLVED: {RequestStatus.CONFIRMED, RequestStatus.IN_PROGRESS},
    RequestStatus.CONFIRMED: {RequestStatus.SIGNED},
    RequestStatus.SIGNED: {RequestStatus.ARCHIVED},
    RequestStatus.CANCELLED: {RequestStatus.ARCHIVED},
    RequestStatus.ARCHIVED: set(),
}


class PartRole(models.TextChoices):
    RECEIVING = "receiving", _("Must act")
    INFORMED = "informed", _("Informed")


class PartStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting response")
    AWAITING_INFO = "awaiting_info", _("Waiting for information")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    RESOLVED = "resolved", _("Resolved")
    INFORMED = "informed", _("Informed")


PART_TRANSITIONS: dict[str, set[str]] = {
    PartStatus.PENDING: {PartStatus.ACCEPTED, PartStatus.DECLINED, PartStatus.AWAITING_INFO},
    PartStatus.AWAITING_INFO: {PartStatus.PENDING, PartStatus.ACCEPTED, PartStatus.DECLINED},
    PartStatus.ACCEPTED: {PartStatus.RESOLVED, PartStatus.AWAITING_INFO},
    PartStatus.RESOLVED: {PartStatus.ACCEPTED},
    PartStatus.DECLINED: set(),
    PartStatus.INFORMED: set(),
}


class EntryKind(models.TextChoices):
    LOG = "log", _("Communication log")
    CORRECTION = "correction", _("Correction")
    TRANSITION = "transition", _("Status change")
    ATTACHMENT = "attachment", _("Attachment")
    SIGNATURE = "signature", _("Sign-off")
    LETTER = "letter", _("Resource confirmation letter")


REQUEST_MACHINE = Machine(
    TRANSITIONS,
    RequestStatus,
    history="collaboration.TimelineEntry",
    refusal=_("A request that is “%(old)s” cannot become “%(new)s”."),
)
# A part's moves go to its request's timeline (``into=request, part=part``).
PART_MACHINE = Machine(
    PART_TRANSITIONS,
    PartStatus,
    history="collaboration.TimelineEntry",
    refusal=_("The part of %(dept)s is “%(old)s” and cannot become “%(new)s”."),
)
