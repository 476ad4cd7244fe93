import pytest

pytestmark = pytest.mark.django_db


def test_the_api_documents_itself(client):
    schema = client.get("/api/openapi.json").json()
    assert schema["info"]["title"] == "Crossdesk API"
    assert all(path.startswith("/api/v1/") for path in schema["paths"])


def test_the_api_docs_page_is_served_locally(client):
    response = client.get("/api/docs")
    assert response.status_code == 200
    body = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in body
    assert "cdn." not in body and "unpkg" not in body
