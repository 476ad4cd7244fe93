"""Set-ups shared by part B's tests (communication plan, changes, deliverables, close)."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from crossdesk.projects import models as m

from .factories import add_task, at, part, running_project

__all__ = ["add_task", "at", "count_queries", "part", "pdf", "running", "running_with_task"]


def running(personas) -> m.Project:
    return running_project(personas)


def running_with_task(personas, **task) -> tuple[m.Project, m.Task]:
    """A running project with the seeds' task: CS responsible (owner 赵磊), MKT accountable."""
    project = running_project(personas)
    # Departments by code: part A's task service reads a number as a participation id
    # first, so a department id that happens to equal another participation's id picks
    # the wrong department (seen on PostgreSQL, where the ids differ from SQLite's).
    roles = {"responsible": "CS", "accountable": "MKT", "collaborators": ["LOG"]}
    return project, add_task(personas, project, **{**roles, **task})


def pdf(name: str = "痛点清单.pdf", content: bytes = b"%PDF-1.4 evidence") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def count_queries(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)
