"""Projects for tests.

The ``*Factory`` classes write rows directly: for model and constraint tests, and to set
up state a test does not exercise. Tests of rules build through the services with the
helpers at the bottom (``draft_project``, ``kicked_off_project``, ``running_project``),
so every rule runs. The personas: MKT initiates (lead 王芳, the MKT head), CS and LOG take
part with their liaisons 李娜 and 陈静.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import factory
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from crossdesk.core.testing import Personas
from crossdesk.org.tests.factories import DepartmentFactory, PersonFactory
from crossdesk.projects import models as m
from crossdesk.projects.choices import (
    CommChannel,
    CommFrequency,
    CommOutput,
    CommScenario,
    ProjectStatus,
    Recurrence,
)

SH = ZoneInfo("Asia/Shanghai")


def at(*args) -> datetime:
    return datetime(*args, tzinfo=SH)


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Project

    number = factory.Sequence(lambda n: f"XM-2026-{n + 1:03d}")
    year = 2026
    name = factory.Sequence(lambda n: f"智能客服系统上线项目{n}")
    initiating_department = factory.SubFactory(DepartmentFactory)
    lead = factory.SubFactory(PersonFactory)
    created_by = factory.SelfAttribute("lead")
    background = "客户投诉平均处理时长48小时，满意度下降"
    core_goal = "将客户投诉平均处理时长从48小时缩短至24小时"
    status = ProjectStatus.DRAFT
    kicked_off_at = factory.LazyAttribute(
        lambda p: None if p.status == ProjectStatus.DRAFT else timezone.now()
    )


class ProjectDepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.ProjectDepartment

    project = factory.SubFactory(ProjectFactory)
    department = factory.SubFactory(DepartmentFactory)
    liaison = factory.SubFactory(PersonFactory)
    duties = "投诉接收、初步分类、客户反馈"


class GoalMetricFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.GoalMetric

    project = factory.SubFactory(ProjectFactory)
    metric = "24小时内闭环的投诉占比"
    unit = "%"
    baseline = Decimal("45")
    target = Decimal("80")
    target_date = date(2026, 9, 30)


class SubGoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.SubGoal

    participation = factory.SubFactory(ProjectDepartmentFactory)
    project = factory.SelfAttribute("participation.project")
    description = "售后部每日10点前完成投诉分类"
    metric = "当日投诉分类完成率"
    unit = "%"
    target = Decimal("100")
    recurrence = Recurrence.DAILY
    at_time = factory.LazyFunction(lambda: datetime(2026, 1, 1, 10, 0).time())


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Task

    responsible = factory.SubFactory(ProjectDepartmentFactory)
    project = factory.SelfAttribute("responsible.project")
    code = factory.Sequence(lambda n: f"T{n + 1:02d}")
    title = "客户痛点收集"
    description = "整理近3个月TOP10客户投诉"
    owner = factory.SelfAttribute("responsible.liaison")
    created_by = factory.SelfAttribute("owner")
    delivery_standard = "痛点清单覆盖TOP10投诉，经产品部确认"
    deliverable = "客户痛点清单"
    planned_start = date(2026, 9, 21)
    planned_finish = date(2026, 10, 16)


class RaciCellFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.RaciCell

    task = factory.SubFactory(TaskFactory)
    participation = factory.SubFactory(
        ProjectDepartmentFactory, project=factory.SelfAttribute("..task.project")
    )
    role = "C"


class CommunicationPlanEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.CommunicationPlanEntry

    project = factory.SubFactory(ProjectFactory)
    scenario = CommScenario.DECISION
    channel = CommChannel.WEEKLY_MEETING
    frequency = CommFrequency.WEEKLY
    weekdays = factory.LazyFunction(lambda: [0])
    at_time = factory.LazyFunction(lambda: datetime(2026, 1, 1, 10, 0).time())
    output = CommOutput.WEEKLY_LIST
    owner = factory.SelfAttribute("project.lead")
    meeting_kind = "regular"


class ChangeRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.ChangeRequest

    project = factory.SubFactory(ProjectFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = "开发测试延期5天"
    aspects = ["dates"]
    description = "技术部开发测试计划完成日由8月20日改为8月25日"
    reason = "开发资源不足，需增加2名开发人员或延期5天"
    impact = "上线日期顺延5天"
    requested_by = factory.SelfAttribute("project.lead")
    requesting_department = factory.SelfAttribute("project.initiating_department")


class DeliverableFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Deliverable

    responsible = factory.SubFactory(ProjectDepartmentFactory)
    project = factory.SelfAttribute("responsible.project")
    name = "客户痛点清单（V1.2）"
    delivery_standard = "覆盖近3个月TOP10投诉"


class RetrospectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Retrospective

    project = factory.SubFactory(ProjectFactory, status=ProjectStatus.CLOSING)
    summary = "项目按期上线，投诉处理时长达标"


class LessonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Lesson

    title = "需求变更需及时同步技术部"
    lesson = "需求变更未同步技术部导致返工，增加需求变更评审会"
    author = factory.SubFactory(PersonFactory)


def project_rows(personas: Personas, **overrides) -> m.Project:
    """A project of the personas written as rows (no services): MKT initiates, CS and LOG
    take part; one complete goal metric. For model-level tests and set-ups of changes, deliverables and the close."""
    project = ProjectFactory(
        initiating_department=personas.mkt, lead=personas.mkt_head, created_by=personas.mkt_head, **overrides
    )
    ProjectDepartmentFactory(
        project=project, department=personas.mkt, liaison=personas.mkt_staff, is_initiating=True
    )
    ProjectDepartmentFactory(project=project, department=personas.cs, liaison=personas.cs_liaison, position=1)
    ProjectDepartmentFactory(project=project, department=personas.log, liaison=personas.log_head, position=2)
    GoalMetricFactory(project=project)
    return project


def part(project: m.Project, department) -> m.ProjectDepartment:
    return project.departments.get(department=department)


def days(n: int) -> timedelta:
    return timedelta(days=n)


# --- through the services -------------------------------------------------------------------


def charter_data(personas: Personas, **overrides) -> dict:
    """The charter of the seeds' example [002]: complaint handling cut from 48 h to 24 h."""
    data = {
        "name": "客户投诉快速响应",
        "initiating_department": personas.mkt.pk,
        "background": "为提升客户满意度，解决售后响应慢问题",
        "core_goal": "2026年Q4末，实现80%的投诉在24小时内闭环，客户满意度评分提升至4.5分（满分5分）",
        "expected_outcomes": "投诉处理流程标准化；投诉分类与技术排查时限明确",
        "planned_start": "2026-09-21",
        "planned_finish": "2026-12-31",
        "participants": [
            {
                "department": personas.mkt.pk,
                "liaison": personas.mkt_staff.pk,
                "duties": "统筹协调、周进度清单",
            },
            {
                "department": personas.cs.pk,
                "liaison": personas.cs_liaison.pk,
                "duties": "投诉接收、初步分类、客户反馈",
            },
            {
                "department": personas.log.pk,
                "liaison": personas.log_head.pk,
                "duties": "物流问题排查与赔付配合",
            },
        ],
        "goal_metrics": [
            {
                "metric": "24小时内闭环的投诉占比",
                "unit": "%",
                "baseline": "45",
                "target": "80",
                "target_date": "2026-12-31",
            },
            {
                "metric": "客户满意度评分",
                "unit": "分",
                "baseline": "3.8",
                "target": "4.5",
                "target_date": "2026-12-31",
            },
        ],
    }
    data.update(overrides)
    return data


