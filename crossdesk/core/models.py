import uuid
from pathlib import PurePath

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


def person_field(verbose_name, *, optional: bool = False, related_name: str = "+") -> models.ForeignKey:
    """A person on a record (an initiator, an owner, who signed): protected, as people leave
    by being made inactive; ``optional`` while nobody has done it yet."""
    return models.ForeignKey(
        "org.Person",
        verbose_name=verbose_name,
        null=optional,
        blank=optional,
        on_delete=models.PROTECT,
        related_name=related_name,
    )


class HeadSignOff(models.Model):
    """A department head's sign-off on its part of a record: who signed, when, and the digest
    of what they signed (``core.records.signing``)."""

    head = person_field(_("head who signed"), optional=True)
    head_signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    head_signature = models.CharField(_("signature digest"), max_length=64, blank=True)

    class Meta:
        abstract = True


def filter_given(rows: models.QuerySet, **lookups) -> models.QuerySet:
    """``rows`` filtered on the lookups a list was given a value for (empty ones are skipped),
    so a list's optional filters read as one table of lookups."""
    return rows.filter(**{lookup: value for lookup, value in lookups.items() if value})


class TimeStampedModel(models.Model):
    """Adds creation and last-change moments to a model."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class AppendOnlyQuerySet(models.QuerySet):
    """Bulk writes refuse history rows like single ones (the Django admin's bulk delete
    included); deletes cascading from a deletable parent, such as a draft, still work."""

    def update(self, **kwargs):
        raise ValueError(f"{self.model.__name__} rows are append-only; add a new row instead.")

    def delete(self):
        raise ValueError(f"{self.model.__name__} rows are append-only and cannot be deleted.")


class AppendOnly(models.Model):
    """A history row: written once, never edited or deleted (SPEC §6 audit); a correction
    is a new row."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError(f"{type(self).__name__} rows are append-only; add a new row instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError(f"{type(self).__name__} rows are append-only and cannot be deleted.")


def random_upload_name(folder: str, filename: str) -> str:
    """Where an upload is stored: a random name under ``folder``, keeping only the suffix.
    The original name stays in the row and is never trusted as a path."""
    return f"{folder}/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()[:10]}"


class StoredDocument(models.Model):
    """An uploaded document on a record (request attachment, meeting material). Stored
    outside the web root; served only through views that check who may see the record."""

    name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size"))
    content_type = models.CharField(_("type"), max_length=100)
    uploaded_by = models.ForeignKey(
        "org.Person", verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name


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
