from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def seed_statutory_days(sender, using, **kwargs) -> None:
    """After ``migrate``: load the statutory holidays chinese-calendar knows.

    Skipped while the calendar's tables do not exist yet (a partial migrate).
    """
    from django.db import connections

    from .models import CalendarDay, CalendarYear, WorkSettings
    from .services import statutory_days_seed

    tables = set(connections[using].introspection.table_names())
    if {m._meta.db_table for m in (CalendarDay, CalendarYear, WorkSettings)} <= tables:
        statutory_days_seed(using=using)


class WorkcalConfig(AppConfig):
    name = "crossdesk.workcal"
    label = "workcal"
    verbose_name = _("Working-day calendar")

    def ready(self) -> None:
        post_migrate.connect(seed_statutory_days, sender=self, dispatch_uid="workcal_seed_statutory_days")
        from crossdesk.core.records.registry import register_panel

        from .panels import workbench_warnings

        register_panel("core.workbench:top", "calendar_warnings", workbench_warnings)
