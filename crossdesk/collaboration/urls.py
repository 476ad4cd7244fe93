from django.urls import path

from . import views

app_name = "collaboration"

urlpatterns = [
    path("", views.request_list, name="list"),
    path("export.xlsx", views.request_export, name="export"),
    path("new/", views.request_new, name="new"),
    path("<int:pk>/", views.request_detail, name="detail"),
    path("<int:pk>/print/", views.request_print, name="print"),
    path("<int:pk>/pdf/", views.request_pdf, name="pdf"),
    path("<int:pk>/archive.zip", views.request_archive_package, name="package"),
    path("<int:pk>/edit/", views.request_edit, name="edit"),
    path("<int:pk>/autosave/", views.request_autosave, name="autosave"),
    path("<int:pk>/attachments/<int:attachment_id>/", views.attachment_download, name="attachment"),
    path("<int:pk>/parts/<int:part_id>/letter/", views.letter_detail, name="letter"),
    path("<int:pk>/parts/<int:part_id>/letter/print/", views.letter_print, name="letter_print"),
    path("<int:pk>/parts/<int:part_id>/letter/pdf/", views.letter_pdf, name="letter_pdf"),
    path("<int:pk>/parts/<int:part_id>/<slug:action>/", views.part_action, name="part_action"),
    path("<int:pk>/<slug:action>/", views.request_action, name="action"),
]
