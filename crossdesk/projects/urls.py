"""Project pages: each area's view module exposes its own ``urlpatterns`` list; part B's
are included when present."""

from importlib import import_module

app_name = "projects"

AREAS = ("charter", "tasks", "tracking", "reports", "comms", "changes", "delivery", "close")

urlpatterns: list = []
for _area in AREAS:
    try:
        _module = import_module(f"crossdesk.projects.views.{_area}")
    except ModuleNotFoundError as exc:
        if exc.name != f"crossdesk.projects.views.{_area}":
            raise
        continue
    urlpatterns += _module.urlpatterns
