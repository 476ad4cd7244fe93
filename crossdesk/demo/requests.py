"""~300 demo collaboration requests in every state, with content drawn from the seeds.

Each request is replayed through the real services at moments in the past (the clock is
set back while a step runs), so numbers, timelines, deadlines, reminders and
notifications are exactly what the product would have produced. A final sweep at the
real "now" sends the warnings, breaches and escalations that fell due meanwhile.
"""

from __future__ import annotations

import random
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from crossdesk.collaboration import services
from crossdesk.collaboration.models import Request
from crossdesk.core.errors import ApplicationError
from crossdesk.deadlines.services import sweep
from crossdesk.org.models import Department

from .replay import Replay, StoryReachesTheFuture

DEMO_REQUEST_COUNT = 300


@dataclass(frozen=True)
class Situation:
    initiator_dept: str
    receiving: tuple[str, ...]
    informed: tuple[str, ...]
    type: str
    urgency: str
    title: str
    background: str
    situation: str
    outcome: str
    resolution: str
    people: str = ""
    budget: str = ""
    material: str = ""
    related: str = ""


SITUATIONS = [
    Situation("CS", ("LOG", "IT"), ("SAL",), "complaint", "urgent", "客户订单{n}物流延迟投诉",
              "客户反馈订单{n}物流延迟3天，已在电话中表达强烈不满。",
              "物流部追踪显示因仓库系统故障导致分拣异常，包裹滞留在华东仓。",
              "技术部2小时内修复仓库系统，物流部24小时内完成配送并告知客户。",
              "技术部已修复分拣系统接口，物流部安排专车配送，客户已确认收货并接受补偿券。",
              related="2026年客户满意度提升项目"),
    Situation("DOP", ("MKT", "SAL", "FIN"), ("GMO",), "collaboration", "normal", "{q}经营数据模板统一",
              "项目需要跨部门数据支持，各部门月报口径不一致。",
              "市场、销售、财务三部门数据格式不统一，导致无法整合成经营看板。",
              "各部门按数据运营部统一模板提供数据，每月5日前提交。",
              "数据运营部发布统一模板V2，三部门已按模板提交{q}数据，整合看板已上线。",
              related="经营数据看板建设"),
    Situation("MKT", ("HR", "ADM"), ("FIN",), "resource", "normal", "{city}大型品牌活动临时人员与场地支持",
              "市场部将于下月在{city}举办新品发布会，预计到场客户500人。",
              "活动现场需要临时工作人员20名及会场布置支持，市场部人手不足。",
              "人力资源部调配20名临时人员，行政部协调场地与物资，活动前3天到位。",
              "人力资源部已从各部门抽调20名志愿者并完成培训，行政部完成场地布置与物资清单。",
              people="临时工作人员20名", budget="场地及物料预算8万元", material="签到台、易拉宝、对讲机20台"),
    Situation("FIN", ("IT", "HR"), ("ADM",), "bottleneck", "normal", "费用报销流程调整（{q}）",
              "公司推行无纸化报销，原纸质审批流程平均耗时7个工作日。",
              "报销单需要在OA中新增电子发票校验环节，人力需同步调整差旅标准。",
              "技术部完成OA报销流程改造，人力资源部更新差旅标准，{q}起执行。",
              "OA报销流程已增加电子发票自动校验，差旅标准已发布，平均审批时长降至3个工作日。",
              related="财务报销流程优化"),
    Situation("MKT", ("RD", "PRD"), ("SAL", "CS"), "collaboration", "urgent", "新品{product}上线前联合测试",
              "新品{product}计划下月上市，需完成上线前测试。",
              "研发部接口文档未交付，生产部试产批次质量数据缺失，测试无法开始。",
              "研发部3天内提供接口文档，生产部提交首批试产质量报告，市场部提交用户调研报告。",
              "研发部已交付接口文档并完成联调，生产部提交试产质量报告，测试通过。",
              related="2026年Q4新品上市项目"),
    Situation("LOG", ("IT",), ("CS",), "complaint", "critical", "仓库管理系统{n}号分拣线故障",
              "今天上午华东仓{n}号分拣线扫码异常，大量包裹无法出库。",
              "当前积压包裹约1200件，影响当日发货承诺。",
              "技术部4小时内定位并修复故障，恢复分拣。",
              "技术部定位为扫码服务证书过期，已更换证书并恢复分拣，积压包裹当晚全部发出。"),
    Situation("HR", ("MKT", "SAL", "CS", "LOG"), ("GMO",), "collaboration", "normal", "{q}全员信息安全培训组织",
              "公司要求全员完成年度信息安全培训。",
              "各部门参训名单未汇总，部分一线员工排班冲突。",
              "各部门于本周五前提交参训名单并协调排班，培训后反馈效果。",
              "各部门已提交名单，培训分三场完成，参训率98%，满意度4.6分。"),
    Situation("CS", ("DOP",), ("MKT",), "resource", "normal", "{q}客户满意度调查数据分析支持",
              "客服部完成{q}客户满意度回访，共收集问卷3200份。",
              "客服部缺少数据分析能力，无法形成分析报告。",
              "数据运营部协助完成问卷分析，输出满意度分析报告。",
              "数据运营部完成问卷清洗与分析，报告已提交，识别出物流时效为首要改进项。"),
    Situation("SAL", ("LEG",), ("FIN",), "collaboration", "urgent", "{customer}年度框架合同加急审核",
              "{customer}要求本周内签署年度框架合同。",
              "合同中违约责任与付款条款与公司模板差异较大。",
              "法务部24小时内出具审核意见并给出修改建议。",
              "法务部已出具审核意见，修订付款条款与违约责任，合同已按期签署。"),
    Situation("PRD", ("FIN", "ADM"), ("GMO",), "resource", "normal", "{n}号生产线设备更新采购申请",
              "{n}号生产线设备已运行8年，故障率上升。",
              "设备月均停机12小时，影响交付计划。",
              "财务部审批设备更新预算，行政部启动采购流程，两个月内完成更换。",
              "预算已审批，行政部完成招标，新设备已安装调试并投产。",
              budget="设备采购预算120万元", material="自动化包装设备一套"),
    Situation("MKT", ("RDFE",), ("DOP",), "collaboration", "normal", "{festival}活动专题页面开发",
              "市场部策划{festival}线上促销活动。",
              "活动专题页需要研发支持，设计稿已完成。",
              "前端开发组在活动开始前5个工作日完成页面开发与测试。",
              "专题页已上线，活动期间访问量12万，转化率3.2%。"),
    Situation("CS", ("PRD", "LOG", "SAL"), ("GMO",), "bottleneck", "urgent", "客户投诉处理时长超标（{q}）",
              "{q}客户投诉平均处理时长为52小时，超过24小时目标。",
              "投诉涉及质量、物流、售后多部门，责任边界不清，流转慢。",
              "各部门明确投诉对接人，24小时内响应并给出处理方案。",
              "各部门已指定投诉对接人并建立日清机制，平均处理时长降至22小时。",
              related="投诉处理时效提升项目"),
]  # fmt: skip

