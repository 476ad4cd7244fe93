"""Project pages: each area's view module exposes its own ``urlpatterns`` list."""

from .views import changes, charter, close, comms, delivery, exports, printing, reports, tasks, tracking

app_name = "projects"

# Order matters only for path matching: fixed paths before the ``<project_id>`` ones.
urlpatterns: list = [
    *charter.urlpatterns,
    *tasks.urlpatterns,
    *tracking.urlpatterns,
    *reports.urlpatterns,
    *comms.urlpatterns,
    *changes.urlpatterns,
    *delivery.urlpatterns,
    *close.urlpatterns,
    *exports.urlpatterns,
    *printing.urlpatterns,
]
