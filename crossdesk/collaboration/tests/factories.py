"""Requests in any state, built through the services so every rule runs."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from crossdesk.collaboration import services
from crossdesk.collaboration.models import Request
from crossdesk.core.testing import Personas


def draft(personas: Personas, **overrides) -> Request:
    data = {
        "title": "客户订单物流延迟投诉",
        "urgency": "normal",
        "type": "complaint",
        "background": "客户反馈订单物流延迟3天",
        "current_situation": "物流部追踪显示因仓库系统故障导致分拣异常",
        "expected_outcome": "物流部24小时内完成配送并告知客户",
        "expected_completion_at": timezone.now() + timedelta(days=10),
        "receiving_departments": [personas.cs.pk],
        "informed_departments": [personas.log.pk],
    }
    data.update(overrides)
    return services.request_create_draft(actor=personas.mkt_staff.user, data=data)


def submitted(personas: Personas, **overrides) -> Request:
    request = draft(personas, **overrides)
    return services.request_submit(actor=personas.mkt_staff.user, request_id=request.pk)


def accepted(personas: Personas, **overrides) -> Request:
    request = submitted(personas, **overrides)
    part = request.parts.get(department=personas.cs)
    services.part_accept(
        actor=personas.cs_liaison.user,
        request_id=request.pk,
        part_id=part.pk,
        liaison_id=personas.cs_liaison.pk,
        committed_at=timezone.now() + timedelta(days=5),
    )
    return Request.objects.get(pk=request.pk)


def resolved(personas: Personas, **overrides) -> Request:
    request = accepted(personas, **overrides)
    part = request.parts.get(department=personas.cs)
    services.part_resolve(
        actor=personas.cs_liaison.user,
        request_id=request.pk,
        part_id=part.pk,
        resolution="已修复仓库系统并完成配送，客户已确认收货",
        responsible_id=personas.cs_staff.pk,
    )
    return Request.objects.get(pk=request.pk)


def confirmed(personas: Personas, **overrides) -> Request:
    request = resolved(personas, **overrides)
    services.request_confirm(
        actor=personas.mkt_staff.user, request_id=request.pk, satisfaction=5, comment="处理及时"
    )
    return Request.objects.get(pk=request.pk)


def signed(personas: Personas, **overrides) -> Request:
    request = confirmed(personas, **overrides)
    part = request.parts.get(department=personas.cs)
    services.part_sign(actor=personas.cs_head.user, request_id=request.pk, part_id=part.pk)
    services.request_sign_initiator(actor=personas.mkt_head.user, request_id=request.pk)
    return Request.objects.get(pk=request.pk)
