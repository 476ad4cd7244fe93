from django.urls import path

from . import views

app_name = "org"

urlpatterns = [
    path("", views.chart, name="chart"),
    path("departments/<str:code>/", views.department_detail, name="department"),
    path("people/<int:pk>/", views.person_detail, name="person"),
]
