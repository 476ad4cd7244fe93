"""Meetings on the record layer: sign-off digests, the archive guard, the workbench section
and the request panel registered for other apps' pages."""

from datetime import timedelta

import pytest
from django.contrib import admin
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from crossdesk.core.records import ArchiveError
from crossdesk.core.records.registry import panels, work_providers
from crossdesk.meetings.models import (
    ActionItem,
    ActionItemUpdate,
    Meeting,
    MeetingDepartment,
    MeetingMaterial,
)
from crossdesk.meetings.selectors import meeting_page
from crossdesk.org.selectors import roles_for

from . import factories

pytestmark = pytest.mark.django_db


def _broken(personas, meeting):
    return sorted(meeting_page(roles=roles_for(personas.cs_head.user), pk=meeting.pk).broken_signatures)


class TestSignatures:
    def test_a_direct_edit_of_the_meeting_after_signing_is_noticed(self, personas):
        meeting = factories.signed(personas)
        assert _broken(personas, meeting) == []
        Meeting._base_manager.filter(pk=meeting.pk).update(place="别处")
        assert _broken(personas, meeting) == ["客户服务部", "市场部"]

    def test_a_changed_time_or_material_is_noticed(self, personas):
        meeting = factories.signed(personas)
        Meeting._base_manager.filter(pk=meeting.pk).update(ends_at=meeting.ends_at + timedelta(hours=1))
        assert _broken(personas, meeting) == ["客户服务部", "市场部"]

    def test_a_material_added_behind_the_services_back_is_noticed(self, personas):
        meeting = factories.signed(personas)
        MeetingMaterial.objects.create(
            meeting=meeting,
            name="后补.txt",
            size=1,
            content_type="text/plain",
            uploaded_by=personas.mkt_staff,
        )
        assert _broken(personas, meeting) == ["客户服务部", "市场部"]

    def test_one_sign_off_changed_is_named_alone(self, personas):
        meeting = factories.signed(personas)
        part = MeetingDepartment.objects.get(meeting=meeting, department=personas.cs)
        MeetingDepartment._base_manager.filter(pk=part.pk).update(head_signed_at=timezone.now())
        assert _broken(personas, meeting) == ["客户服务部"]

    def test_rotating_the_secret_key_keeps_signatures_valid(self, personas, settings):
        meeting = factories.signed(personas)
        settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
        settings.SECRET_KEY = "a-new-key-" + "x" * 50
        assert _broken(personas, meeting) == []
        settings.SECRET_KEY_FALLBACKS = []
        assert _broken(personas, meeting) == ["客户服务部", "市场部"]

    def test_the_api_reports_broken_signatures(self, personas, client_for):
        meeting = factories.signed(personas)
        Meeting._base_manager.filter(pk=meeting.pk).update(title="改过的主题")
        response = client_for(personas.cs_head).get(f"/api/v1/meetings/{meeting.pk}")
        assert sorted(response.json()["broken_signatures"]) == ["客户服务部", "市场部"]


