import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_it_sends_anonymous_visitors_to_the_login_page(client):
    response = client.get(reverse("core:workbench"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_login_page_is_in_chinese_by_default(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert "登录" in response.content.decode()


def test_the_login_page_switches_to_english(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.get(reverse("login"))
    assert "Log in" in response.content.decode()


def test_the_workbench_shows_my_roles(client_for, personas):
    response = client_for(personas.cs_head).get(reverse("core:workbench"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "部门负责人" in body and "客户服务部" in body


def test_healthz_answers_without_login(client):
    response = client.get(reverse("core:healthz"))
    assert response.json() == {"status": "ok"}