PRODUCTS = ["智能音箱S2", "空气净化器P5", "扫地机器人R7", "智能手表W3", "净水器A9"]
CITIES = ["上海", "杭州", "成都", "深圳", "武汉", "南京"]
CUSTOMERS = ["华信科技", "远航物流", "东方百货", "盛世传媒", "恒通电子"]
FESTIVALS = ["双十一", "618", "国庆", "年货节", "春节"]

# How many requests end in each state, and how far their story goes.
PLAN = [
    ("draft", 15),
    ("submitted", 35),
    ("submitted_overdue", 12),
    ("awaiting_info", 8),
    ("in_progress", 60),
    ("in_progress_overdue", 20),
    ("declined", 10),
    ("resolved", 30),
    ("confirmed", 20),
    ("signed", 25),
    ("archived", 45),
    ("cancelled", 20),
]


def demo_requests_exist() -> bool:
    return Request.objects.exists()


def _fill(text: str, rng: random.Random, n: int, when: datetime) -> str:
    quarter = f"{when.year}年Q{(when.month - 1) // 3 + 1}"
    return text.format(
        n=n,
        q=quarter,
        product=rng.choice(PRODUCTS),
        city=rng.choice(CITIES),
        customer=rng.choice(CUSTOMERS),
        festival=rng.choice(FESTIVALS),
    )


