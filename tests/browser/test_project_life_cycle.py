"""One cross-department project from the charter to the archive, through the pages (SPEC §5):

the lead writes the charter without the SMART parts (the page says what is missing), then
completes it; adds the participating departments with their liaisons; adds two tasks and
gives the second its A in the RACI grid; calls the kickoff meeting. The kickoff minutes are
made final through the meetings services (the meeting browser test covers that round in
the UI) — the project runs. The task's owner reports progress and hands in the deliverable
with its evidence; the lead accepts it. A change request moves the other task's finish; the
head of its department approves it. The lead moves the project to closing, writes the
retrospective with a lesson and submits it (closed), archives it, and finds the lesson in
the knowledge base.

No real-time waits: the kickoff is called a week ahead, and only the service calls that
hold it and sign its minutes run with the clock moved past its start (``time_machine`` in
the test's own thread, while the browser is idle)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from crossdesk.core.testing import make_personas
from crossdesk.meetings import services as meeting_services
from crossdesk.projects import models as m
from crossdesk.projects.choices import ProjectStatus

from .helpers import log_in, log_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def local_input(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def sign_kickoff_minutes(meeting_id: int) -> None:
    """Hold the kickoff, write and circulate its minutes, confirm for every department and
    collect every head's signature — the meetings services, with the clock past its start."""
    meeting = m.Project.objects.get(kickoff_meeting_id=meeting_id).kickoff_meeting
    with time_machine.travel(meeting.starts_at + timedelta(minutes=5), tick=False):
        recorder = meeting.recorder.user
        meeting_services.meeting_mark_held(actor=recorder, meeting_id=meeting_id)
        meeting_services.minutes_save(
            actor=recorder, meeting_id=meeting_id,
            data={"consensus": ["职责分工与里程碑以项目计划为准", "每周一10:00召开周例会"]},
        )  # fmt: skip
        meeting_services.minutes_circulate(actor=recorder, meeting_id=meeting_id)
        parts = list(meeting.departments.select_related("representative__user", "department__head__user"))
        for part in parts:
            meeting_services.minutes_confirm(
                actor=part.representative.user, meeting_id=meeting_id, department_id=part.department_id
            )
        for part in parts:
            meeting_services.minutes_sign(
                actor=part.department.head.user, meeting_id=meeting_id, department_id=part.department_id
            )


