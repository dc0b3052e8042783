"""`GET /metrics`: Prometheus text format, behind a token or loopback only, with real counts of
requests by route template, deadlines computed and evidence bytes stored and served."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from litestar import Request
from prometheus_client.parser import text_string_to_metric_families

from casefile.api.metrics import _allowed
from casefile.errors import Forbidden
from casefile.settings import reset_settings
from tests.api.conftest import Api
from tests.api.test_cases import new_case
from tests.api.test_evidence import PDF, upload_raw

TOKEN = "jeton-de-metriques-de-test"


@pytest.fixture
def scrape(api: Api, monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    monkeypatch.setenv("CASEFILE_METRICS_TOKEN", TOKEN)
    reset_settings()

    def read() -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
        response = api.client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
        return {
            (sample.name, tuple(sorted(sample.labels.items()))): sample.value
            for family in text_string_to_metric_families(response.text)
            for sample in family.samples
        }

    yield read
    monkeypatch.delenv("CASEFILE_METRICS_TOKEN")
    reset_settings()


def value(samples: dict, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def test_metrics_need_the_token_when_one_is_set(api: Api, scrape) -> None:
    assert api.client.get("/metrics").status_code == 403
    wrong = api.client.get("/metrics", headers={"Authorization": "Bearer autre-chose"})
    assert wrong.status_code == 403
    assert "CASEFILE_METRICS_TOKEN" in wrong.json()["error"]


def test_without_a_token_only_loopback_clients_read_them(api: Api) -> None:
    refused = api.client.get("/metrics")  # the test client's address is "testclient"
    assert refused.status_code == 403
    assert "clients locaux" in refused.json()["error"]
    for host, allowed in (("127.0.0.1", True), ("::1", True), ("10.0.0.7", False)):
        request = Request(scope={"type": "http", "client": (host, 50000), "headers": []})
        if allowed:
            _allowed(request)
        else:
            with pytest.raises(Forbidden):
                _allowed(request)


def test_request_latency_is_counted_per_route_template(api: Api, scrape) -> None:
    case = new_case(api)
    route = "/api/cases/{case_id}/deadlines"
    labels = {"method": "GET", "route": route, "status": "200"}
    before = scrape()
    for _ in range(3):
        answer = api.client.get(f"/api/cases/{case['id']}/deadlines", headers=api.headers("avocat"))
        assert answer.status_code == 200
    missing = api.client.get("/api/cases/999999/deadlines", headers=api.headers("avocat"))
    assert missing.status_code == 404
    after = scrape()
    count = "casefile_http_request_duration_seconds_count"
    assert value(after, count, **labels) - value(before, count, **labels) == 3
    assert (
        value(after, count, **{**labels, "status": "404"})
        - value(before, count, **{**labels, "status": "404"})
        == 1
    )
    # The raw path never becomes a label (bounded cardinality).
    assert not any(str(case["id"]) in dict(key[1]).get("route", "") for key in after)
    # Refused before the handler (no token: the authentication middleware answers 401).
    api.client.get(f"/api/cases/{case['id']}/deadlines")
    last = scrape()
    assert (
        value(last, count, **{**labels, "status": "401"})
        - value(after, count, **{**labels, "status": "401"})
        == 1
    )


def test_deadlines_computed_count_each_deadline_of_each_computation(api: Api, scrape) -> None:
    case = new_case(api)
    before = scrape()
    added = api.client.post(
        f"/api/cases/{case['id']}/events",
        headers=api.headers("avocat"),
        json={"key": "ordonnance_rendue", "date": "2026-11-02"},
    )
    assert added.status_code == 201, added.text
    after = scrape()
    deadlines = api.client.get(f"/api/cases/{case['id']}/deadlines", headers=api.headers("avocat"))
    computed = value(after, "casefile_deadlines_computed_total") - value(
        before, "casefile_deadlines_computed_total"
    )
    schedules = value(after, "casefile_schedules_computed_total") - value(
        before, "casefile_schedules_computed_total"
    )
    assert schedules == 1
    assert computed == len(deadlines.json()) > 0


def test_evidence_bytes_stored_once_and_served_each_time(api: Api, scrape) -> None:
    case = new_case(api)
    body = PDF + b"% metriques\n"
    before = scrape()
    first = upload_raw(api, case["id"], body=body)
    assert first.status_code == 201, first.text
    again = upload_raw(api, case["id"], body=body, force="true")  # same bytes: stored once
    assert again.status_code == 201, again.text
    for _ in range(2):
        download = api.client.get(
            f"/api/evidence/{first.json()['id']}/content", headers=api.headers("lecteur")
        )
        assert download.content == body
    bundle = api.client.get(f"/api/cases/{case['id']}/bundle.zip", headers=api.headers("avocat"))
    assert bundle.status_code == 200
    after = scrape()

    def delta(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    assert delta("casefile_evidence_stored_bytes_total") == len(body)
    assert delta("casefile_evidence_stored_objects_total") == 1
    assert delta("casefile_evidence_served_bytes_total", kind="piece") == 2 * len(body)
    assert delta("casefile_evidence_served_bytes_total", kind="bundle") == len(bundle.content)
