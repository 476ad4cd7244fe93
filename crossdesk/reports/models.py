"""What the reports keep of their own: the scorecard's targets (issue 12 §3)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from crossdesk.core.models import TimeStampedModel


class ScorecardTarget(TimeStampedModel):
    """The target of one scorecard figure: for every department (``department`` empty), or
    one department's own target that replaces it. Set by an administrator; each change is
    an audit row (``audit/registration.py``)."""

    figure = models.CharField(_("figure"), max_length=80)
    department = models.ForeignKey(
        "org.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="scorecard_targets",
    )
    value = models.FloatField(_("target"))
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("scorecard target")
        verbose_name_plural = _("scorecard targets")
        constraints = [
            models.UniqueConstraint(
                fields=["figure"],
                condition=Q(department__isnull=True),
                name="reports_target_one_default_per_figure",
                violation_error_message=_("This figure already has a target for every department."),
            ),
            models.UniqueConstraint(
                fields=["figure", "department"],
                condition=Q(department__isnull=False),
                name="reports_target_one_per_department",
                violation_error_message=_("This figure already has a target for this department."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.figure} = {self.value}"
