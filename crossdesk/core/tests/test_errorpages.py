"""Error pages in Chinese inside the layout, with a way back; JSON under /api/."""

import pytest
from django.test import Client
from django.urls import path

from crossdesk.core import errorpages

pytestmark = pytest.mark.django_db


def test_an_unknown_page_is_a_chinese_404_in_the_layout(client_for, personas):
    response = client_for(personas.mkt_staff).get("/no-such-page/")
    page = response.content.decode()
    assert response.status_code == 404
    assert 'data-testid="error-page"' in page and "页面不存在" in page and "返回" in page
    assert 'data-testid="topbar-search"' in page  # inside the layout
    assert "tried" not in page and "urlpatterns" not in page


def test_a_record_one_may_not_see_says_so_in_chinese(client_for, personas):
    response = client_for(personas.mkt_staff).get("/projects/999999/")
    assert response.status_code == 404
    assert 'data-testid="error-detail"' in response.content.decode()


def test_a_refused_page_is_a_chinese_403(client_for, personas):
    response = client_for(personas.cs_head).get("/audit/")
    assert response.status_code == 403
    assert "无权" in response.content.decode()


def test_an_anonymous_visitor_gets_the_page_without_the_menus():
    response = Client().get("/accounts/no-such-page/")
    assert response.status_code == 404 and "页面不存在" in response.content.decode()


def test_an_unknown_api_path_answers_json(client_for, personas):
    response = client_for(personas.mkt_staff).get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json") and response.json()["message"]


def boom(request):
    raise RuntimeError("boom")


urlpatterns = [path("boom/", boom)]
handler500 = "crossdesk.core.errorpages.server_error"


@pytest.mark.urls(__name__)
def test_a_server_error_is_a_chinese_page(settings):
    settings.LANGUAGE_CODE = "zh-hans"
    response = Client(raise_request_exception=False).get("/boom/")
    assert response.status_code == 500 and "出错了" in response.content.decode()


def test_the_fallback_page_when_the_layout_cannot_render(rf, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("no database")

    monkeypatch.setattr(errorpages, "render_to_string", broken)
    response = errorpages.server_error(rf.get("/x/"))
    assert response.status_code == 500 and "<h1>" in response.content.decode()


def test_an_anonymous_write_to_the_api_is_a_401():
    response = Client().post("/api/v1/requests/", {}, content_type="application/json")
    assert response.status_code == 401 and response.json()["message"]
