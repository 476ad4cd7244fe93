from django.urls import path

from .views import detail, editor, lists, printing

app_name = "meetings"

urlpatterns = [
    path("", lists.meeting_calendar, name="calendar"),
    path("list/", lists.meeting_list, name="list"),
    path("list/export.xlsx", lists.meeting_export, name="export"),
    path("new/", editor.meeting_new, name="new"),
    path("action-items/", lists.action_item_list, name="action_items"),
    path("action-items/export.xlsx", lists.action_item_export, name="action_item_export"),
    path("action-items/<int:item_id>/<slug:action>/", detail.item_action, name="item_action"),
    path("requests/<int:request_id>/action-items/", lists.request_item_create, name="request_item_create"),
    path("<int:pk>/", detail.meeting_detail, name="detail"),
    path("<int:pk>/edit/", editor.meeting_edit, name="edit"),
    path("<int:pk>/print/", printing.meeting_print, name="print"),
    path("<int:pk>/pdf/", printing.meeting_pdf, name="pdf"),
    path("<int:pk>/archive.zip", printing.meeting_archive_package, name="package"),
    path("<int:pk>/minutes/", editor.minutes_edit, name="minutes"),
    path("<int:pk>/minutes/autosave/", editor.minutes_autosave, name="minutes_autosave"),
    path("<int:pk>/invite.ics", detail.invite_ics, name="invite"),
    path("<int:pk>/materials/<int:material_id>/", detail.material_download, name="material"),
    path("<int:pk>/parts/<int:part_id>/<slug:action>/", detail.part_action, name="part_action"),
    path("<int:pk>/<slug:action>/", detail.meeting_action, name="action"),
]