def draft_project(personas: Personas, **overrides) -> m.Project:
    from crossdesk.projects.services import charter

    return charter.project_create(actor=personas.mkt_head.user, data=charter_data(personas, **overrides))


def add_task(personas: Personas, project: m.Project, **overrides) -> m.Task:
    from crossdesk.projects.services import tasks

    data = {
        "title": "客户痛点收集",
        "description": "整理近3个月TOP10客户投诉",
        "responsible": personas.cs.pk,
        "owner": personas.cs_staff.pk,
        "delivery_standard": "痛点清单覆盖TOP10投诉，经市场部确认",
        "deliverable": "客户痛点清单",
        "planned_start": "2026-09-28",
        "planned_finish": "2026-10-16",
        "accountable": personas.mkt.pk,
        "collaborators": [personas.log.pk],
    }
    data.update(overrides)
    return tasks.task_create(actor=personas.mkt_head.user, project_id=project.pk, data=data)


def signed_kickoff(personas: Personas, project: m.Project):
    """A kickoff meeting of the project's departments whose minutes are final (signed by
    the MKT, CS and LOG heads), built through the meetings services."""
    from crossdesk.meetings import services as ms
    from crossdesk.meetings.models import Meeting

    start = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0) - timedelta(days=1)
    lead = personas.mkt_head.user
    with time_machine.travel(timezone.now() - timedelta(days=21), tick=False):
        meeting = ms.meeting_create_draft(
            actor=lead,
            data={
                "title": f"{project.name}启动会",
                "kind": "kickoff",
                "starts_at": start,
                "ends_at": start + timedelta(hours=1),
                "place": "3楼第一会议室",
                "background": project.background,
                "goal": project.core_goal,
                "agenda": [{"topic": "目标与职责分工", "presenter": "王芳", "duration": 60}],
                "participants": [
                    {"department": p.department_id, "people": [p.liaison_id], "representative": p.liaison_id}
                    for p in project.departments.all()
                ],
            },
        )
        ms.meeting_send_notice(actor=lead, meeting_id=meeting.pk)
    ms.meeting_mark_held(actor=lead, meeting_id=meeting.pk)
    ms.minutes_save(actor=lead, meeting_id=meeting.pk, data={"consensus": ["各部门职责分工确认"]})
    ms.minutes_circulate(actor=lead, meeting_id=meeting.pk)
    for p in project.departments.select_related("liaison"):
        ms.minutes_confirm(actor=p.liaison.user, meeting_id=meeting.pk)
    for head in (personas.mkt_head, personas.cs_head, personas.log_head):
        ms.minutes_sign(actor=head.user, meeting_id=meeting.pk)
    return Meeting.objects.get(pk=meeting.pk)


def running_project(personas: Personas, **overrides) -> m.Project:
    """A project kicked off with a meeting whose minutes are final, so it runs."""
    from crossdesk.projects.services import charter

    project = draft_project(personas, **overrides)
    meeting = signed_kickoff(personas, project)
    charter.project_schedule_kickoff(
        actor=personas.mkt_head.user, project_id=project.pk, data={"meeting": meeting.pk}
    )
    return m.Project.objects.get(pk=project.pk)


def running(personas) -> m.Project:
    return running_project(personas)


def running_with_task(personas, **task) -> tuple[m.Project, m.Task]:
    """A running project with the seeds' task: CS responsible (owner 赵磊), MKT accountable."""
    project = running_project(personas)
    # Departments by code: the task service reads a number as a participation id
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
