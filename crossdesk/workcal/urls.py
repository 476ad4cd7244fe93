from django.urls import path

from . import views

app_name = "workcal"

urlpatterns = [
    path("", views.month, name="month"),
    path("day/<str:day>/", views.day_detail, name="day"),
    path("day/<str:day>/remove/", views.day_remove, name="day_remove"),
    path("official/<int:year>/", views.official_schedule, name="official"),
    path("hours/", views.working_hours, name="hours"),
]
