from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class DeadlinesConfig(AppConfig):
    name = "crossdesk.deadlines"
    label = "deadlines"
    verbose_name = _("Deadlines")

    def ready(self):
        from . import receivers  # noqa: F401  (connects calendar_changed)
        from .services import policies_ensure_defaults

        post_migrate.connect(lambda sender, **kw: policies_ensure_defaults(), sender=self, weak=False)
