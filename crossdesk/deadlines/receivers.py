"""Running deadlines follow the calendar: a change of holidays or hours recomputes them."""

from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from crossdesk.workcal.signals import calendar_changed

REASONS = {
    "statutory": _("The statutory holiday schedule was updated."),
    "official_schedule": _("An administrator entered the official holiday schedule."),
    "override": _("An administrator changed a company day off or extra working day."),
    "working_hours": _("The working hours changed."),
}


@receiver(calendar_changed, dispatch_uid="deadlines.recompute_on_calendar_change")
def recompute_on_calendar_change(sender, reason: str = "", actor_id: int | None = None, **kwargs):
    from .tasks import recompute_deadlines

    why = str(REASONS.get(reason, _("The working-day calendar changed.")))
    recompute_deadlines.enqueue(why, actor_id)
