from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.home, name="home"),
    path("departments/<str:code>/", views.department, name="department"),
    path("departments/<str:code>/scorecard/", views.scorecard_view, name="scorecard"),
    path("departments/<str:code>/scorecard.pdf", views.scorecard_pdf, name="scorecard_pdf"),
    path("departments/<str:code>/scorecard.xlsx", views.scorecard_xlsx, name="scorecard_xlsx"),
    path("projects/", views.projects, name="projects"),
    path("targets/", views.targets, name="targets"),
]
