"""A request on the record layer: its sign-offs notice any later change, and once
archived nothing changes or disappears, whichever way it is tried."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from crossdesk.collaboration import services
from crossdesk.collaboration.models import Attachment, Request, RequestPart, TimelineEntry
from crossdesk.collaboration.selectors import request_page
from crossdesk.core.records import ArchiveError
from crossdesk.org.selectors import roles_for

from . import factories

pytestmark = pytest.mark.django_db


def _signed_with_log_and_file(personas) -> Request:
    request = factories.confirmed(personas)
    services.request_log(actor=personas.mkt_staff.user, request_id=request.pk, content="电话确认结果")
    upload = SimpleUploadedFile("结果.png", b"\x89PNG fake", content_type="image/png")
    services.attachment_add(actor=personas.mkt_staff.user, request_id=request.pk, upload=upload)
    part = request.parts.get(department=personas.cs)
    services.part_sign(actor=personas.cs_head.user, request_id=request.pk, part_id=part.pk)
    services.request_sign_initiator(actor=personas.mkt_head.user, request_id=request.pk)
    return Request.objects.get(pk=request.pk)


def _broken(personas, request) -> list[str]:
    return sorted(request_page(roles=roles_for(personas.cs_head.user), pk=request.pk).broken_signatures)


class TestSignOffs:
    BOTH = ["客户服务部", "市场部"]

    def test_an_untouched_record_keeps_its_signatures(self, personas):
        assert _broken(personas, _signed_with_log_and_file(personas)) == []

    def test_a_direct_edit_of_the_remarks_is_noticed(self, personas):
        request = _signed_with_log_and_file(personas)
        Request._base_manager.filter(pk=request.pk).update(remarks="事后补写的备注")
        assert _broken(personas, request) == self.BOTH

    def test_a_direct_edit_of_a_parts_resolution_is_noticed(self, personas):
        request = _signed_with_log_and_file(personas)
        RequestPart._base_manager.filter(request=request).update(resolution="改过的处理结果")
        assert _broken(personas, request) == self.BOTH

    def test_a_removed_attachment_is_noticed(self, personas):
        request = _signed_with_log_and_file(personas)
        Attachment._base_manager.filter(request=request).delete()
        assert _broken(personas, request) == self.BOTH

    def test_an_edited_log_entry_is_noticed(self, personas):
        request = _signed_with_log_and_file(personas)
        TimelineEntry._base_manager.filter(request=request, kind="log").update(content="改过的记录")
        assert _broken(personas, request) == self.BOTH

    def test_a_log_entry_added_after_signing_through_the_services_is_not_a_change(self, personas):
        request = factories.confirmed(personas)
        part = request.parts.get(department=personas.cs)
        services.part_sign(actor=personas.cs_head.user, request_id=request.pk, part_id=part.pk)
        services.request_log(actor=personas.mkt_staff.user, request_id=request.pk, content="已通知主管签字")
        services.request_sign_initiator(actor=personas.mkt_head.user, request_id=request.pk)
        assert _broken(personas, request) == []

    def test_the_api_reports_broken_signatures_too(self, personas, client_for):
        request = _signed_with_log_and_file(personas)
        Request._base_manager.filter(pk=request.pk).update(title="改过的主题")
        client = client_for(personas.cs_head)
        body = client.get(f"/api/v1/requests/{request.pk}").json()
        assert sorted(body["broken_signatures"]) == self.BOTH

    def test_rotating_the_secret_key_keeps_signatures_valid(self, personas, settings):
        request = _signed_with_log_and_file(personas)
        with override_settings(
            SECRET_KEY="a-new-secret-key-" + "x" * 40, SECRET_KEY_FALLBACKS=[settings.SECRET_KEY]
        ):
            assert _broken(personas, request) == []
        with override_settings(SECRET_KEY="a-new-secret-key-" + "x" * 40, SECRET_KEY_FALLBACKS=[]):
            assert _broken(personas, request) == self.BOTH


class TestArchive:
    def _archived(self, personas) -> Request:
        request = _signed_with_log_and_file(personas)
        services.request_archive(actor=personas.mkt_staff.user, request_id=request.pk)
        return Request.objects.get(pk=request.pk)

    def test_the_admin_cannot_delete_an_archived_requests_attachment(self, personas, client_for):
        request = self._archived(personas)
        attachment = request.attachments.get()
        client = client_for(personas.admin_user)
        response = client.post(
            reverse("admin:collaboration_attachment_delete", args=[attachment.pk]), {"post": "yes"}
        )
        assert response.status_code == 403
        client.post(
            reverse("admin:collaboration_attachment_changelist"),
            {"action": "delete_selected", "_selected_action": [attachment.pk], "post": "yes"},
        )
        assert Attachment.objects.filter(pk=attachment.pk).exists()

    def test_the_model_refuses_deletes_and_bulk_updates_of_an_archived_request(self, personas):
        request = self._archived(personas)
        with pytest.raises(ArchiveError):
            Attachment.objects.filter(request=request).delete()
        with pytest.raises(ArchiveError):
            Request.objects.filter(pk=request.pk).update(title="改过的主题")
        with pytest.raises(ArchiveError):
            request.attachments.get().delete()

    def test_a_draft_can_still_be_deleted(self, personas):
        draft = factories.draft(personas)
        Request.objects.filter(pk=draft.pk).delete()
        assert not Request.objects.filter(pk=draft.pk).exists()
