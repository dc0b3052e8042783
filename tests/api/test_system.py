"""Health and OpenAPI answer without a login and without any CDN."""

from __future__ import annotations

from tests.api.conftest import Api


def test_health_answers_without_authentication(api: Api) -> None:
    response = api.client.get("/health")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["procedures"] >= 5


def test_openapi_json_lists_the_contract_routes(api: Api) -> None:
    response = api.client.get("/schema/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in (
        "/api/cases",
        "/api/cases/{case_id}",
        "/api/cases/{case_id}/events",
        "/api/cases/{case_id}/deadlines",
        "/api/procedures/{key}/simulate",
    ):
        assert path in paths, path


def test_schema_page_is_served_locally_without_cdn(api: Api) -> None:
    response = api.client.get("/schema")
    assert response.status_code == 200
    assert "/schema/openapi.json" in response.text
    assert "cdn" not in response.text.lower()
    assert "https://" not in response.text
