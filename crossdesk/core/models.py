from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A login account. Who the person is in the company lives in ``org.Person``."""

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def display_name(self) -> str:
        person = getattr(self, "person", None)
        if person is not None:
            return person.name
        return self.get_full_name() or self.username


class TimeStampedModel(models.Model):
    """Adds creation and last-change moments to a model."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class ScheduledJobState(models.Model):
    """When each periodic job of ``crossdesk/schedule.py`` is next due.

    Schedulers claim a due run with a conditional UPDATE on ``next_run_at``, so two
    schedulers running at once enqueue each run exactly once.
    """

    name = models.CharField(_("name"), max_length=100, unique=True)
    next_run_at = models.DateTimeField(_("next run at"))
    last_run_at = models.DateTimeField(_("last run at"), null=True, blank=True)

    class Meta:
        verbose_name = _("scheduled job")
        verbose_name_plural = _("scheduled jobs")

    def __str__(self) -> str:
        return self.name


class NumberSequence(models.Model):
    """The last number handed out in a series (``XMB`` for 2026, ``MTG-MKT`` for 2026 …).

    Incremented under a row lock inside the caller's transaction, so numbers are gap-free:
    a transaction that rolls back gives its number back with it.
    """

    scope = models.CharField(_("series"), max_length=40)
    year = models.PositiveSmallIntegerField(_("year"))
    last_value = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("number series")
        verbose_name_plural = _("number series")
        constraints = [models.UniqueConstraint(fields=["scope", "year"], name="core_number_sequence_unique")]

    def __str__(self) -> str:
        return f"{self.scope}-{self.year}: {self.last_value}"