class TestArchiveGuard:
    def test_bulk_updates_of_an_archived_meeting_and_its_rows_are_refused(self, personas):
        meeting = factories.archived(personas)
        with pytest.raises(ArchiveError):
            Meeting.objects.filter(pk=meeting.pk).update(title="改")
        with pytest.raises(ArchiveError):
            ActionItem.objects.filter(meeting=meeting).update(result="改")
        with pytest.raises(ArchiveError):
            MeetingDepartment.objects.filter(meeting=meeting).update(head_signature="")
        with pytest.raises(ArchiveError):
            Meeting.objects.filter(pk=meeting.pk).delete()

    def test_the_admin_cannot_delete_a_material_of_an_archived_meeting(self, personas, client):
        meeting = factories.archived(personas)
        material = MeetingMaterial.objects.create(
            meeting=meeting,
            name="纪要附件.txt",
            size=1,
            content_type="text/plain",
            uploaded_by=personas.mkt_staff,
        )
        client.raise_request_exception = True
        client.force_login(personas.admin_user)
        with pytest.raises(ArchiveError):
            client.post(reverse("admin:meetings_meetingmaterial_delete", args=[material.pk]), {"post": "yes"})
        with pytest.raises(ArchiveError):
            client.post(
                reverse("admin:meetings_meetingmaterial_changelist"),
                {"action": "delete_selected", "_selected_action": [material.pk], "post": "yes"},
            )
        assert MeetingMaterial.objects.filter(pk=material.pk).exists()

    def test_a_material_of_a_live_meeting_can_go(self, personas, client):
        meeting = factories.draft(personas)
        material = MeetingMaterial.objects.create(
            meeting=meeting,
            name="错传.txt",
            size=1,
            content_type="text/plain",
            uploaded_by=personas.mkt_staff,
        )
        client.force_login(personas.admin_user)
        response = client.post(
            reverse("admin:meetings_meetingmaterial_delete", args=[material.pk]), {"post": "yes"}
        )
        assert response.status_code == 302 and not MeetingMaterial.objects.filter(pk=material.pk).exists()

    def test_an_action_item_of_an_archived_request_and_its_updates_stay_as_they_are(self, personas):
        from crossdesk.collaboration import services as request_services
        from crossdesk.collaboration.tests import factories as request_factories
        from crossdesk.meetings import flows

        request = request_factories.accepted(personas)
        item = flows.action_item_from_request(
            actor=personas.cs_liaison.user,
            request_id=request.pk,
            action="补发货物",
            owner_id=personas.cs_staff.pk,
            due_at=timezone.now() + timedelta(days=2),
        )
        part = request.parts.get(department=personas.cs)
        request_services.part_resolve(
            actor=personas.cs_liaison.user,
            request_id=request.pk,
            part_id=part.pk,
            resolution="已补发",
            responsible_id=personas.cs_staff.pk,
        )
        request_services.request_confirm(actor=personas.mkt_staff.user, request_id=request.pk, satisfaction=5)
        request_services.part_sign(actor=personas.cs_head.user, request_id=request.pk, part_id=part.pk)
        request_services.request_sign_initiator(actor=personas.mkt_head.user, request_id=request.pk)
        request_services.request_archive(actor=personas.mkt_staff.user, request_id=request.pk)
        item_admin = admin.site._registry[ActionItem]
        item.result = "改"
        # The admin offers no delete; were it granted, its delete paths still meet the guard.
        for refused in (
            lambda: ActionItem.objects.filter(pk=item.pk).update(result="改"),
            ActionItem.objects.filter(request=request).delete,
            ActionItem.objects.get(pk=item.pk).delete,
            lambda: item_admin.delete_model(None, item),
            lambda: item_admin.delete_queryset(None, ActionItem.objects.filter(pk=item.pk)),
            lambda: item_admin.save_model(None, item, None, True),
        ):
            with pytest.raises(ArchiveError), transaction.atomic():
                refused()
        with pytest.raises(ValueError, match="append-only"), transaction.atomic():
            ActionItemUpdate.objects.filter(item=item).delete()
        assert ActionItem.objects.get(pk=item.pk).result == ""


class TestRegistered:
    def test_the_workbench_section_lists_what_waits_with_its_clock(self, personas):
        meeting = factories.circulated(personas)
        section = work_providers()["meetings"](personas.cs_liaison.user, None)
        assert section.template == "meetings/_workbench.html"
        row = next(i for i in section.items if i.what == "confirm_minutes")
        assert row.url == meeting.get_absolute_url() and row.clock is not None and row.due_at

    def test_nothing_waiting_means_no_section(self, personas):
        assert work_providers()["meetings"](personas.outsider.user, None) is None

    def test_the_request_panel_shows_its_action_items(self, personas):
        from crossdesk.collaboration.selectors import request_page
        from crossdesk.collaboration.tests import factories as request_factories
        from crossdesk.meetings import flows

        request = request_factories.accepted(personas)
        flows.action_item_from_request(
            actor=personas.cs_liaison.user,
            request_id=request.pk,
            action="补发货物",
            owner_id=personas.cs_staff.pk,
            due_at=timezone.now() + timedelta(days=2),
        )
        roles = roles_for(personas.cs_liaison.user)
        panel = panels("collaboration.request")["action_items"](
            page=request_page(roles=roles, pk=request.pk), roles=roles
        )
        assert panel["template"] == "meetings/_request_items.html"
        ((item, clock),) = panel["context"]["items"]
        assert item.action == "补发货物" and clock is not None
        assert panel["context"]["form"] is not None
