from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path("", views.meeting_calendar, name="calendar"),
    path("list/", views.meeting_list, name="list"),
    path("new/", views.meeting_new, name="new"),
    path("action-items/", views.action_item_list, name="action_items"),
    path("action-items/<int:item_id>/<slug:action>/", views.item_action, name="item_action"),
    path("requests/<int:request_id>/action-items/", views.request_item_create, name="request_item_create"),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>/edit/", views.meeting_edit, name="edit"),
    path("<int:pk>/minutes/", views.minutes_edit, name="minutes"),
    path("<int:pk>/minutes/autosave/", views.minutes_autosave, name="minutes_autosave"),
    path("<int:pk>/invite.ics", views.invite_ics, name="invite"),
    path("<int:pk>/materials/<int:material_id>/", views.material_download, name="material"),
    path("<int:pk>/parts/<int:part_id>/<slug:action>/", views.part_action, name="part_action"),
    path("<int:pk>/<slug:action>/", views.meeting_action, name="action"),
]
