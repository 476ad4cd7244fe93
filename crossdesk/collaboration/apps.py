from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CollaborationConfig(AppConfig):
    name = "crossdesk.collaboration"
    label = "collaboration"
    verbose_name = _("Collaboration requests")

    def ready(self):
        from . import receivers  # noqa: F401
