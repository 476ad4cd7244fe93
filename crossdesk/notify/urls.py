from django.urls import path

from . import views

app_name = "notify"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("read/", views.mark_read, name="mark_read"),
    path("settings/", views.preferences, name="preferences"),
    path("departments/<str:code>/", views.department_settings, name="department"),
    path("departments/<str:code>/robots/", views.robot_add, name="robot_add"),
    path("robots/<int:pk>/toggle/", views.robot_toggle, name="robot_toggle"),
    path("robots/<int:pk>/remove/", views.robot_remove, name="robot_remove"),
    path("outbox/", views.outbox, name="outbox"),
    path("outbox/retry/", views.outbox_retry, name="outbox_retry"),
    path("outbox/discard/", views.outbox_discard, name="outbox_discard"),
]
