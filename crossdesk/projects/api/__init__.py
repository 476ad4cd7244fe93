"""Projects API under /api/v1/projects/ (SPEC §5): one sub-router per area, each in its own module."""

from __future__ import annotations

from ninja import Router

from . import changes, charter, close, comms, delivery, reports, tasks, tracking

router = Router(tags=["projects"])

# Order matters only for path matching: fixed paths before the ``{project_id}`` ones.
for _area in (charter, tasks, tracking, reports, comms, changes, delivery, close):
    router.add_router("", _area.router)
