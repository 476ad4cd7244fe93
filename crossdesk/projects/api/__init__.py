"""Projects API under /api/v1/projects/ (SPEC §5).

One sub-router per area, each in its own module; part B's modules are included when
present, so the two halves of the app can be written side by side.
"""

from __future__ import annotations

from importlib import import_module

from ninja import Router

router = Router(tags=["projects"])

# Order matters only for path matching: fixed paths before the ``{project_id}`` ones.
AREAS = ("charter", "tasks", "tracking", "reports", "comms", "changes", "delivery", "close")

for _area in AREAS:
    try:
        _module = import_module(f"{__name__}.{_area}")
    except ModuleNotFoundError as exc:
        if exc.name != f"{__name__}.{_area}":
            raise
        continue
    router.add_router("", _module.router)
