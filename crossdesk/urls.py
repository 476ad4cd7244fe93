from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from crossdesk.api import api

urlpatterns = [
    path("", include("crossdesk.core.urls")),
    path("org/", include("crossdesk.org.urls")),
    path("calendar/", include("crossdesk.workcal.urls")),
    path("inbox/", include("crossdesk.notify.urls")),
    path("requests/", include("crossdesk.collaboration.urls")),
    path("meetings/", include("crossdesk.meetings.urls")),
    path("projects/", include("crossdesk.projects.urls")),
    path("knowledge/", include("crossdesk.knowledge.urls")),
    path("audit/", include("crossdesk.audit.urls")),
    path("search/", include("crossdesk.search.urls")),
    path("reports/", include("crossdesk.reports.urls")),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
]

handler400 = "crossdesk.core.errorpages.bad_request"
handler403 = "crossdesk.core.errorpages.permission_denied"
handler404 = "crossdesk.core.errorpages.page_not_found"
handler500 = "crossdesk.core.errorpages.server_error"