class RequestReplay(Replay):
    def play(self, index: int, fate: str, start: datetime) -> None:
        rng = self.rng
        situation = SITUATIONS[index % len(SITUATIONS)]
        n = 100 + index
        initiator = self.member(situation.initiator_dept)
        data = {
            "title": _fill(situation.title, rng, n, start),
            "urgency": situation.urgency,
            "type": situation.type,
            "background": _fill(situation.background, rng, n, start),
            "current_situation": _fill(situation.situation, rng, n, start),
            "expected_outcome": _fill(situation.outcome, rng, n, start),
            "resources_people": situation.people,
            "resources_budget": situation.budget,
            "resources_material": situation.material,
            "related_matter": situation.related,
            "receiving_departments": [self.departments[c].pk for c in situation.receiving],
            "informed_departments": [self.departments[c].pk for c in situation.informed],
            "cc_supervisor": situation.urgency != "normal",
            "expected_completion_at": self.working_moment(start, rng.choice([16, 24, 40, 60])),
        }
        actor = initiator.user
        with self.at(start):
            request = services.request_create_draft(actor=actor, data=data)
        if fate == "draft":
            return
        t = start + timedelta(minutes=rng.randint(5, 50))
        with self.at(t):
            services.request_submit(actor=actor, request_id=request.pk)
        if fate == "cancelled":
            with self.at(t + timedelta(hours=rng.randint(1, 20))):
                services.request_cancel(
                    actor=actor, request_id=request.pk, reason="需求方案调整，改为线下协调处理"
                )
            return
        t = self.working_moment(t, rng.uniform(0.5, 2))
        with self.at(t):
            services.request_log(
                actor=actor,
                request_id=request.pk,
                content="已与接收部门对接人电话沟通，确认需求理解一致。",
                participants=f"{initiator.name}、{'、'.join(self.liaison(c).name for c in situation.receiving)}",
                is_first_contact=True,
            )
        if fate in ("submitted", "submitted_overdue"):
            return
        parts = list(request.parts.filter(role="receiving").select_related("department"))
        if fate == "awaiting_info":
            part = parts[0]
            with self.at(self.working_moment(t, 2)):
                services.part_request_info(
                    actor=self.liaison(part.department.code).user,
                    request_id=request.pk,
                    part_id=part.pk,
                    question="请补充具体的订单号清单和期望的处理优先级。",
                )
            return
        if fate == "declined":
            for part in parts:
                with self.at(self.working_moment(t, 3)):
                    services.part_decline(
                        actor=self.liaison(part.department.code).user,
                        request_id=request.pk,
                        part_id=part.pk,
                        reason="本月部门资源已排满，无法按期承接。",
                        alternative="建议下月初重新提交，或申请外部供应商支持。",
                    )
            return
        t = self.working_moment(t, rng.uniform(1, 6))
        for part in parts:
            handler = self.liaison(part.department.code)
            liaison = self.member(part.department.code) if rng.random() < 0.5 else handler
            commit_hours = (
                rng.choice([8, 16, 24, 40]) if fate != "in_progress_overdue" else rng.choice([4, 8])
            )
            with self.at(t):
                services.part_accept(
                    actor=handler.user,
                    request_id=request.pk,
                    part_id=part.pk,
                    liaison_id=liaison.pk,
                    committed_at=self.working_moment(t, commit_hours),
                    note="已评估，可以承接。",
                )
        t = self.working_moment(t, rng.uniform(2, 6))
        with self.at(t):
            services.request_log(
                actor=self.liaison(parts[0].department.code).user,
                request_id=request.pk,
                content="进展同步：已完成初步排查，正在按计划推进。",
                participants=parts[0].department.name,
            )
        if fate in ("in_progress", "in_progress_overdue"):
            return
        for part in parts:
            t = self.working_moment(t, rng.uniform(2, 12))
            with self.at(t):
                part.refresh_from_db()
                services.part_resolve(
                    actor=self.liaison(part.department.code).user,
                    request_id=request.pk,
                    part_id=part.pk,
                    resolution=_fill(situation.resolution, rng, n, start),
                    responsible_id=(part.liaison_id or self.member(part.department.code).pk),
                    completed_at=t,
                )
        if fate == "resolved":
            return
        t = self.working_moment(t, rng.uniform(1, 8))
        with self.at(t):
            services.request_confirm(
                actor=actor,
                request_id=request.pk,
                satisfaction=rng.choices([5, 4, 3, 2], weights=[50, 35, 10, 5])[0],
                comment=rng.choice(
                    ["处理及时，沟通顺畅。", "结果满意，希望以后响应更快。", "基本达到预期。"]
                ),
            )
        if fate == "confirmed":
            return
        request.refresh_from_db()
        for part in request.parts.filter(status="resolved").select_related("department__head"):
            t = self.working_moment(t, rng.uniform(0.5, 4))
            with self.at(t):
                services.part_sign(actor=part.department.head.user, request_id=request.pk, part_id=part.pk)
        with self.at(self.working_moment(t, 1)):
            services.request_sign_initiator(
                actor=request.initiating_department.head.user, request_id=request.pk
            )
        if fate == "signed":
            return
        with self.at(self.working_moment(t, 8)):
            services.request_archive(actor=actor, request_id=request.pk)


