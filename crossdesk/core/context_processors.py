from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# (url name or None while the module is not built yet, label, Bootstrap icon, section key)
NAVIGATION = [
    ("core:workbench", _("Workbench"), "speedometer2", "workbench"),
    ("collaboration:list", _("Requests"), "inboxes", "requests"),
    ("meetings:calendar", _("Meetings"), "people", "meetings"),
    ("projects:list", _("Projects"), "kanban", "projects"),
    ("knowledge:list", _("Knowledge base"), "journal-bookmark", "knowledge"),
    ("reports:home", _("Reports"), "bar-chart", "reports"),
    ("org:chart", _("Organisation"), "diagram-3", "org"),
    ("workcal:month", _("Calendar"), "calendar3", "calendar"),
]


def navigation(request):
    """The left navigation, with the current section marked."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    current = getattr(request, "resolver_match", None)
    namespace = current.namespace if current else ""
    section_of_namespace = {
        "core": "workbench",
        "collaboration": "requests",
        "meetings": "meetings",
        "projects": "projects",
        "knowledge": "knowledge",
        "org": "org",
        "workcal": "calendar",
        "reports": "reports",
        "audit": "audit",
    }
    active = section_of_namespace.get(namespace, "")
    items = [
        {
            "url": reverse(url_name) if url_name else None,
            "label": label,
            "icon": icon,
            "active": key == active,
        }
        for url_name, label, icon, key in NAVIGATION
    ]
    if request.user.is_staff:  # administrators (SPEC §1): the audit trail and the Django admin
        items.append(
            {
                "url": reverse("audit:list"),
                "label": _("Audit trail"),
                "icon": "journal-text",
                "active": active == "audit",
            }
        )
        items.append(
            {"url": reverse("admin:index"), "label": _("Administration"), "icon": "gear", "active": False}
        )
    return {"nav_items": items}
