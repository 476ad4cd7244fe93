from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "crossdesk.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from .records.archive import connect_guards

        # Every archivable record and its children, whichever app declares them.
        connect_guards(apps.get_models())
