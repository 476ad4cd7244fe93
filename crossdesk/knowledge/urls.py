from django.urls import path

from . import views

app_name = "knowledge"

urlpatterns = [
    path("", views.entry_list_view, name="list"),
    path("export.xlsx", views.entry_export, name="export"),
    path("publish/", views.publish, name="publish"),
    path("<int:pk>/", views.entry_detail, name="detail"),
    path("<int:pk>/helpful/", views.helpful, name="helpful"),
]