def test_a_project_goes_from_the_charter_to_the_knowledge_base(page, screenshot):
    personas = make_personas()
    page.on("dialog", lambda dialog: dialog.accept())
    today = timezone.localdate()

    # --- the charter, first without the SMART parts ----------------------------------------------
    log_in(page, personas.mkt_head.user.username)
    page.goto("/projects/new/")
    form = page.get_by_test_id("charter-form")
    form.locator("[name=name]").fill("客户投诉快速响应")
    form.locator("[name=initiating_department]").select_option(str(personas.mkt.pk))
    form.locator("[name=background]").fill("为提升客户满意度，解决售后响应慢问题")
    form.locator("[name=core_goal]").fill("80%的投诉在24小时内闭环，客户满意度评分提升至4.5分")
    form.locator("[name=m0_metric]").fill("24小时内闭环的投诉占比")
    form.locator("[name=m0_unit]").fill("%")
    form.locator("[name=m0_baseline]").fill("45")
    page.get_by_test_id("save-charter").click()
    page.wait_for_url("**/participants/")
    project = m.Project.objects.get(name="客户投诉快速响应")
    assert project.status == ProjectStatus.DRAFT
    page.goto(f"/projects/{project.pk}/")
    problems = page.get_by_test_id("smart-problem")
    expect(problems.first).to_contain_text("目标值")
    expect(problems.first).to_contain_text("目标日期")
    expect(page.get_by_test_id("kickoff-problem").first).to_be_visible()

    # --- participants, each with its one liaison -------------------------------------------------
    page.goto(f"/projects/{project.pk}/participants/")
    for department, liaison, duties in (
        (personas.cs, personas.cs_liaison, "投诉接收、初步分类、客户反馈"),
        (personas.log, personas.log_head, "物流问题排查与赔付配合"),
    ):
        form = page.get_by_test_id("participant-form")
        form.locator("[name=department]").select_option(str(department.pk))
        form.locator("[name=liaison]").select_option(str(liaison.pk))
        form.locator("[name=duties]").fill(duties)
        form.get_by_test_id("submit-participant").click()
        expect(page.get_by_test_id("participant-row").filter(has_text=department.name)).to_contain_text(
            liaison.name
        )
    expect(page.get_by_test_id("participant-row")).to_have_count(3)

    # --- the goal completed: no SMART problem left -----------------------------------------------------
    page.goto(f"/projects/{project.pk}/edit/")
    form = page.get_by_test_id("charter-form")
    form.locator("[name=planned_start]").fill(today.isoformat())
    form.locator("[name=planned_finish]").fill((today + timedelta(days=90)).isoformat())
    form.locator("[name=m0_target]").fill("80")
    form.locator("[name=m0_target_date]").fill((today + timedelta(days=90)).isoformat())
    page.get_by_test_id("save-charter").click()
    page.wait_for_url(f"**/projects/{project.pk}/")
    expect(page.get_by_test_id("smart-problem")).to_have_count(0)
    expect(page.get_by_test_id("kickoff-problem")).to_have_count(0)

    # --- the responsibility table, then the RACI grid -----------------------------------------------------
    tasks = [
        ("客户痛点收集", personas.cs, personas.cs_staff, str(personas.mkt.pk), 0, 20),
        ("物流投诉排查", personas.log, None, "", 5, 30),
    ]
    for title, department, owner, accountable, start, finish in tasks:
        page.goto(f"/projects/{project.pk}/tasks/new/")
        form = page.get_by_test_id("task-form")
        form.locator("[name=title]").fill(title)
        form.locator("[name=responsible]").select_option(str(department.pk))
        if owner:
            form.locator("[name=owner]").select_option(str(owner.pk))
        form.locator("[name=accountable]").select_option(accountable)
        form.locator("[name=delivery_standard]").fill("覆盖近3个月TOP10投诉，经市场部确认")
        form.locator("[name=deliverable]").fill(f"{title}清单")
        form.locator("[name=planned_start]").fill((today + timedelta(days=start)).isoformat())
        form.locator("[name=planned_finish]").fill((today + timedelta(days=finish)).isoformat())
        page.get_by_test_id("save-task").click()
        page.wait_for_url(lambda url: "/tasks/new/" not in url)
    first, second = m.Task.objects.filter(project=project).order_by("code")
    page.goto(f"/projects/{project.pk}/raci/")
    row = page.locator(f"#raci-{second.pk}")
    expect(row.get_by_test_id("no-a")).to_be_visible()  # flagged: the task has no A
    row.get_by_label(personas.mkt.name).select_option("A")
    expect(page.locator(f"#raci-{second.pk}").get_by_test_id("no-a")).to_have_count(0)
    page.locator(f"#raci-{second.pk}").get_by_label(personas.cs.name).select_option("C")
    expect(page.locator(f"#raci-{second.pk}").get_by_label(personas.cs.name)).to_have_value("C")
    screenshot("project-raci")

    # --- the kickoff --------------------------------------------------------------------------------------
    starts = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0) + timedelta(days=7)
    page.goto(f"/projects/{project.pk}/")
    page.get_by_test_id("action-kickoff").click()
    card = page.get_by_test_id("form-kickoff")
    card.locator("[name=starts_at]").fill(local_input(starts))
    card.locator("[name=ends_at]").fill(local_input(starts + timedelta(minutes=90)))
    card.locator("[name=place]").fill("总部A座3楼第一会议室")
    card.locator("[name=late_reason]").fill("节假日前后需尽快对齐目标")
    card.get_by_test_id("submit-kickoff").click()
    expect(page.get_by_test_id("project-status")).to_have_text("已启动")
    project.refresh_from_db()
    assert project.status == ProjectStatus.KICKED_OFF and project.kickoff_meeting_id
    sign_kickoff_minutes(project.kickoff_meeting_id)
    project.refresh_from_db()
    assert project.status == ProjectStatus.RUNNING
    log_out(page)

    # --- the owner reports progress and hands in the deliverable -----------------------------------------
    log_in(page, personas.cs_staff.user.username)
    page.goto(f"/projects/{project.pk}/tasks/{first.pk}/")
    form = page.get_by_test_id("form-progress")
    form.locator("[name=progress]").fill("100")
    form.locator("[name=note]").fill("已整理近3个月TOP10客户投诉，痛点清单V1.2完成")
    page.get_by_test_id("submit-progress").click()
    expect(page.get_by_test_id("task-updates")).to_contain_text("痛点清单V1.2")
    first.refresh_from_db()
    assert first.status == "done" and first.actual_finish == today
    page.goto(f"/projects/{project.pk}/deliverables/")
    page.get_by_test_id("deliverables").locator("form").first.locator("[name=name]").fill(
        "客户痛点清单（V1.2）"
    )
    page.get_by_role("button", name="登记交付成果").first.click()
    page.get_by_test_id("deliverables").get_by_role("link", name="客户痛点清单（V1.2）").click()
    page.wait_for_url("**/deliverables/*/")
    page.locator("[name=files]").set_input_files(
        files=[
            {"name": "客户痛点清单V1.2.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 evidence"}
        ]
    )
    page.get_by_role("button", name="提交验收").click()
    expect(page.get_by_test_id("deliverable-status")).to_be_visible()
    deliverable = m.Deliverable.objects.get(project=project)
    assert deliverable.status == "submitted" and deliverable.evidence.count() == 1
    log_out(page)

    # --- the lead accepts it and raises a change request --------------------------------------------------
    log_in(page, personas.mkt_head.user.username)
    page.goto(f"/projects/{project.pk}/deliverables/{deliverable.pk}/")
    page.locator("[name=comment]").fill("覆盖TOP10投诉，验收通过")
    with page.expect_navigation():
        page.locator("button.btn-success").click()
    deliverable.refresh_from_db()
    assert deliverable.status == "accepted"

    new_finish = today + timedelta(days=35)
    page.goto(f"/projects/{project.pk}/changes/")
    page.locator("[name=title]").fill("物流投诉排查延期5天")
    page.locator("[name=description]").fill("物流投诉排查计划完成日顺延5天")
    page.locator("[name=reason]").fill("承运商数据接口延迟开放")
    page.locator("[name=impact]").fill("不影响项目总体完成时间")
    page.locator("[name=task]").select_option(str(second.pk))
    page.locator("[name=task_finish]").fill(new_finish.isoformat())
    page.locator("form[action$='/changes/new/'] button").click()
    expect(page.get_by_test_id("change-list")).to_contain_text("物流投诉排查延期5天")
    change = m.ChangeRequest.objects.get(project=project)
    assert change.status == "submitted"
    log_out(page)

    # --- the head of the task's department approves: the plan changes ---------------------------------------
    log_in(page, personas.log_head.user.username)
    page.goto(f"/projects/{project.pk}/changes/{change.pk}/")
    page.get_by_role("button", name="批准").click()
    expect(page.get_by_test_id("change-status")).to_have_text("已批准")
    second.refresh_from_db()
    assert second.planned_finish == new_finish
    # …and, as the task's owner, reports it done.
    page.goto(f"/projects/{project.pk}/tasks/{second.pk}/")
    page.get_by_test_id("form-progress").locator("[name=progress]").fill("100")
    page.get_by_test_id("submit-progress").click()
    expect(page.get_by_test_id("task-updates")).to_contain_text("100%")
    log_out(page)

    # --- close: retrospective with a lesson → closed → archived ------------------------------------------------
    log_in(page, personas.mkt_head.user.username)
    page.goto(f"/projects/{project.pk}/")
    page.get_by_test_id("action-closing").click()
    page.get_by_test_id("submit-closing").click()
    expect(page.get_by_test_id("project-status")).to_have_text("收尾中")
    page.goto(f"/projects/{project.pk}/retrospective/")
    page.locator("[name=went_well]").fill("启动会明确了唯一责任部门，周例会及时暴露风险")
    page.locator("[name=to_improve]").fill("需求变更同步不及时，物流数据接口延迟")
    page.locator("[name=summary]").fill("项目按期完成，投诉处理时长达标")
    page.locator("[name=lesson0_title]").fill("承运商接口需提前确认开放时间")
    page.locator("[name=lesson0_body]").fill("物流投诉排查依赖承运商数据接口，开放延迟导致延期5天。")
    page.locator("[name=lesson0_tags]").fill("外部依赖, 风险")
    page.get_by_role("button", name="提交并结项").click()
    expect(page.get_by_test_id("retro-status")).to_be_visible()
    project.refresh_from_db()
    assert project.status == ProjectStatus.CLOSED
    page.goto(f"/projects/{project.pk}/")
    page.get_by_test_id("action-archive").click()
    with page.expect_navigation():  # the POST and its redirect back, not the page as it was
        page.get_by_test_id("submit-archive").click()
    project.refresh_from_db()
    assert project.status == ProjectStatus.ARCHIVED and project.retain_until
    page.goto(f"/projects/{project.pk}/archive/")
    expect(page.get_by_test_id("archive-list")).to_contain_text("客户痛点清单")

    # --- the lesson is found in the knowledge base --------------------------------------------------------------
    page.goto("/projects/knowledge-base/")
    search = page.locator("main form[method=get]")  # the knowledge base's own, not the top bar's
    search.locator("[name=q]").fill("承运商")
    search.locator("button").click()
    expect(page.get_by_test_id("lessons")).to_contain_text("承运商接口需提前确认开放时间")
    screenshot("project-knowledge-base")
