from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path("<int:pk>/", views.meeting_detail, name="detail"),
]
