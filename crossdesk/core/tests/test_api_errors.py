"""The API's refusals speak the session's language and name the field (issue 14 §1)."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse
from django.utils import translation

from crossdesk.collaboration.tests import factories
from crossdesk.core.apierrors import error_message

pytestmark = pytest.mark.django_db

REQUESTS = "/api/v1/requests/"


def post(client, path, data):
    return client.post(REQUESTS + path, data=json.dumps(data), content_type="application/json")


def test_an_unknown_field_is_refused_in_chinese_naming_it(personas, client_for):
    body = post(client_for(personas.mkt_staff), "", {"titel": "错字"}).json()
    assert body["field"] == "titel"
    assert body["message"] == "titel：未知字段，请检查字段名。"
    assert body["errors"][0]["msg"] == "未知字段，请检查字段名。"


def test_a_missing_field_and_a_bound_are_refused_in_chinese(personas, client_for):
    request = factories.submitted(personas)
    client = client_for(personas.mkt_staff)
    missing = post(client, f"{request.pk}/cancel", {}).json()
    assert missing["field"] == "reason" and missing["message"] == "reason：这个字段是必填项。"
    bounded = client.get("/api/v1/org/people", {"limit": 1000})
    assert bounded.status_code == 422
    assert bounded.json()["message"] == "limit：取值不能大于 200。"


def test_the_same_refusals_are_in_english_for_who_chose_english(personas, client_for):
    client = client_for(personas.mkt_staff)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    body = post(client, "", {"titel": "typo"}).json()
    assert body["message"] == "titel: Unknown field: check its name."
    assert client.get("/api/v1/org/people", {"limit": 1000}).json()["message"] == (
        "limit: Give a value of at most 200."
    )


def test_anonymous_calls_and_unknown_paths_answer_in_chinese(client):
    assert client.get("/api/v1/requests/").json() == {"message": "请先登录。"}
    response = client.get("/api/v1/no-such-thing/")
    assert response.status_code == 404 and response.json()["message"] == "页面不存在"


def test_a_body_that_is_not_json_is_refused_in_chinese(personas, client_for):
    response = client_for(personas.mkt_staff).post(REQUESTS, data="{oops", content_type="application/json")
    assert response.status_code in (400, 422)
    assert "JSON" in response.json()["message"] and "不是" in response.json()["message"]


def test_an_unknown_error_type_keeps_the_validators_own_words():
    assert error_message({"type": "value_error", "msg": "Value error, 结束日期早于开始日期"}) == (
        "结束日期早于开始日期"
    )
    assert error_message({"type": "string_too_long", "ctx": {"max_length": 200}}) == "最多填写 200 个字符。"
    with translation.override("en"):
        assert (
            error_message({"type": "greater_than_equal", "ctx": {"ge": 1}}) == "Give a value of at least 1."
        )
