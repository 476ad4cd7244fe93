"""Time rules as data, and the running clocks they produce (SPEC §2–§5 time rules)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from crossdesk.core.models import AppendOnly, TimeStampedModel
from crossdesk.org.models import Department, Person

from .choices import LIVE_STATES, ClockState, EventKind, PolicyKind, Unit


class TimePolicy(TimeStampedModel):
    """One time rule an administrator can change, e.g. "respond to an urgent request in 24 h".

    ``key`` names the rule for the code that starts clocks (``request.respond``); ``variant``
    selects one value of it: an urgency (normal / urgent / critical) or another variant
    such as ``kickoff``; blank when one value fits every case.
    ``escalation`` is the ladder after a breach: ``[{"after": 0, "unit": "working_hours",
    "to": "head"}, {"after": 1, "unit": "working_days", "to": "supervisor"}]``.
    """

    key = models.CharField(_("rule"), max_length=64)
    variant = models.CharField(_("variant"), max_length=16, blank=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=PolicyKind.choices, default=PolicyKind.DEADLINE)
    target_amount = models.DecimalField(
        _("allowed time"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_("Empty when the deadline is a date someone commits to."),
    )
    target_unit = models.CharField(_("unit"), max_length=16, choices=Unit.choices, default=Unit.WORKING_DAYS)
    warn_fraction = models.DecimalField(
        _("warn when this share of the time has passed"),
        max_digits=3,
        decimal_places=2,
        null=True,
        blank=True,
        default=Decimal("0.75"),
        validators=[MinValueValidator(Decimal("0.05")), MaxValueValidator(Decimal("0.99"))],
    )
    remind_before_amount = models.DecimalField(
        _("remind this long before the deadline"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    remind_before_unit = models.CharField(
        _("unit of the reminder"), max_length=16, choices=Unit.choices, default=Unit.WORKING_DAYS
    )
    escalation = models.JSONField(_("escalation ladder"), default=list, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("time rule")
        verbose_name_plural = _("time rules")
        ordering = ["key", "variant"]
        constraints = [
            models.UniqueConstraint(
                fields=["key", "variant"],
                name="deadlines_policy_unique_key_variant",
                violation_error_message=_("This rule already has a value for this variant."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class Clock(models.Model):
    """A deadline running on one record (its subject), found by the sweep through
    ``next_action_at`` alone: the partial index holds only clocks with something to do.
    """

    policy = models.ForeignKey(TimePolicy, verbose_name=_("rule"), on_delete=models.PROTECT)
    subject_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    subject_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("subject_type", "subject_id")
    scope = models.CharField(
        _("scope"), max_length=64, blank=True, help_text=_("Tells apart clocks of one rule on one record.")
    )
    label = models.CharField(_("label"), max_length=200, blank=True)
    owner = models.ForeignKey(
        Person, verbose_name=_("owner"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    state = models.CharField(
        _("state"), max_length=16, choices=ClockState.choices, default=ClockState.RUNNING
    )
    started_at = models.DateTimeField(_("started at"))
    due_at = models.DateTimeField(_("due at"))
    agreed_due_at = models.DateTimeField(
        _("agreed due date"), null=True, blank=True, help_text=_("Set when a person committed to a date.")
    )
    paused_at = models.DateTimeField(_("paused at"), null=True, blank=True)
    paused_seconds = models.PositiveBigIntegerField(_("paused time (seconds)"), default=0)
    warn_at = models.DateTimeField(_("warn at"), null=True, blank=True)
    warned_at = models.DateTimeField(_("warned at"), null=True, blank=True)
    next_action = models.CharField(_("next action"), max_length=16, blank=True)
    next_action_at = models.DateTimeField(_("next action at"), null=True, blank=True)
    escalation_level = models.PositiveSmallIntegerField(_("escalations sent"), default=0)
    follow_ups_sent = models.PositiveIntegerField(_("follow-ups sent"), default=0)
    estimated = models.BooleanField(
        _("estimated"),
        default=False,
        help_text=_("The span reaches a year whose holidays are not known yet."),
    )
    met_at = models.DateTimeField(_("met at"), null=True, blank=True)
    breached_at = models.DateTimeField(_("breached at"), null=True, blank=True)
    delay_reason = models.TextField(_("reason for the delay"), blank=True)

    class Meta:
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        indexes = [
            models.Index(
                fields=["next_action_at"],
                condition=models.Q(next_action_at__isnull=False),
                name="deadlines_clock_next_action",
            ),
            models.Index(fields=["subject_type", "subject_id"], name="deadlines_clock_subject"),
            models.Index(
                fields=["owner", "due_at"],
                condition=models.Q(state__in=[s.value for s in LIVE_STATES]),
                name="deadlines_clock_live_by_owner",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["subject_type", "subject_id", "policy", "scope"],
                condition=models.Q(state__in=[s.value for s in LIVE_STATES]),
                name="deadlines_one_live_clock_per_rule",
                violation_error_message=_("This record already has a running deadline for this rule."),
            )
        ]

    def __str__(self) -> str:
        return self.label or self.policy.name

    @property
    def is_live(self) -> bool:
        return self.state in LIVE_STATES


class ClockEvent(AppendOnly):
    """The history of a clock: what happened, when, and why (old and new due on recompute).
    Append-only: never edited or deleted, not even in bulk from the admin.

    ``dedupe_key`` is unique, so an action (a warning, the 2nd escalation, the 5th
    follow-up) is recorded — and its notifications written — once, whoever sweeps.
    """

    clock = models.ForeignKey(Clock, on_delete=models.CASCADE, related_name="events")
    subject_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    subject_id = models.PositiveBigIntegerField()
    kind = models.CharField(_("event"), max_length=16, choices=EventKind.choices)
    at = models.DateTimeField(_("at"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    data = models.JSONField(_("details"), default=dict, blank=True)
    dedupe_key = models.CharField(max_length=200, unique=True, null=True, blank=True)

    class Meta:
        verbose_name = _("deadline event")
        verbose_name_plural = _("deadline events")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["subject_type", "subject_id", "at"], name="deadlines_event_subject")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} @ {self.at:%Y-%m-%d %H:%M}"
