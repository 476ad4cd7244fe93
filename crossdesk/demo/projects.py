"""Five demo cross-department projects, one in every phase, drawn from the seeds' examples
(SPEC §5 [002][003][004]):

- 报销流程优化 (finance, IT, HR, administration): run, delivered, retrospective with lessons
  in the knowledge base, closed and archived;
- 投诉处理时长缩短至24小时 (customer service, R&D, IT, legal) and 智能客服系统上线 (IT,
  customer service, R&D, data operations): running, with tasks in every health (done early,
  on track, behind, blocked with an open 48-hour coordination, overdue), RACI (one task
  without an A, flagged), sub-goals with progress, communication plans with weekly and daily
  rows and their meetings, weekly progress lists, one approved change request (a new plan
  version) and one pending, one deliverable accepted and one sent back for rework;
- 新品上市 (marketing, R&D, production, sales, customer service): kicked off, its kickoff
  meeting called, minutes not yet final;
- 经营数据模板统一 (data operations, marketing, sales, finance): a draft charter whose goal is
  not yet SMART, so its page says what is missing.

Like the demo requests and meetings, everything is replayed through the real services at
moments in the past (``Replay.at``), all projects' steps in one time order together with the
periodic jobs (task health, communication-plan meetings, weekly lists), so numbers, clocks,
histories and notifications are what the product would have produced. Offsets are working
days relative to the day the demo is loaded. Loading is idempotent: once a project exists,
nothing is added.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from crossdesk.core.errors import ApplicationError
from crossdesk.deadlines.services import sweep
from crossdesk.meetings import services as meeting_services
from crossdesk.meetings.models import Meeting
from crossdesk.org.models import Department, Person
from crossdesk.projects import flows as project_flows
from crossdesk.projects.choices import CoordinationStatus
from crossdesk.projects.models import (
    ChangeRequest,
    CommunicationOccurrence,
    Coordination,
    Deliverable,
    GoalMetric,
    Project,
    SubGoal,
    Task,
)
from crossdesk.projects.rules import expected_progress
from crossdesk.projects.services import changes, charter, close, delivery, reports, tasks, tracking

from .replay import Replay

PLACES = ["总部A座3楼第一会议室", "总部B座5楼大会议室", "研发中心2楼评审室"]
PDF = b"%PDF-1.4\n% Crossdesk demo evidence\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def demo_projects_exist() -> bool:
    return Project.objects.exists()


# --- what each project is made of ----------------------------------------------------------


@dataclass(frozen=True)
class TaskSpec:
    code: str
    title: str
    description: str
    r: str  # the ONE responsible department
    a: str | None  # accountable (None: flagged on the RACI grid)
    c: tuple[str, ...]
    i: tuple[str, ...]
    start: int  # working days from the load day
    finish: int
    fate: str  # done_early, done, on_track, behind, blocked, overdue, future, planned
    standard: str
    deliverable: str = ""
    owner: str = "member"  # "liaison" or "member" of the responsible department
    notes: tuple[str, ...] = ()
    first_finish: int | None = None  # the finish planned before an approved change moved it


@dataclass
class ProjectSpec:
    key: str
    lead: str  # username or "head:CODE"
    initiating: str
    name: str
    background: str
    core_goal: str
    expected_outcomes: str
    participants: list[tuple[str, str]]  # (code, duties); liaison is the department's default
    metrics: list[dict]
    created: int
    start: int | None
    finish: int | None
    tasks: list[TaskSpec]
    liaisons: dict[str, str] = field(default_factory=dict)  # code → username


NOTES = [
    "已与相关部门对齐需求，按计划推进。",
    "完成阶段性成果，已在项目群同步。",
    "本周完成主要工作，下周进入评审。",
    "进展正常，暂无风险。",
]


# --- the replay ---------------------------------------------------------------------------------


class ProjectReplay(Replay):
    def __init__(self, departments, rng, now, stdout=None):
        super().__init__(departments, rng, now)
        self.today = self.calendar.local_date(now)
        self.steps: list[tuple[datetime, int, Callable[[], None]]] = []
        self.ids: dict[str, int] = {}
        self.stdout = stdout
        self.failed: list[str] = []
        self.people = {
            p.user.username: p for p in Person.objects.filter(user__isnull=False).select_related("user")
        }

    # time
    def wd(self, n: int) -> date:
        return self.working_day(self.today, n)

    def m(self, n: int, hour: int, minute: int = 0) -> datetime:
        return self.local(self.wd(n), hour, minute)

    def step(self, moment: datetime, fn: Callable[[], None], what: str = "") -> None:
        fn.what = what  # type: ignore[attr-defined]
        self.steps.append((moment, len(self.steps), fn))

    # people
    def person(self, who: str) -> Person:
        if who.startswith("head:"):
            return self.departments[who[5:]].head
        if who.startswith("liaison:"):
            return self.liaison(who[8:])
        return self.people[who]

    def user(self, who: str):
        return self.person(who).user

    def project_id(self, key: str) -> int:
        return self.ids[key]

    def task_id(self, key: str, code: str) -> int:
        return Task.objects.filter(project_id=self.ids[key], code=code).values_list("pk", flat=True).get()

    # --- running the story ----------------------------------------------------------------------

    def run(self) -> int:
        done = 0
        for moment, _n, fn in sorted(self.steps, key=lambda s: (s[0], s[1])):
            if moment > self.now:
                continue  # the story has not got there yet
            try:
                with transaction.atomic(), self.at(moment):
                    fn()
                done += 1
            except ApplicationError as exc:  # loud, but the rest of the demo goes ahead
                message = (
                    f"{timezone.localtime(moment):%Y-%m-%d %H:%M} {getattr(fn, 'what', '')}: {exc.message}"
                )
                self.failed.append(message)
                if self.stdout:
                    self.stdout.write(f"  ✗ {message}")
        return done

    # --- periodic jobs, as the scheduler would have run them ----------------------------------------

    def jobs(self, first: int, last: int) -> None:
        for n in range(first, last + 1):
            day = self.wd(n)
            self.step(self.local(day, 8, 30), lambda: tracking.tracking_refresh(), "job: task health")
            self.step(
                self.local(day, 8, 35), lambda: project_flows.comm_generate_all(), "job: communication plan"
            )
            self.step(self.local(day, 17, 30), lambda: reports.weekly_reports_due(), "job: weekly lists")

    # --- the charter ------------------------------------------------------------------------------

    def charter(self, spec: ProjectSpec) -> None:
        lead = self.person(spec.lead)

        def create() -> None:
            participants = []
            for code, duties in spec.participants:
                liaison = self.person(spec.liaisons[code]) if code in spec.liaisons else self.liaison(code)
                participants.append({"department": code, "liaison": liaison.pk, "duties": duties})
            data = {
                "name": spec.name,
                "initiating_department": spec.initiating,
                "background": spec.background,
                "core_goal": spec.core_goal,
                "expected_outcomes": spec.expected_outcomes,
                "planned_start": self.wd(spec.start) if spec.start is not None else None,
                "planned_finish": self.wd(spec.finish) if spec.finish is not None else None,
                "participants": participants,
                "goal_metrics": [
                    {**row, "target_date": self.wd(row["target_date"]) if row.get("target_date") else None}
                    for row in spec.metrics
                ],
            }
            project = charter.project_create(actor=lead.user, data=data)
            self.ids[spec.key] = project.pk

        self.step(self.m(spec.created, 9, 30), create, f"{spec.key}: charter")

        def add_tasks() -> None:
            for t in spec.tasks:
                data = {
                    "code": t.code,
                    "title": t.title,
                    "description": t.description,
                    "responsible": t.r,
                    "owner": self.owner_of(spec, t).pk,
                    "delivery_standard": t.standard,
                    "deliverable": t.deliverable,
                    "planned_start": self.wd(t.start),
                    "planned_finish": self.wd(t.finish if t.first_finish is None else t.first_finish),
                    "collaborators": list(t.c),
                    "informed": list(t.i),
                }
                if t.a:
                    data["accountable"] = t.a
                tasks.task_create(actor=lead.user, project_id=self.ids[spec.key], data=data)

        self.step(self.m(spec.created, 10, 30), add_tasks, f"{spec.key}: responsibility table")

    def owner_of(self, spec: ProjectSpec, t: TaskSpec) -> Person:
        if t.owner == "liaison":
            return self.person(spec.liaisons[t.r]) if t.r in spec.liaisons else self.liaison(t.r)
        if t.owner != "member":
            return self.person(t.owner)
        department = self.departments[t.r]
        people = sorted(
            (p for p in department.members.all() if p.user_id and p.pk != department.head_id),
            key=lambda p: p.employee_no,
        )
        return people[sum(map(ord, t.code + spec.key)) % len(people)]

    def sub_goals(self, spec: ProjectSpec, day: int, rows: list[dict]) -> None:
        lead = self.person(spec.lead)

        def add() -> None:
            for row in rows:
                data = {k: v for k, v in row.items() if k != "progress"}
                if isinstance(data.get("deadline"), int):
                    data["deadline"] = self.wd(data["deadline"])
                charter.sub_goal_create(actor=lead.user, project_id=self.ids[spec.key], data=data)

        self.step(self.m(day, 11), add, f"{spec.key}: sub-goals")

    def sub_goal_progress(
        self, spec: ProjectSpec, description: str, weeks: list[tuple[int, str, str]]
    ) -> None:
        """(working day of the week's report, value, note) — recorded by the department's liaison."""
        for n, value, note in weeks:

            def record(n=n, value=value, note=note) -> None:
                goal = SubGoal.objects.select_related("participation__liaison__user").get(
                    project_id=self.ids[spec.key], description=description
                )
                end = self.wd(n)
                charter.sub_goal_record_progress(
                    actor=goal.participation.liaison.user, sub_goal_id=goal.pk, value=value,
                    period_start=end - timedelta(days=end.weekday()), period_end=end, note=note,
                )  # fmt: skip

            self.step(self.m(n, 17, 10), record, f"{spec.key}: sub-goal progress")

    def goal_values(self, spec: ProjectSpec, metric: str, values: list[tuple[int, str]]) -> None:
        lead = self.person(spec.lead)
        for n, value in values:

            def record(n=n, value=value) -> None:
                row = GoalMetric.objects.get(project_id=self.ids[spec.key], metric=metric)
                charter.goal_metric_record(
                    actor=lead.user, metric_id=row.pk, value=value, measured_on=self.wd(n),
                    note="数据运营部周度统计口径",
                )  # fmt: skip

            self.step(self.m(n, 17, 20), record, f"{spec.key}: goal value")

    def comm_entry(self, spec: ProjectSpec, day: int, data: dict, *, hour: int = 14) -> None:
        lead = self.person(spec.lead)

        def add() -> None:
            row = dict(data)
            for name in ("first_date", "last_date"):
                if isinstance(row.get(name), int):
                    row[name] = self.wd(row[name])
            if row.get("owner") and not isinstance(row["owner"], int):
                row["owner"] = self.person(row["owner"]).pk
            project_flows.comm_entry_create(actor=lead.user, project_id=self.ids[spec.key], data=row)

        self.step(self.m(day, hour), add, f"{spec.key}: communication plan")

    def hold_occurrences(
        self, spec: ProjectSpec, scenario_detail: str, days: list[date], minutes: list[str]
    ) -> None:
        """The plan's past meetings took place, their minutes final."""
        for day in days:

            def meeting_of(day=day) -> int | None:
                occurrence = CommunicationOccurrence.objects.filter(
                    project_id=self.ids[spec.key], entry__scenario_detail=scenario_detail, on_date=day
                ).first()
                return occurrence.meeting_id if occurrence and occurrence.status == "scheduled" else None

            start = OCCURRENCE_TIMES.get(scenario_detail, (10, 0))
            self.minutes_final(meeting_of, self.local(day, *start), minutes, f"{spec.key}: {scenario_detail}")

    # --- meetings ----------------------------------------------------------------------------------

    def minutes_final(
        self, meeting_of: Callable[[], int | None], start: datetime, consensus: list[str], what: str,
        discussion: list[dict] | None = None,
    ) -> None:  # fmt: skip
        """Held, minutes written, circulated, confirmed by every department and signed by
        every head (the next working morning)."""
        state: dict = {}

        def held() -> None:
            state["id"] = meeting_of()
            if state["id"]:
                meeting = Meeting.objects.select_related("recorder__user").get(pk=state["id"])
                meeting_services.meeting_mark_held(actor=meeting.recorder.user, meeting_id=meeting.pk)

        def written() -> None:
            if state.get("id"):
                meeting = Meeting.objects.select_related("recorder__user").get(pk=state["id"])
                data = {"consensus": consensus}
                if discussion:
                    data["discussion"] = discussion
                meeting_services.minutes_save(actor=meeting.recorder.user, meeting_id=meeting.pk, data=data)
                meeting_services.minutes_circulate(actor=meeting.recorder.user, meeting_id=meeting.pk)

        def confirmed() -> None:
            if state.get("id"):
                for part in Meeting.objects.get(pk=state["id"]).departments.select_related(
                    "representative__user"
                ):
                    meeting_services.minutes_confirm(
                        actor=part.representative.user,
                        meeting_id=state["id"],
                        department_id=part.department_id,
                    )

        def signed() -> None:
            if state.get("id"):
                for part in Meeting.objects.get(pk=state["id"]).departments.select_related(
                    "department__head__user"
                ):
                    meeting_services.minutes_sign(
                        actor=part.department.head.user,
                        meeting_id=state["id"],
                        department_id=part.department_id,
                    )

        self.step(start + timedelta(minutes=3), held, f"{what}: held")
        self.step(self.working_moment(start, 1.5), written, f"{what}: minutes circulated")
        self.step(self.working_moment(start, 3.5), confirmed, f"{what}: minutes confirmed")
        self.step(self.working_moment(start, 6), signed, f"{what}: minutes signed")

    def kickoff(self, spec: ProjectSpec, scheduled: int, held: int | None, hour: int = 14) -> None:
        lead = self.person(spec.lead)
        start = self.m(scheduled, 10)
        meeting_at = self.m(held if held is not None else scheduled + 4, hour)

        def schedule() -> None:
            project = Project.objects.get(pk=self.ids[spec.key])
            charter.project_schedule_kickoff(
                actor=lead.user, project_id=project.pk, version=project.version,
                data={"starts_at": meeting_at, "ends_at": meeting_at + timedelta(minutes=90),
                      "place": PLACES[0]},
            )  # fmt: skip

        self.step(start, schedule, f"{spec.key}: kickoff scheduled")
        if held is None:
            return
        self.minutes_final(
            lambda: Project.objects.get(pk=self.ids[spec.key]).kickoff_meeting_id,
            meeting_at,
            [
                "项目目标、里程碑与职责分工以本次会议确认的项目计划为准。",
                "各部门指定1名对接负责人，避免多头对接。",
                "按沟通计划召开周例会，输出《周进度清单》；重大风险召开专项沟通会。",
            ],
            f"{spec.key}: kickoff",
            discussion=[
                {"topic": "协作背景与目标", "points": spec.core_goal},
                {
                    "topic": "部门职责分工",
                    "points": "；".join(f"{self.departments[c].name}：{d}" for c, d in spec.participants),
                },
            ],
        )

    # --- tracking -----------------------------------------------------------------------------------

    def expected(self, t: TaskSpec, day: date, finish: date | None = None) -> int:
        return expected_progress(
            planned_start=self.wd(t.start), planned_finish=finish or self.wd(t.finish), today=day,
            is_working_day=self.calendar.is_working_day,
        )  # fmt: skip

    def progress(
        self, spec: ProjectSpec, t: TaskSpec, runs: int, *, finish_before: tuple[int, int] | None = None
    ):
        """The owner's updates so the task reaches its fate today. ``finish_before`` = (the
        working day a change moved the finish, the finish before it)."""
        owner = self.owner_of(spec, t)
        first = max(t.start, runs)  # the first report the day the task starts
        if t.fate in ("future", "planned"):
            return
        if t.fate in ("done_early", "done", "reworked"):
            end = t.finish - 2 if t.fate in ("done_early",) else t.finish
            if t.fate == "reworked":
                end = -3
        elif t.fate == "behind":
            end = -6
        elif t.fate == "overdue":
            end = t.finish - 2
        else:
            end = -2
        days = list(range(first, end, 3))
        notes = list(t.notes) or NOTES
        for k, n in enumerate(days):
            day = self.wd(n)
            finish = None
            if finish_before and n < finish_before[0]:
                finish = self.wd(finish_before[1])
            if t.fate == "behind" and n == days[-1]:
                value = max(5, self.expected(t, day, finish))
            else:
                value = self.expected(t, self.wd(n + 4), finish) + 5
            value = max(5, min(90 if t.fate == "overdue" else 95, (value + 4) // 5 * 5))
            if t.fate == "overdue":
                value = min(value, 80)
            note = notes[k % len(notes)]

            def update(value=value, note=note, code=t.code) -> None:
                task = Task.objects.get(pk=self.task_id(spec.key, code))
                if value <= task.progress:
                    return  # never report going backwards
                tracking.task_update_progress(actor=owner.user, task_id=task.pk, progress=value, note=note)

            self.step(self.m(n, 17), update, f"{spec.key}/{t.code}: progress")
        if t.fate in ("done_early", "done", "reworked"):

            def finish_task(n=end, code=t.code) -> None:
                tracking.task_update_progress(
                    actor=owner.user, task_id=self.task_id(spec.key, code), progress=100, actual_finish=self.wd(n),
                    note=f"已完成，{t.deliverable or '成果'}已提交。",
                )  # fmt: skip

            self.step(self.m(end, 16), finish_task, f"{spec.key}/{t.code}: done")

    def problem(
        self, spec, code: str, day: int, hour: int, description: str, support: str, who: Person
    ) -> None:
        def report() -> None:
            tracking.task_report_problem(
                actor=who.user, task_id=self.task_id(spec.key, code), description=description, blocking=True,
                support_needed=support,
            )  # fmt: skip

        self.step(self.m(day, hour), report, f"{spec.key}/{code}: blocking problem")

    def call_coordination(self, spec, code: str, day: int, meeting_day: int, meeting_hour: int = 10) -> None:
        lead = self.person(spec.lead)

        def call() -> None:
            coordination = Coordination.objects.get(
                task_id=self.task_id(spec.key, code), status=CoordinationStatus.OPEN
            )
            starts = self.m(meeting_day, meeting_hour)
            tracking.coordination_schedule_meeting(
                actor=lead.user, coordination_id=coordination.pk,
                data={"starts_at": starts, "ends_at": starts + timedelta(hours=1), "place": PLACES[1]},
            )  # fmt: skip

        self.step(self.m(day, 16, 10), call, f"{spec.key}/{code}: coordination meeting called")

    # --- deliverables ---------------------------------------------------------------------------------

    def deliverable(self, spec, code: str, day: int, hour: int, name: str, file: str, reviewer: str,
                    review_day: int, decision: str, comment: str) -> None:  # fmt: skip
        t = next(t for t in spec.tasks if t.code == code)
        owner = self.owner_of(spec, t)

        def submit() -> None:
            item = delivery.deliverable_create(
                actor=owner.user, task_id=self.task_id(spec.key, code), data={"name": name}
            )
            delivery.deliverable_submit(
                actor=owner.user, deliverable_id=item.pk,
                files=[SimpleUploadedFile(file, PDF, content_type="application/pdf")],
                note="请按交付标准验收。", kind="report",
            )  # fmt: skip

        def review() -> None:
            item = Deliverable.objects.get(project_id=self.ids[spec.key], name=name)
            if decision == "accepted":
                delivery.deliverable_accept(
                    actor=self.user(reviewer), deliverable_id=item.pk, comment=comment
                )
            else:
                delivery.deliverable_return(
                    actor=self.user(reviewer), deliverable_id=item.pk, comment=comment
                )

        self.step(self.m(day, hour, 30), submit, f"{spec.key}/{code}: deliverable submitted")
        self.step(self.m(review_day, 11), review, f"{spec.key}/{code}: deliverable {decision}")


OCCURRENCE_TIMES: dict[str, tuple[int, int]] = {
    "周例会：进度与问题决策": (10, 0),
    "风险排查会": (15, 0),
    "每周三例会": (15, 0),
}


# --- the five projects ------------------------------------------------------------------------------


def reimbursement() -> ProjectSpec:
    """[004]-style process change, closed and archived."""
    return ProjectSpec(
        key="D", lead="zhoumin", initiating="FIN", name="财务报销流程优化",
        background="现行纸质报销平均耗时7个工作日，审批环节多达5级，员工满意度低，季度末报销高峰期积压严重。",
        core_goal="报销平均处理时长由7个工作日缩短至3个工作日，线上报销占比达到95%。",
        expected_outcomes="OA线上报销流程上线（审批压缩为3级、电子发票自动验真查重）；新版差旅标准发布；过渡期收单安排落地。",
        participants=[("FIN", "流程规则制定、统筹推进"), ("IT", "OA流程改造与发票查验接口"),
                      ("HR", "差旅标准修订与制度衔接"), ("ADM", "过渡期纸质单据收单")],
        metrics=[{"metric": "报销平均处理时长", "unit": "工作日", "baseline": "7", "target": "3", "target_date": -40},
                 {"metric": "线上报销占比", "unit": "%", "baseline": "0", "target": "95", "target_date": -40}],
        created=-82, start=-75, finish=-42,
        tasks=[
            TaskSpec("T01", "报销审批规则梳理", "审批环节由5级压缩为3级，单笔5000元以下由部门负责人终审。", "FIN", "IT", ("HR",), ("ADM",),
                     -74, -68, "done", "审批规则明细经财务部、技术部确认", "报销审批规则明细", owner="liaison"),
            TaskSpec("T02", "OA报销流程改造与电子发票验真", "OA中实现线上审批与电子发票自动验真查重，对接税务发票查验接口。", "IT", "FIN", ("ADM",), ("HR",),
                     -68, -50, "done", "流程上线且验真准确率100%，通过财务部验收", "OA报销流程上线验收报告"),
            TaskSpec("T03", "差旅标准修订与发布", "同步修订差旅标准，与新流程同步发布。", "HR", "FIN", (), ("ADM",),
                     -66, -55, "done_early", "新版差旅标准经总经理办公室审批后发布", "新版差旅标准"),
            TaskSpec("T04", "过渡期纸质单据收单安排", "过渡期1个月内纸质与线上并行，行政部负责收单。", "ADM", "FIN", (), ("HR",),
                     -60, -52, "done", "收单安排覆盖所有办公地点", "过渡期收单安排"),
        ],
    )  # fmt: skip


def complaints() -> ProjectSpec:
    """[002]: complaint handling time cut from 48 h to 24 h — running, the richest story."""
    return ProjectSpec(
        key="A", lead="liuyang", initiating="CS", name="客户投诉快速响应：处理时长缩短至24小时",
        background="为提升客户满意度，解决售后响应慢问题：客户投诉平均处理时长48小时，技术问题排查无时限，重复投诉占比高。",
        core_goal="实现80%的投诉在24小时内闭环，客户满意度评分提升至4.5分（满分5分）。",
        expected_outcomes="投诉分类与技术排查时限明确；工单系统支持24小时闭环提醒；标准话术经法务合规审核；每周输出《周进度清单》。",
        participants=[("CS", "投诉接收、初步分类、客户反馈"), ("RD", "分析产品缺陷、优化方案制定"),
                      ("IT", "技术问题排查、系统支持"), ("LEG", "法律风险审核、合规建议")],
        liaisons={"CS": "lina"},
        metrics=[{"metric": "24小时内闭环的投诉占比", "unit": "%", "baseline": "45", "target": "80", "target_date": 45},
                 {"metric": "客户满意度评分", "unit": "分", "baseline": "3.8", "target": "4.5", "target_date": 45}],
        created=-40, start=-33, finish=45,
        tasks=[
            TaskSpec("T01", "梳理投诉分类标准与受理流程", "整理近3个月TOP10客户投诉，明确分类口径与受理流程。", "CS", "RD", ("LEG",), ("IT",),
                     -32, -24, "done_early", "分类标准覆盖TOP10投诉类型，经产品部确认", "投诉分类标准V1.0",
                     notes=("已整理近3个月投诉数据，完成初步分类。", "分类口径与产品部对齐中。")),
            TaskSpec("T02", "技术问题排查SLA与升级机制", "明确技术部24小时内输出技术问题结论的规则与超时升级路径。", "IT", "CS", ("RD",), (),
                     -30, -12, "done", "SLA与升级机制经各部门负责人确认", "技术排查SLA说明", owner="liaison"),
            TaskSpec("T03", "投诉工单系统改造（24小时闭环提醒）", "工单系统增加24小时闭环倒计时、超时提醒与升级。", "IT", "CS", ("RD",), ("LEG",),
                     -22, 5, "blocked", "上线后超时提醒准确率100%，通过客服部验收", "工单系统改造上线",
                     notes=("完成需求确认与接口设计。", "倒计时与提醒功能开发中。", "联调测试进行中。"), first_finish=0),
            TaskSpec("T04", "产品缺陷分析与优化方案", "对投诉涉及的产品缺陷做根因分析，每周五前提交优化方案。", "RD", "CS", ("IT",), (),
                     -25, -3, "overdue", "TOP10缺陷均有根因与优化方案，经客服部确认", "产品缺陷分析报告",
                     notes=("完成TOP5缺陷根因分析。", "优化方案初稿完成，待技术部评估。")),
            TaskSpec("T05", "投诉回复标准话术合规审核", "审核投诉回复标准话术与赔付承诺表述，出具合规意见。", "LEG", "CS", ("RD",), (),
                     -12, 3, "reworked", "覆盖全部投诉场景，赔付表述与公司政策一致", "投诉回复标准话术（合规版）", owner="liaison"),
            TaskSpec("T06", "投诉数据日报与满意度回访", "每日汇总投诉清单，闭环后48小时内回访客户满意度。", "CS", "RD", ("IT",), ("LEG",),
                     -20, 12, "on_track", "日报每日10点前发布，回访率不低于90%", "投诉日报与回访记录", owner="lina"),
            TaskSpec("T07", "客服人员培训与考核", "按新流程与话术培训一线客服并考核。", "CS", "LEG", ("RD",), (),
                     2, 12, "future", "一线客服培训覆盖率100%，考核通过率95%以上", "培训考核记录"),
            TaskSpec("T08", "投诉闭环数据看板", "看板展示24小时闭环率、超时工单与满意度趋势。", "IT", "CS", ("RD",), (),
                     -15, 8, "behind", "看板数据与工单系统一致，客服部验收", "投诉闭环数据看板",
                     notes=("完成指标口径确认。", "数据接入开发中。")),
        ],
    )  # fmt: skip


def smart_service() -> ProjectSpec:
    """[003]: the smart customer-service system — running."""
    return ProjectSpec(
        key="B", lead="zhaolei", initiating="IT", name="智能客服系统上线",
        background="客服热线高峰期排队时间长，重复咨询占比约40%，客户满意度78%。需客服部、研发部、技术部、数据运营部协同上线智能客服系统。",
        core_goal="智能客服系统按期上线，客户满意度提升至90%，常见问题自助解决率达到60%。",
        expected_outcomes="需求文档、开发测试、知识库与话术、满意度数据看板全部交付；客服人员完成上线培训。",
        participants=[("IT", "开发测试、系统部署与运维"), ("CS", "收集客户痛点、知识库与话术"),
                      ("RD", "输出需求文档、产品设计"), ("DOP", "满意度数据统计与看板")],
        liaisons={"CS": "lina"},
        metrics=[{"metric": "客户满意度", "unit": "%", "baseline": "78", "target": "90", "target_date": 40},
                 {"metric": "常见问题自助解决率", "unit": "%", "baseline": "0", "target": "60", "target_date": 40}],
        created=-30, start=-23, finish=40,
        tasks=[
            TaskSpec("T01", "收集客户痛点", "整理近3个月TOP10客户投诉。", "CS", None, ("RD",), ("IT",),
                     -23, -16, "done_early", "痛点清单覆盖TOP10投诉", "客户痛点清单（V1.2）", owner="lina"),
            TaskSpec("T02", "输出需求文档", "需求文档需包含用户画像、功能优先级。", "RD", "CS", ("IT",), (),
                     -15, -9, "done", "需求文档包含用户画像、功能优先级，经客服部确认", "需求文档终版"),
            TaskSpec("T03", "开发测试", "完成智能客服系统开发与测试。", "IT", "RD", (), ("CS",),
                     -8, 12, "behind", "功能测试通过，缺陷清零", "测试报告", notes=("开发环境搭建完成。",)),
            TaskSpec("T04", "知识库与话术配置", "整理常见问题知识库与机器人话术。", "CS", "IT", ("DOP",), (),
                     -10, 6, "on_track", "知识库覆盖TOP50常见问题", "知识库与话术"),
            TaskSpec("T05", "满意度数据看板", "统计上线前后满意度与自助解决率。", "DOP", "CS", (), ("IT",),
                     -5, 10, "on_track", "看板口径经客服部确认", "满意度数据看板"),
            TaskSpec("T06", "上线培训与试运行", "客服人员上线培训，试运行2周。", "CS", "IT", ("RD",), ("DOP",),
                     8, 15, "future", "培训覆盖全部一线客服", "培训记录与试运行报告"),
        ],
    )  # fmt: skip


def product_launch(product: str) -> ProjectSpec:
    """[004] XMB-2024-001 style new product launch — kicked off."""
    return ProjectSpec(
        key="C", lead="wangfang", initiating="MKT", name=f"新品{product}上市项目",
        background=f"{product}计划于下季度上市，涉及研发定型、量产爬坡、渠道铺货与客服准备，由市场部牵头跨部门推进。",
        core_goal=f"{product}按期上市，首月销量2万台，渠道铺货覆盖率达到90%。",
        expected_outcomes="关键芯片认证通过；试产良率95%以上；渠道培训与客服知识库在上市前2周完成。",
        participants=[("MKT", "统筹协调、上市推广"), ("RD", "研发定型、芯片认证"), ("PRD", "试产与量产爬坡"),
                      ("SAL", "渠道铺货与培训"), ("CS", "客服知识库与话术")],
        liaisons={"MKT": "zhangwei", "CS": "lina"},
        metrics=[{"metric": "首月销量", "unit": "台", "baseline": "0", "target": "20000", "target_date": 60},
                 {"metric": "渠道铺货覆盖率", "unit": "%", "baseline": "0", "target": "90", "target_date": 45}],
        created=-7, start=3, finish=60,
        tasks=[
            TaskSpec("T01", "关键芯片认证风险评估", "评估认证未通过对量产的影响。", "RD", "MKT", ("PRD",), (),
                     3, 6, "planned", "风险评估报告经市场部确认", "认证风险评估报告"),
            TaskSpec("T02", "试产排期与产能爬坡计划", "输出试产排期与产能爬坡计划。", "PRD", "MKT", ("RD",), ("SAL",),
                     4, 12, "planned", "计划覆盖试产至首批铺货", "试产排期表"),
            TaskSpec("T03", "渠道样机培训计划", "制定渠道样机培训计划并组织培训。", "SAL", "MKT", ("CS",), (),
                     8, 30, "planned", "重点区域渠道培训覆盖100%", "渠道培训计划"),
            TaskSpec("T04", "客服知识库与话术准备", "上市前2周完成客服知识库与话术。", "CS", "MKT", ("RD",), (),
                     20, 40, "planned", "知识库覆盖产品全部功能与常见问题", "客服知识库"),
            TaskSpec("T05", "上市推广方案", "线上线下同步首发的推广方案。", "MKT", "SAL", ("CS",), ("RD",),
                     5, 25, "planned", "方案经销售部确认", "上市推广方案", owner="zhangwei"),
        ],
    )  # fmt: skip


def data_templates() -> ProjectSpec:
    """[002]'s process optimisation, data templates unified — a draft, goal not yet SMART."""
    return ProjectSpec(
        key="E", lead="head:DOP", initiating="DOP", name="经营数据模板统一",
        background="市场部、销售部、财务部各自维护经营数据模板，口径不一，月度经营分析汇总需反复核对。",
        core_goal="统一经营数据模板与指标口径，提升月度经营数据汇总效率。",
        expected_outcomes="统一的经营数据模板与指标字典；各部门按新模板报送。",
        participants=[("DOP", "模板设计与指标字典"), ("MKT", "市场数据口径"), ("SAL", "销售数据口径"), ("FIN", "财务数据口径")],
        metrics=[{"metric": "采用统一模板的经营报表占比", "unit": "%", "baseline": "30"},
                 {"metric": "月度经营数据汇总耗时", "unit": "工作日", "target": "2"}],
        created=-2, start=None, finish=None,
        tasks=[
            TaskSpec("T01", "梳理现有经营数据模板", "收集各部门现有模板与指标口径。", "DOP", "FIN", ("MKT", "SAL"), (),
                     5, 12, "planned", "覆盖全部月度经营报表", "模板清单"),
            TaskSpec("T02", "统一指标字典", "形成统一的指标名称、口径与取数规则。", "DOP", None, ("FIN",), ("MKT", "SAL"),
                     12, 25, "planned", "指标字典经三部门确认", "指标字典V1"),
        ],
    )  # fmt: skip


def weekly_days(replay: ProjectReplay, weekday: int, first: int, last: int) -> list[date]:
    days = []
    day = replay.wd(first)
    while day <= replay.wd(last):
        if day.weekday() == weekday and replay.calendar.is_working_day(day):
            days.append(day)
        day += timedelta(days=1)
    return days


def fridays(replay: ProjectReplay, first: int, last: int) -> list[int]:
    """The last working day of each week in first … last, as working-day offsets."""
    offsets = []
    for n in range(first, last + 1):
        if replay.wd(n + 1).isocalendar()[:2] != replay.wd(n).isocalendar()[:2]:
            offsets.append(n)
    return offsets


def plan(replay: ProjectReplay) -> None:
    r = replay
    # --- D: reimbursement process, closed and archived --------------------------------------------
    d = reimbursement()
    r.charter(d)
    r.comm_entry(d, -81, {"scenario": "progress_sync", "scenario_detail": "每周三例会", "channel": "weekly_meeting",
                          "frequency": "weekly", "weekdays": [2], "at_time": "15:00", "output": "weekly_list", "first_date": -74,
                          "output_detail": "《周进度清单》", "place": PLACES[2], "owner": "zhoumin"})  # fmt: skip
    r.sub_goals(d, -81, [
        {"department": "FIN", "description": "财务部单笔5000元以下报销2个工作日内完成审核", "metric": "2个工作日内审核完成率",
         "unit": "%", "target": "90", "recurrence": "within_hours", "within_hours": 16},
        {"department": "IT", "description": "技术部在上线前完成发票查验接口联调", "metric": "接口联调通过率", "unit": "%",
         "target": "100", "deadline": -52},
    ])  # fmt: skip
    r.kickoff(d, -79, -75)
    for t in d.tasks:
        r.progress(d, t, -74)
    r.hold_occurrences(
        d,
        "每周三例会",
        weekly_days(r, 2, -74, -44),
        ["本周任务按计划推进。", "下周重点：流程联调与差旅标准发布。"],
    )
    r.deliverable(d, "T02", -50, 16, "OA报销流程上线验收报告", "OA报销流程上线验收报告.pdf", "zhoumin", -49, "accepted",
                  "验收通过：审批层级3级，验真查重准确。")  # fmt: skip
    r.sub_goal_progress(
        d,
        "财务部单笔5000元以下报销2个工作日内完成审核",
        [(n, v, "") for n, v in zip(fridays(r, -55, -44), ["72", "85", "93"], strict=False)],
    )
    r.goal_values(d, "报销平均处理时长", [(-60, "6"), (-50, "4.5"), (-45, "2.8")])
    r.goal_values(d, "线上报销占比", [(-60, "20"), (-50, "70"), (-45, "96")])
    lead = r.person("zhoumin")
    r.step(
        r.m(-44, 10),
        lambda: charter.project_start_closing(actor=lead.user, project_id=r.ids["D"]),
        "D: closing",
    )
    retro = {
        "summary": "OA线上报销流程按期上线，报销平均处理时长由7个工作日降至2.8个工作日，线上报销占比96%。",
        "went_well": "启动会明确了唯一责任部门；每周三例会及时暴露接口联调风险；过渡期纸质与线上并行，切换平稳。",
        "to_improve": "审批规则在联调阶段调整两次，技术部获知滞后导致返工约3人日；差旅标准发布与流程上线的时间差引起员工咨询。",
        "lessons": [
            {"title": "需求变更需及时同步技术部", "body": "报销审批规则在联调阶段调整了两次，技术部未及时获知，导致返工约3人日。",
             "recommendation": "增设需求变更评审会，变更当日同步技术部对接人。", "tags": ["需求变更", "沟通机制"],
             "departments": ["FIN", "IT"]},
            {"title": "流程上线前先小范围试点", "body": "先在财务部、行政部试点一周，发现发票查重规则误报后再全员推广，避免了大面积投诉。",
             "recommendation": "流程优化类项目上线前安排1周试点。", "tags": ["流程优化", "试点"], "departments": ["FIN", "ADM"]},
            {"title": "制度发布与系统上线同步", "body": "差旅标准晚于新流程发布3天，员工按旧标准提交被退回。",
             "recommendation": "制度类交付物与系统上线同日发布。", "tags": ["制度衔接"], "departments": ["HR"]},
        ],
    }  # fmt: skip
    r.step(
        r.m(-43, 15),
        lambda: close.retrospective_save(actor=lead.user, project_id=r.ids["D"], data=retro),
        "D: retrospective",
    )
    r.step(
        r.m(-42, 11),
        lambda: close.retrospective_submit(actor=lead.user, project_id=r.ids["D"]),
        "D: retrospective final",
    )
    r.step(
        r.m(-40, 10), lambda: charter.project_archive(actor=lead.user, project_id=r.ids["D"]), "D: archived"
    )

    # --- A: complaints within 24 h, running ----------------------------------------------------------
    a = complaints()
    r.charter(a)
    r.sub_goals(a, -39, [
        {"department": "CS", "description": "售后部每日10点前完成投诉分类", "metric": "当日投诉分类完成率", "unit": "%",
         "target": "100", "recurrence": "daily", "at_time": "10:00"},
        {"department": "IT", "description": "技术部24小时内输出技术问题结论", "metric": "24小时内结论输出率", "unit": "%",
         "target": "95", "recurrence": "within_hours", "within_hours": 24},
        {"department": "RD", "description": "产品部每周五前提交优化方案", "metric": "按时提交的优化方案", "unit": "份",
         "target": "1", "recurrence": "weekly", "weekday": 4},
        {"department": "LEG", "description": "法务部完成标准话术合规审核", "metric": "话术合规审核完成率", "unit": "%",
         "target": "100", "deadline": 3},
    ])  # fmt: skip
    r.comm_entry(a, -38, {"scenario": "decision", "scenario_detail": "周例会：进度与问题决策", "channel": "weekly_meeting",
                          "frequency": "weekly", "weekdays": [0], "at_time": "10:00", "output": "weekly_list", "first_date": -32,
                          "output_detail": "《周进度清单》《问题跟踪表》", "place": PLACES[0], "owner": "liuyang"})  # fmt: skip
    r.comm_entry(a, -38, {"scenario": "risk_warning", "scenario_detail": "风险预警", "channel": "special_meeting",
                          "frequency": "as_needed", "output": "risk_plan", "output_detail": "《风险应对方案》",
                          "participants_note": "风险部门负责人", "owner": "zhaolei"}, hour=15)  # fmt: skip
    r.comm_entry(a, -2, {"scenario": "progress_sync", "scenario_detail": "工单系统联调冲刺站会", "channel": "chat_group",
                         "frequency": "daily", "at_time": "17:00", "duration_minutes": 15, "first_date": 1, "last_date": 10,
                         "output": "chat_record", "output_detail": "群内消息、问题清单", "place": "钉钉项目群（线上）",
                         "owner": "lina"})  # fmt: skip
    r.kickoff(a, -37, -33)
    runs_a = -32
    for t in a.tasks:
        r.progress(a, t, runs_a, finish_before=(-7, 0) if t.code == "T03" else None)
    r.hold_occurrences(
        a,
        "周例会：进度与问题决策",
        weekly_days(r, 0, -32, -1),
        ["上周行动项已逐项核对。", "滞后与阻塞事项按48小时内专项沟通处理。"],
    )
    # T02 blocked for a day: a special coordination meeting decided the measures.
    it_liaison = r.liaison("IT")
    r.problem(
        a,
        "T02",
        -20,
        10,
        "等待研发部提供近3个月产品缺陷数据，排查规则无法定稿。",
        "研发部当日提供缺陷数据",
        it_liaison,
    )
    r.call_coordination(a, "T02", -20, -19)

    def coordination_meeting() -> int | None:
        row = Coordination.objects.filter(task_id=r.task_id("A", "T02")).order_by("opened_at").first()
        return row.meeting_id if row else None

    r.minutes_final(
        coordination_meeting,
        r.m(-19, 10),
        ["研发部当日提供缺陷数据，技术部加派1人，保持原截止日期。"],
        "A/T02: coordination",
    )

    def record_measures() -> None:
        row = Coordination.objects.get(task_id=r.task_id("A", "T02"), status=CoordinationStatus.OPEN)
        tracking.coordination_record(
            actor=r.user("liuyang"), coordination_id=row.pk, meeting=row.meeting_id,
            measures="研发部当日提供近3个月缺陷数据；技术部加派1名工程师参与排查规则编写。",
            owner=r.liaison("RD").pk, new_deadline=r.wd(-12),
        )  # fmt: skip
        problem = row.task.problems.get(resolved_at__isnull=True)
        tracking.task_resolve_problem(
            actor=it_liaison.user, problem_id=problem.pk, resolution="研发部已提供缺陷数据。"
        )

    r.step(r.m(-18, 15), record_measures, "A/T02: measures recorded")
    # T03 blocked now, its 48-hour coordination open, the meeting called for tomorrow.
    r.problem(
        a,
        "T03",
        -1,
        15,
        "工单系统需法务部确认客户隐私字段的脱敏要求，接口开发暂停。",
        "法务部确认脱敏规则",
        it_liaison,
    )
    r.call_coordination(a, "T03", -1, 1)
    # An approved change request (plan version 2): T03 five working days later.
    r.step(r.m(-8, 11), lambda: changes.change_request_raise(actor=it_liaison.user, project_id=r.ids["A"], data={
        "title": "工单系统改造延期5个工作日", "aspects": ["dates", "scope"],
        "description": "T03 投诉工单系统改造计划完成日顺延5个工作日。",
        "reason": "新增24小时闭环超时短信通知需求，开发工作量增加约6人日。",
        "impact": "工单改造完成日顺延5个工作日，不影响项目总体完成时间。",
        "proposal": {"tasks": [{"task": "T03", "planned_finish": r.wd(5).isoformat()}]},
    }), "A: change request")  # fmt: skip

    def approve_a() -> None:
        change = ChangeRequest.objects.get(project_id=r.ids["A"], number=1)
        for approval in change.approvals.select_related("department__head__user"):
            changes.change_request_decide(actor=approval.department.head.user, change_id=change.pk,
                                          decision="approved", comment="同意，需同步客服部调整培训时间。",
                                          department=approval.department_id)  # fmt: skip

    r.step(r.m(-7, 10), approve_a, "A: change approved")
    r.deliverable(a, "T01", -26, 16, "投诉分类标准V1.0", "投诉分类标准V1.0.pdf", "liuyang", -25, "accepted",
                  "分类口径清晰，覆盖TOP10投诉类型，验收通过。")  # fmt: skip
    r.deliverable(a, "T05", -3, 16, "投诉回复标准话术（合规版）", "投诉回复标准话术-合规版.pdf", "liuyang", -1, "returned",
                  "缺少物流延误、退换货两类场景的话术；赔付承诺表述需与销售政策一致，请补充后重新提交。")  # fmt: skip
    weeks = fridays(r, -31, -1)
    for description, values in (
        ("售后部每日10点前完成投诉分类", ["92", "95", "97", "100", "98", "100", "100"]),
        ("技术部24小时内输出技术问题结论", ["78", "84", "88", "91", "93", "95", "96"]),
        ("产品部每周五前提交优化方案", ["1", "1", "0", "1", "1", "0", "1"]),
    ):
        r.sub_goal_progress(a, description, [(n, v, "") for n, v in zip(weeks, values, strict=False)])
    r.goal_values(
        a,
        "24小时内闭环的投诉占比",
        list(zip(weeks, ["51", "56", "60", "63", "66", "69", "71"], strict=False)),
    )
    r.goal_values(
        a, "客户满意度评分", list(zip(weeks, ["3.9", "3.9", "4.0", "4.1", "4.1", "4.2", "4.2"], strict=False))
    )

    # --- B: smart customer service, running -----------------------------------------------------------
    b = smart_service()
    r.charter(b)
    r.sub_goals(b, -29, [
        {"department": "DOP", "description": "数据运营部每周五前输出满意度周报", "metric": "满意度周报", "unit": "份",
         "target": "1", "recurrence": "weekly", "weekday": 4},
        {"department": "CS", "description": "客服部每日17:00前同步当日工单问题", "metric": "当日问题同步率", "unit": "%",
         "target": "100", "recurrence": "daily", "at_time": "17:00"},
    ])  # fmt: skip
    r.comm_entry(b, -29, {"scenario": "risk_warning", "scenario_detail": "风险排查会", "channel": "weekly_meeting",
                          "frequency": "weekly", "weekdays": [4], "at_time": "15:00", "output": "risk_plan", "first_date": -23,
                          "output_detail": "风险清单及应对措施", "place": PLACES[2], "owner": "zhaolei"})  # fmt: skip
    r.comm_entry(b, -29, {"scenario": "progress_sync", "scenario_detail": "日常进度同步", "channel": "chat_group",
                          "frequency": "realtime", "output": "chat_record", "output_detail": "即时通讯群记录",
                          "owner": "lina"}, hour=15)  # fmt: skip
    r.kickoff(b, -28, -24, hour=10)
    for t in b.tasks:
        r.progress(b, t, -23)
    r.hold_occurrences(
        b,
        "风险排查会",
        weekly_days(r, 4, -23, -1),
        ["开发进度滞后风险已登记。", "下周重点：开发测试与知识库配置。"],
    )
    r.deliverable(b, "T02", -9, 16, "需求文档终版", "智能客服需求文档终版.pdf", "lina", -8, "accepted",
                  "用户画像与功能优先级齐全，确认通过。")  # fmt: skip
    weeks_b = fridays(r, -22, -1)
    r.sub_goal_progress(b, "数据运营部每周五前输出满意度周报", [(n, "1", "") for n in weeks_b])
    r.sub_goal_progress(
        b,
        "客服部每日17:00前同步当日工单问题",
        [(n, v, "") for n, v in zip(weeks_b, ["90", "95", "100", "100", "100"], strict=False)],
    )
    r.goal_values(b, "客户满意度", list(zip(weeks_b, ["78", "79", "81", "82", "83"], strict=False)))
    b_it = r.liaison("IT")
    r.step(r.m(-2, 14), lambda: changes.change_request_raise(actor=b_it.user, project_id=r.ids["B"], data={
        "title": "开发测试延期5天", "aspects": ["dates", "resources"],
        "description": "T03 开发测试计划完成日顺延5个工作日，或增加2名开发人员按期完成。",
        "reason": "技术部开发资源不足：需增加2名开发人员或延期5天。",
        "impact": "上线培训与试运行相应顺延5个工作日。", "departments": ["RD"],
        "proposal": {"tasks": [{"task": "T03", "planned_finish": r.wd(17).isoformat()}]},
    }), "B: change request")  # fmt: skip

    def rd_approves() -> None:
        change = ChangeRequest.objects.get(project_id=r.ids["B"], number=1)
        changes.change_request_decide(actor=r.departments["RD"].head.user, change_id=change.pk, decision="approved",
                                      comment="同意顺延，研发部同步调整需求评审排期。", department="RD")  # fmt: skip

    r.step(r.m(-1, 10), rd_approves, "B: RD approves")

    # --- C: new product launch, kicked off -------------------------------------------------------------
    c = product_launch("智能手表W3")
    r.charter(c)
    r.comm_entry(c, -5, {"scenario": "decision", "scenario_detail": "上市周例会", "channel": "weekly_meeting",
                         "frequency": "weekly", "weekdays": [0], "at_time": "10:00", "output": "weekly_list", "first_date": 3,
                         "output_detail": "《周进度清单》", "place": PLACES[1], "owner": "wangfang"})  # fmt: skip
    r.kickoff(c, -3, None)

    # --- E: data templates, a draft ------------------------------------------------------------------------
    r.charter(data_templates())

    r.jobs(-78, -1)


def create_demo_projects(stdout=None) -> int:
    """Replay the demo projects; returns how many were created."""
    began = time.monotonic()
    departments = {
        d.code: d
        for d in Department.objects.select_related("head__user", "default_liaison__user").prefetch_related(
            "members"
        )
    }
    replay = ProjectReplay(departments, random.Random(20261121), timezone.now(), stdout=stdout)
    plan(replay)
    replay.run()
    # The jobs at the real "now": health as of today, meetings 4 weeks ahead, due clocks.
    tracking.tracking_refresh()
    project_flows.comm_generate_all()
    reports.weekly_reports_due()
    swept = sweep()
    if stdout:
        stdout.write(f"  deadline sweep: {swept} ({time.monotonic() - began:.1f} s)")
    return Project.objects.count()
