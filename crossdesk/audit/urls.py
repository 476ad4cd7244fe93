from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [
    path("", views.event_list, name="list"),
    path("export.xlsx", views.event_export, name="export"),
    path("record/<str:object_type>/<int:object_id>/", views.record_history, name="record"),
]
