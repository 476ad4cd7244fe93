"""Visibility that follows the organisation (issue 16 §1): the department tree, the
administrator's policy, and 404 before any version or rule on a hidden request."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from crossdesk.audit.models import AuditEvent
from crossdesk.collaboration import services
from crossdesk.collaboration.selectors import visible_requests
from crossdesk.core.errors import ConflictError, NotFoundError, PermissionDeniedError
from crossdesk.org import services as org_services
from crossdesk.org.models import VisibilityPolicy
from crossdesk.org.selectors import roles_for
from crossdesk.org.tests.factories import DepartmentFactory, PersonFactory, add_member

from .factories import draft, submitted


@pytest.fixture
def tree(personas):
    """总经办 (GMO) above every department; 客服一组 (CS1) under 客户服务部 (CS) with its own head."""
    gm = PersonFactory.create(employee_no="P100", name="周总", title="总经理")
    gmo = DepartmentFactory.create(code="GMO", name="总经办", head=gm, sort_order=0)
    add_member(gm, gmo)
    for department in (personas.mkt, personas.cs, personas.log, personas.fin):
        department.parent = gmo
        department.save()
    cs1_head = PersonFactory.create(employee_no="P101", name="孙组长", title="组长")
    cs1 = DepartmentFactory.create(code="CS1", name="客服一组", parent=personas.cs, head=cs1_head)
    add_member(cs1_head, cs1)
    log_staff = PersonFactory.create(employee_no="P102", name="钱员", title="物流专员")
    add_member(log_staff, personas.log)
    return {"gm": gm, "cs1": cs1, "cs1_head": cs1_head, "log_staff": log_staff}


def _sees(person, request) -> bool:
    return visible_requests(roles=roles_for(person.user)).filter(pk=request.pk).exists()


def test_the_head_of_a_parent_department_sees_its_sub_departments_requests(personas, tree):
    request = submitted(personas, receiving_departments=[tree["cs1"].pk], informed_departments=[])
    assert _sees(personas.cs_head, request)
    assert _sees(tree["cs1_head"], request)
    assert not _sees(personas.cs_staff, request)  # staff see their own department only
    assert not _sees(personas.outsider, request)


def test_the_general_manager_sees_every_departments_requests_confidential_ones_included(personas, tree):
    request = submitted(
        personas, receiving_departments=[tree["cs1"].pk], informed_departments=[], confidential=True
    )
    assert _sees(tree["gm"], request)
    assert not _sees(personas.outsider, request)


def test_a_supervisor_sees_the_subtree_of_the_departments_they_supervise(personas, tree):
    request = submitted(personas, receiving_departments=[tree["cs1"].pk], informed_departments=[])
    # The supervisor oversees CS (and MKT's staff as a member): CS1 lies below CS.
    request2 = submitted(personas, receiving_departments=[tree["cs1"].pk], informed_departments=[])
    assert _sees(personas.supervisor, request) and _sees(personas.supervisor, request2)
    assert not _sees(personas.log_head, request)


def test_the_head_above_may_answer_for_a_sub_department_but_signs_only_for_their_own(personas, tree):
    request = submitted(personas, receiving_departments=[tree["cs1"].pk], informed_departments=[])
    part = request.parts.get(department=tree["cs1"])
    services.part_accept(
        actor=personas.cs_head.user,
        request_id=request.pk,
        part_id=part.pk,
        liaison_id=tree["cs1_head"].pk,
        committed_at=timezone.now() + timedelta(days=3),
    )
    part.refresh_from_db()
    assert part.status == "accepted"
    from crossdesk.collaboration import permissions

    roles = roles_for(personas.cs_head.user)
    assert part.department_id not in roles.head_of and part.department_id in roles.heads_over
    sign = permissions.PART_RULES.rule("sign")
    assert not sign.who(permissions.Check(roles, request, [], part))


def test_a_hidden_request_answers_404_before_its_version_is_looked_at(personas, tree):
    request = submitted(personas)
    with pytest.raises(NotFoundError):
        services.request_cancel(
            actor=personas.outsider.user, request_id=request.pk, reason="x", version=request.version - 1
        )
    with pytest.raises(NotFoundError):
        services.request_log(actor=personas.outsider.user, request_id=request.pk, content="看看")


def test_cancel_refuses_a_stale_version(personas):
    request = submitted(personas)
    with pytest.raises(ConflictError):
        services.request_cancel(
            actor=personas.mkt_staff.user,
            request_id=request.pk,
            reason="不需要了",
            version=request.version - 1,
        )
    request.refresh_from_db()
    assert request.status == "submitted"
    services.request_cancel(
        actor=personas.mkt_staff.user, request_id=request.pk, reason="不需要了", version=request.version
    )
    request.refresh_from_db()
    assert request.status == "cancelled"


def test_the_policy_can_hide_a_request_from_informed_departments_staff(personas, tree):
    request = submitted(personas)  # LOG is informed
    assert _sees(tree["log_staff"], request)
    org_services.visibility_policy_update(actor=personas.admin_user, data={"informed_staff_see": False})
    assert not _sees(tree["log_staff"], request)
    assert _sees(personas.log_head, request)  # the informed department's head still knows
    assert AuditEvent.objects.filter(content_type__model="visibilitypolicy").exists()


def test_the_policy_can_show_drafts_to_supervisors(personas, tree):
    personas.mkt.supervisors.add(personas.supervisor)
    request = draft(personas)
    assert not _sees(personas.supervisor, request)
    org_services.visibility_policy_update(actor=personas.admin_user, data={"supervisors_see_drafts": True})
    assert _sees(personas.supervisor, request)
    assert not _sees(personas.mkt_head, request)  # heads still do not see others' drafts


def test_only_administrators_change_the_policy_and_a_stale_copy_is_refused(personas):
    with pytest.raises(PermissionDeniedError):
        org_services.visibility_policy_update(
            actor=personas.mkt_head.user, data={"informed_staff_see": False}
        )
    policy = org_services.visibility_policy_update(
        actor=personas.admin_user, data={"informed_staff_see": False}
    )
    with pytest.raises(ConflictError):
        org_services.visibility_policy_update(
            actor=personas.admin_user, data={"informed_staff_see": True}, version=policy.version - 1
        )
    assert VisibilityPolicy.objects.get().informed_staff_see is False


def test_the_policy_api_is_for_administrators(personas, client):
    client.force_login(personas.mkt_head.user)
    assert client.get("/api/v1/org/visibility-policy").status_code == 403
    client.force_login(personas.admin_user)
    answer = client.put(
        "/api/v1/org/visibility-policy", {"supervisors_see_drafts": True}, content_type="application/json"
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["supervisors_see_drafts"] is True
    assert client.get("/api/v1/org/visibility-policy").json()["supervisors_see_drafts"] is True
