"""Sources of every kind, ready to publish, and entries written as rows for list tests."""

from __future__ import annotations

import factory
from django.utils import timezone

from crossdesk.core.testing import Personas
from crossdesk.knowledge.models import Entry
from crossdesk.org.tests.factories import PersonFactory
from crossdesk.projects.choices import ProjectStatus
from crossdesk.projects.models import Lesson
from crossdesk.projects.tests.factories import LessonFactory, project_rows


def lesson(personas: Personas, *, confidential: bool = False) -> Lesson:
    """A published lesson of a closed project led by the MKT head, concerning CS."""
    project = project_rows(personas, status=ProjectStatus.CLOSED, confidential=confidential)
    row = LessonFactory(
        project=project,
        author=personas.mkt_head,
        context="需求频繁变更，技术部未及时获知",
        recommendation="每次变更召开评审会",
        tags=["需求变更", "返工"],
        published_at=timezone.now(),
    )
    row.departments.set([personas.cs])
    return row


class EntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Entry

    title = factory.Sequence(lambda n: f"仓库分拣异常处理经验{n}")
    problem = "客户订单物流延迟"
    solution = "修复仓库系统并优先配送"
    source_type = "collaboration.request"
    source_id = factory.Sequence(lambda n: 100000 + n)
    source_url = "/requests/1/"
    published_by = factory.SubFactory(PersonFactory)
    published_at = factory.LazyFunction(timezone.now)
