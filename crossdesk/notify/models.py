"""In-app notifications: the inbox every person has. Later channels (e-mail, robots)
deliver from the same rows."""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from crossdesk.org.models import Person


class Notification(models.Model):
    """One message to one person, written in the same transaction as the change behind it.

    ``dedupe_key`` is unique: a reminder or escalation written twice (a repeated sweep,
    two schedulers, a retried task) inserts once, so nobody is told the same thing twice.
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
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

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
        ]

    def __str__(self) -> str:
        return self.title
