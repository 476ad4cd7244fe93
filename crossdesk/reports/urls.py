from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.home, name="home"),
    path("departments/<str:code>/", views.department, name="department"),
    path("projects/", views.projects, name="projects"),
]
