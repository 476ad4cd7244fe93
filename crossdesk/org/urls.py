from django.urls import path

from . import views

app_name = "org"

urlpatterns = [
    path("", views.chart, name="chart"),
    path("departments/<str:code>/", views.department_detail, name="department"),
    path("people/", views.people, name="people"),
    path("people/export.xlsx", views.people_export, name="people_export"),
    path("people/<int:pk>/", views.person_detail, name="person"),
    path("export/<str:name>", views.export, name="export"),
    path("import/", views.import_start, name="import"),
    path("import/<str:name>", views.import_template, name="import_template"),
    path("imports/<int:pk>/", views.import_job, name="import_job"),
    path("imports/<int:pk>/errors.csv", views.import_job_errors, name="import_job_errors"),
]
