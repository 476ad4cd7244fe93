"""Notifications: the in-app inbox every person has, and the outbox that carries the same
messages to e-mail and to department group robots (DingTalk, WeCom, Feishu).

A notification row is written in the transaction of the change behind it and is itself
the durable record that something must be said. A worker later *routes* it (reads the
recipient's preferences and the department robots, writes one ``Delivery`` per channel
and target, marks the notification routed, all in one transaction) and then *delivers*
each ``Delivery`` under a lease. See docs/notifications.md.
"""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from crossdesk.core.models import TimeStampedModel
from crossdesk.org.models import Department, Person

from .choices import Channel, DeliveryStatus, DigestMode, EmailMode, EscalationMode


class Notification(models.Model):
    """One message to one person, written in the same transaction as the change behind it.

    ``dedupe_key`` is unique: a reminder or escalation written twice (a repeated sweep,
    two schedulers, a retried task) inserts once, so nobody is told the same thing twice.
    ``batch_key`` is shared by the rows of one ``notify()`` call, so a department robot
    posts a message once per group chat however many of its members were told.
    ``routed_at`` is set once the outbox rows for e-mail and robots exist.
    """

    class Level(models.TextChoices):
        INFO = "info", _("Information")
        ACTION = "action", _("Action needed")
        WARNING = "warning", _("Warning")
        OVERDUE = "overdue", _("Overdue")

    recipient = models.ForeignKey(
        Person, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="notifications"
    )
    event = models.CharField(_("event"), max_length=64)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, default=Level.INFO)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    subject_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.CASCADE)
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    dedupe_key = models.CharField(_("deduplication key"), max_length=200, unique=True, null=True, blank=True)
    batch_key = models.CharField(_("batch key"), max_length=200, blank=True)
    critical = models.BooleanField(
        _("critical"), default=False, help_text=_("An escalation that skips the daily digest.")
    )
    # Also posted to the robots of this group chat (a project's), besides the recipients'.
    chat_scope = models.CharField(_("group chat"), max_length=64, blank=True)
    confidential = models.BooleanField(
        _("confidential"),
        default=False,
        help_text=_("Robots get a neutral text and the link, never the title."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    routed_at = models.DateTimeField(_("routed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["recipient", "created_at"],
                condition=models.Q(read_at__isnull=True),
                name="notify_unread_by_recipient",
            ),
            models.Index(fields=["recipient", "-created_at"], name="notify_by_recipient"),
            models.Index(fields=["subject_type", "subject_id"], name="notify_by_subject"),
            # The router reads only the few rows not yet routed, never the whole history.
            models.Index(fields=["id"], condition=models.Q(routed_at__isnull=True), name="notify_unrouted"),
        ]

    def __str__(self) -> str:
        return self.title


class DepartmentRobot(TimeStampedModel):
    """A department group chat's robot webhook (DingTalk custom robot, WeCom group robot,
    Feishu custom bot). A message goes to the robots of the recipients' primary
    departments, once per group chat."""

    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.CASCADE, related_name="robots"
    )
    kind = models.CharField(
        _("kind"), max_length=10, choices=[(c.value, c.label) for c in Channel if c != Channel.EMAIL]
    )
    name = models.CharField(_("name"), max_length=100)
    webhook_url = models.URLField(_("webhook address"), max_length=500)
    secret = models.CharField(
        _("signing secret"),
        max_length=200,
        blank=True,
        help_text=_("DingTalk and Feishu sign each message with it; WeCom has no signing."),
    )
    # "project:12": the group chat of one project (its initiating department's, for who
    # manages it); empty: the department's own group, told of its members' messages.
    chat_scope = models.CharField(_("group chat of"), max_length=64, blank=True, db_index=True)
    is_active = models.BooleanField(_("active"), default=True)
    event_groups = models.JSONField(
        _("events"), default=list, blank=True, help_text=_("Empty: every kind of event.")
    )
    levels = models.JSONField(_("levels"), default=list, blank=True, help_text=_("Empty: every level."))

    class Meta:
        verbose_name = _("department robot")
        verbose_name_plural = _("department robots")
        ordering = ["department", "name", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"


class ChannelPreference(models.Model):
    """How a person, or by default every member of a department, wants to be told.

    Exactly one of ``person`` and ``department`` is set. Blank fields inherit: a person's
    blank field takes the department's value, a department's blank field the built-in
    default (e-mail for action, warning and overdue; each message as it happens).
    """

    person = models.OneToOneField(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="notification_preference"
    )
    department = models.OneToOneField(
        Department, null=True, blank=True, on_delete=models.CASCADE, related_name="notification_preference"
    )
    email_mode = models.CharField(
        _("e-mail"), max_length=10, choices=EmailMode.choices, default=EmailMode.INHERIT, blank=True
    )
    muted_event_groups = models.JSONField(
        _("no e-mail about"), null=True, blank=True, help_text=_("Empty: as the department sets it.")
    )
    digest_mode = models.CharField(
        _("how e-mail arrives"),
        max_length=10,
        choices=DigestMode.choices,
        default=DigestMode.INHERIT,
        blank=True,
    )
    digest_time = models.TimeField(_("daily digest at"), null=True, blank=True)
    escalation_mode = models.CharField(
        _("escalations"),
        max_length=10,
        choices=EscalationMode.choices,
        default=EscalationMode.INHERIT,
        blank=True,
        help_text=_("Supervisors get them in the daily digest unless they choose otherwise."),
    )
    quiet_start = models.TimeField(_("quiet hours from"), null=True, blank=True)
    quiet_end = models.TimeField(_("quiet hours until"), null=True, blank=True)
    language = models.CharField(_("e-mail language"), max_length=10, blank=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(person__isnull=False, department__isnull=True)
                | models.Q(person__isnull=True, department__isnull=False),
                name="notify_preference_one_owner",
                violation_error_message=_("A preference belongs to a person or to a department, not both."),
            ),
            models.CheckConstraint(
                condition=models.Q(quiet_start__isnull=True, quiet_end__isnull=True)
                | models.Q(quiet_start__isnull=False, quiet_end__isnull=False),
                name="notify_preference_quiet_hours_pair",
                violation_error_message=_("Quiet hours need both a start and an end."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.person or self.department)


class Delivery(models.Model):
    """One message on its way out: a notification (or a daily digest) to one e-mail
    address or one robot. THE outbox row.

    A worker claims due rows by setting ``status=sending`` with a lease (``lease_owner``,
    ``lease_expires_at``) and moves ``next_attempt_at`` to the lease's end, so one partial
    index finds both rows due for a (re)try and rows whose worker died. ``delivery_key``
    is stable and unique; it goes out as the e-mail Message-ID and in every robot payload
    so a receiver can drop the one duplicate a killed worker may cause.
    """

    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    notification = models.ForeignKey(
        Notification,
        verbose_name=_("notification"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    person = models.ForeignKey(
        Person, verbose_name=_("recipient"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    robot = models.ForeignKey(
        DepartmentRobot,
        verbose_name=_("robot"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    address = models.CharField(_("address"), max_length=254, blank=True)
    digest_date = models.DateField(_("digest of"), null=True, blank=True)
    burst = models.BooleanField(
        _("held in a burst"),
        default=False,
        help_text=_("A digest of the messages held back because too many came at once."),
    )
    planned_at = models.DateTimeField(
        _("planned for"),
        null=True,
        blank=True,
        help_text=_("When routing planned it to leave; retries keep it."),
    )
    delivery_key = models.CharField(_("delivery key"), max_length=120, unique=True)
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"))
    last_error = models.TextField(_("last error"), blank=True)
    lease_owner = models.CharField(_("leased by"), max_length=64, blank=True)
    lease_expires_at = models.DateTimeField(_("lease expires"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-created_at", "-id"]
        indexes = [
            # Workers read only open rows that are due; sent history never slows them down.
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(status__in=["pending", "sending"]),
                name="notify_delivery_due",
            ),
            models.Index(fields=["status", "-created_at"], name="notify_delivery_by_status"),
            # The burst limit counts a person's (or a robot's) messages planned in the last window.
            models.Index(fields=["person", "planned_at"], name="notify_delivery_person_window"),
            models.Index(fields=["robot", "planned_at"], name="notify_delivery_robot_window"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(channel="email", person__isnull=False, robot__isnull=True))
                | (~models.Q(channel="email") & models.Q(robot__isnull=False, person__isnull=True)),
                name="notify_delivery_target",
                violation_error_message=_("An e-mail goes to a person; a robot message goes to a robot."),
            ),
        ]

    def __str__(self) -> str:
        return self.delivery_key

    @property
    def is_digest(self) -> bool:
        return self.digest_date is not None


class DigestItem(models.Model):
    """A notification collected into a digest: a person's daily e-mail, or the one message
    (e-mail or robot) that carries what a burst limit held back."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="digest_items")
    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("digest item")
        verbose_name_plural = _("digest items")
        constraints = [
            models.UniqueConstraint(fields=["delivery", "notification"], name="notify_digest_item_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.delivery_id}:{self.notification_id}"