def create_demo_requests(stdout=None) -> int:
    """Replay the demo requests; returns how many were created."""
    rng = random.Random(20261121)
    departments = {
        d.code: d
        for d in Department.objects.select_related("head", "default_liaison").prefetch_related("members")
    }
    now = timezone.now()
    replay = RequestReplay(departments, rng, now)
    fates = [fate for fate, count in PLAN for _ in range(count)]
    rng.shuffle(fates)
    # Older stories for finished states; recent ones for open ones, so deadlines are live.
    age_days = {
        "archived": (50, 90), "signed": (30, 50), "confirmed": (20, 30), "resolved": (14, 24),
        "cancelled": (5, 60), "declined": (6, 40), "in_progress": (4, 8), "in_progress_overdue": (6, 14),
        "awaiting_info": (2, 5), "submitted": (0.2, 1.5), "submitted_overdue": (6, 12), "draft": (0, 3),
    }  # fmt: skip
    created = 0
    for index, fate in enumerate(fates):
        low, high = age_days[fate]
        start = replay.calendar.next_working_time(
            now - timedelta(days=rng.uniform(low, high), hours=rng.uniform(0, 6))
        )
        if start >= now:
            start = now - timedelta(minutes=30)
        try:
            # The story's end is caught inside the transaction, so the steps taken are kept.
            with transaction.atomic(), suppress(StoryReachesTheFuture):
                replay.play(index, fate, start)
            created += 1
        except ApplicationError as exc:  # a story that does not fit the calendar is skipped, loudly
            if stdout:
                stdout.write(f"  skipped demo request {index} ({fate}): {exc.message}")
        if stdout and (index + 1) % 50 == 0:
            stdout.write(f"  … {index + 1}/{len(fates)} 个协作请求")
    swept = sweep()
    if stdout:
        stdout.write(f"  deadline sweep: {swept}")
    return created
