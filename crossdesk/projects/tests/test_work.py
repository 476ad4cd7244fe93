"""The projects' section of the workbench (registered in ``ProjectsConfig.ready()``)."""

from __future__ import annotations

import pytest
import time_machine
from django.template.loader import render_to_string

from crossdesk.core.records.registry import work_providers
from crossdesk.org.selectors import roles_for

from .factories import add_task, at, count_queries, running_with_task

pytestmark = pytest.mark.django_db


def test_the_workbench_lists_my_open_tasks_with_their_due_date_in_constant_queries(personas):
    provider = work_providers()["projects"]
    with time_machine.travel(at(2026, 9, 28, 9, 0), tick=False):
        project, task = running_with_task(personas)
        user = personas.cs_staff.user
        section = provider(user, roles_for(user))
        assert [item.number for item in section.items] == [task.code]
        assert section.items[0].due_at.hour == 18 and not section.items[0].overdue
        one = count_queries(lambda: provider(user, roles_for(user)))
        add_task(
            personas, project, title="第二个任务", planned_start="2026-09-28", planned_finish="2026-10-20"
        )
        assert count_queries(lambda: provider(user, roles_for(user))) == one
    with time_machine.travel(at(2026, 10, 19, 9, 0), tick=False):
        section = provider(user, roles_for(user))
        assert [item.overdue for item in section.items] == [True, False]
        assert section.overdue == 1
        html = render_to_string(section.template, section.context)
        assert "客户痛点收集" in html and 'data-testid="project-work"' in html


def test_nothing_waiting_gives_no_section(personas):
    provider = work_providers()["projects"]
    assert provider(personas.outsider.user, roles_for(personas.outsider.user)) is None
