"""A hand-made fortnight around National Day 2026, built through the services.

Calendar: working periods 09:00–12:00 and 13:30–18:00 (7.5 h a day); Thu 1 – Wed 7
October off; Sat 10 October a make-up working day. Departments: MKT raises; CS (with
its sub-department CS1 "客服一组") and LOG receive; the period is Mon 28 Sep – Sun 11 Oct.

R1 normal   MKT → CS        submitted Wed 30 Sep 10:00, accepted Thu 8 Oct 11:00 (committed
                            Fri 9 Oct 18:00), resolved Fri 9 Oct 17:00, rated 5 with a comment.
R2 urgent   MKT → CS1, LOG  submitted Mon 28 Sep 09:00. CS1 asks for information 10:00, gets
                            it Tue 29 Sep 10:00 (paused), accepts 11:00 (committed Wed 30 Sep
                            12:00), resolves late Thu 8 Oct 10:00; LOG declines Mon 28 Sep 15:00.
                            MKT reopens Thu 8 Oct 14:00 (new commitment Fri 9 Oct 14:00), CS1
                            resolves again Fri 9 Oct 10:00; rated 3, no comment.
R3 critical MKT → CS        submitted Fri 9 Oct 09:00, never answered (4 h target).
R4 normal   MKT → LOG       submitted Tue 29 Sep 14:00, cancelled 15:00.
R6 normal   CS1 → LOG       submitted Thu 8 Oct 09:00, accepted 10:00 (committed 16 Oct).
R0 normal   MKT → CS        submitted Fri 25 Sep 10:00 (before the period), accepted at once.

The figures are read at Sat 10 Oct 09:30, after a sweep at that moment.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from crossdesk.collaboration import services
from crossdesk.collaboration.models import Request
from crossdesk.core.testing import Personas
from crossdesk.deadlines import services as deadlines
from crossdesk.org.models import Department, Person
from crossdesk.org.tests.factories import DepartmentFactory, PersonFactory, add_member

SH = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 10, 10, 9, 30, tzinfo=SH)


def at(*args) -> datetime:
    return datetime(*args, tzinfo=SH)


@dataclass
class Fortnight:
    personas: Personas
    cs1: Department
    cs1_head: Person
    requests: dict[str, Request]


def _raise(actor: Person, receiving: list[Department], urgency: str, title: str) -> Request:
    draft = services.request_create_draft(
        actor=actor.user,
        data={
            "title": title,
            "urgency": urgency,
            "type": "collaboration",
            "background": "背景说明",
            "current_situation": "现状说明",
            "expected_outcome": "期望结果",
            "expected_completion_at": at(2026, 12, 31, 18, 0),
            "receiving_departments": [d.pk for d in receiving],
        },
    )
    return services.request_submit(actor=actor.user, request_id=draft.pk)


def _part(request: Request, department: Department) -> int:
    return request.parts.get(department=department).pk


@pytest.fixture
def fortnight(personas) -> Fortnight:
    p = personas
    cs1 = DepartmentFactory.create(code="CS1", name="客服一组", parent=p.cs, sort_order=5)
    cs1_head = PersonFactory.create(employee_no="P101", name="孙悦", title="客服组长")
    add_member(cs1_head, cs1)
    cs1.head = cs1.default_liaison = cs1_head
    cs1.save()
    log_head = p.log_head
    r: dict[str, Request] = {}

    def travel(*moment):
        return time_machine.travel(at(*moment), tick=False)

    with travel(2026, 9, 25, 10, 0):
        r["R0"] = _raise(p.mkt_staff, [p.cs], "normal", "节前的请求")
        services.part_accept(
            actor=p.cs_liaison.user,
            request_id=r["R0"].pk,
            part_id=_part(r["R0"], p.cs),
            liaison_id=p.cs_liaison.pk,
            committed_at=at(2026, 12, 1, 18, 0),
        )
    with travel(2026, 9, 28, 9, 0):
        r["R2"] = _raise(p.mkt_staff, [cs1, p.log], "urgent", "加急：客户资料核对")
    with travel(2026, 9, 28, 10, 0):
        services.part_request_info(
            actor=cs1_head.user, request_id=r["R2"].pk, part_id=_part(r["R2"], cs1), question="请提供订单号"
        )
    with travel(2026, 9, 28, 15, 0):
        services.part_decline(
            actor=log_head.user,
            request_id=r["R2"].pk,
            part_id=_part(r["R2"], p.log),
            reason="不属于物流部职责",
            alternative="请联系客服部",
        )
    with travel(2026, 9, 29, 10, 0):
        services.part_provide_info(
            actor=p.mkt_staff.user, request_id=r["R2"].pk, part_id=_part(r["R2"], cs1), answer="订单号 A123"
        )
    with travel(2026, 9, 29, 11, 0):
        services.part_accept(
            actor=cs1_head.user,
            request_id=r["R2"].pk,
            part_id=_part(r["R2"], cs1),
            liaison_id=cs1_head.pk,
            committed_at=at(2026, 9, 30, 12, 0),
        )
    with travel(2026, 9, 29, 14, 0):
        r["R4"] = _raise(p.mkt_staff, [p.log], "normal", "物流资源申请")
    with travel(2026, 9, 29, 15, 0):
        services.request_cancel(actor=p.mkt_staff.user, request_id=r["R4"].pk, reason="需求取消")
    with travel(2026, 9, 30, 10, 0):
        r["R1"] = _raise(p.mkt_staff, [p.cs], "normal", "节日活动客服支持")
    with travel(2026, 10, 8, 9, 0):
        r["R6"] = _raise(cs1_head, [p.log], "normal", "客服一组申请物流协助")
    with travel(2026, 10, 8, 10, 0):
        services.part_resolve(
            actor=cs1_head.user,
            request_id=r["R2"].pk,
            part_id=_part(r["R2"], cs1),
            resolution="已核对客户资料",
            responsible_id=cs1_head.pk,
        )
        services.part_accept(
            actor=log_head.user,
            request_id=r["R6"].pk,
            part_id=_part(r["R6"], p.log),
            liaison_id=log_head.pk,
            committed_at=at(2026, 10, 16, 18, 0),
        )
    with travel(2026, 10, 8, 11, 0):
        services.part_accept(
            actor=p.cs_liaison.user,
            request_id=r["R1"].pk,
            part_id=_part(r["R1"], p.cs),
            liaison_id=p.cs_liaison.pk,
            committed_at=at(2026, 10, 9, 18, 0),
        )
    with travel(2026, 10, 8, 14, 0):
        services.request_reopen(actor=p.mkt_staff.user, request_id=r["R2"].pk, reason="资料仍不完整")
    with travel(2026, 10, 9, 9, 0):
        r["R3"] = _raise(p.mkt_staff, [p.cs], "critical", "紧急：系统故障影响下单")
    with travel(2026, 10, 9, 10, 0):
        services.part_resolve(
            actor=cs1_head.user,
            request_id=r["R2"].pk,
            part_id=_part(r["R2"], cs1),
            resolution="已补全客户资料",
            responsible_id=cs1_head.pk,
        )
    with travel(2026, 10, 9, 11, 0):
        services.request_confirm(actor=p.mkt_staff.user, request_id=r["R2"].pk, satisfaction=3)
    with travel(2026, 10, 9, 17, 0):
        services.part_resolve(
            actor=p.cs_liaison.user,
            request_id=r["R1"].pk,
            part_id=_part(r["R1"], p.cs),
            resolution="已安排客服值班",
            responsible_id=p.cs_staff.pk,
        )
    with travel(2026, 10, 9, 17, 30):
        services.request_confirm(
            actor=p.mkt_staff.user, request_id=r["R1"].pk, satisfaction=5, comment="处理及时"
        )
    with travel(2026, 10, 10, 9, 30):
        while deadlines.sweep():
            pass
    return Fortnight(personas=p, cs1=cs1, cs1_head=cs1_head, requests=r)
