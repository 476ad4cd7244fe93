from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "crossdesk.projects"
    label = "projects"
    verbose_name = _("Cross-department projects")

    def ready(self) -> None:
        from importlib import import_module

        from . import receivers  # noqa: F401  (connects the kickoff-minutes hook)

        # Part B connects its receivers (plan version at running, retrospective clock at
        # closing, archive list) in ``receivers_b``, when present.
        try:
            import_module(f"{self.name}.receivers_b")
        except ModuleNotFoundError as exc:
            if exc.name != f"{self.name}.receivers_b":
                raise
