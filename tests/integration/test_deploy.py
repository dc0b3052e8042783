"""deploy/ is consistent (Docker images cannot be pulled here, so the stack is checked by
reading it; tests/integration/test_topology.py runs the same topology as processes): the
compose file's services, health checks and order, the proxy's configuration, the MinIO bucket
with object lock, and every CASEFILE_* variable it sets being one casefile actually reads."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from casefile.cli import build_parser
from casefile.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
CASEFILE_SERVICES = ("migrate", "app1", "app2", "worker")


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    assert not (DEPLOY / "docker-compose.yml").exists(), "one compose file: deploy/compose.yaml"
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text())


def read_variables() -> set[str]:
    """Every CASEFILE_* name the package reads from the environment."""
    names: set[str] = set()
    for path in (ROOT / "casefile").rglob("*.py"):
        names.update(re.findall(r"\"(CASEFILE_[A-Z0-9_]+)\"", path.read_text()))
    return names


def test_the_stack_has_its_services(compose: dict[str, Any]) -> None:
    assert set(compose["services"]) == {
        "postgres",
        "minio",
        "minio-init",
        "migrate",
        "app1",
        "app2",
        "worker",
        "proxy",
    }


def test_every_dependency_exists_and_waits_for_health_or_completion(
    compose: dict[str, Any],
) -> None:
    services = compose["services"]
    for name, service in services.items():
        for target, rule in (service.get("depends_on") or {}).items():
            assert target in services, (name, target)
            if rule["condition"] == "service_healthy":
                assert "healthcheck" in services[target], (name, target)
            else:
                assert rule["condition"] == "service_completed_successfully", (name, target)
                assert services[target].get("restart") == "no", target  # one-shot
    # The replicas and the worker start after the migration; the migration after the
    # database and the bucket; the proxy after both replicas are ready.
    for name in ("app1", "app2", "worker"):
        assert services[name]["depends_on"] == {
            "migrate": {"condition": "service_completed_successfully"}
        }
    assert set(services["migrate"]["depends_on"]) == {"postgres", "minio-init"}
    assert services["proxy"]["depends_on"] == {
        "app1": {"condition": "service_healthy"},
        "app2": {"condition": "service_healthy"},
    }


def test_the_replicas_are_checked_on_health_ready_on_their_served_port(
    compose: dict[str, Any],
) -> None:
    parser = build_parser()
    for name in ("app1", "app2"):
        service = compose["services"][name]
        command = service["command"]
        args = parser.parse_args(command[1:])
        assert (command[0], args.host, args.port) == ("casefile", "0.0.0.0", 8000)
        probe = " ".join(service["healthcheck"]["test"])
        assert f"http://127.0.0.1:{args.port}/health/ready" in probe
    migrate = compose["services"]["migrate"]["command"]
    assert migrate == ["casefile", "init"]
    parser.parse_args(migrate[1:])
    worker = parser.parse_args(compose["services"]["worker"]["command"][1:])
    assert worker.concurrency >= 1
    probe = " ".join(compose["services"]["worker"]["healthcheck"]["test"])
    assert f":{worker.metrics_port}/metrics" in probe


def test_the_proxy_terminates_tls_for_both_replicas_and_hides_metrics(
    compose: dict[str, Any],
) -> None:
    proxy = compose["services"]["proxy"]
    assert "443:443" in proxy["ports"]
    assert "./Caddyfile:/etc/caddy/Caddyfile:ro" in proxy["volumes"]
    caddyfile = (DEPLOY / "Caddyfile").read_text()
    assert "{$CASEFILE_DOMAIN} {" in caddyfile  # a site address: automatic HTTPS
    assert re.search(r"reverse_proxy app1:8000 app2:8000 \{", caddyfile)
    assert "health_uri /health/ready" in caddyfile
    assert re.search(r"@metrics path /metrics.*\n\s*respond @metrics 404", caddyfile)
    # Only the proxy publishes the application (the MinIO console to loopback alone).
    for name, service in compose["services"].items():
        if name not in ("proxy", "minio"):
            assert "ports" not in service, name
    assert compose["services"]["minio"]["ports"] == ["127.0.0.1:9001:9001"]


def test_the_evidence_bucket_is_created_with_object_lock_and_a_default_retention(
    compose: dict[str, Any],
) -> None:
    script = compose["services"]["minio-init"]["entrypoint"][-1]
    bucket = compose["services"]["app1"]["environment"]["CASEFILE_EVIDENCE_URL"]
    assert bucket == "s3://casefile-evidence"
    assert "mc mb --ignore-existing --with-lock local/casefile-evidence" in script
    assert re.search(r"mc retention set --default GOVERNANCE \S+ local/casefile-evidence", script)
    endpoint = compose["services"]["app1"]["environment"]["CASEFILE_S3_ENDPOINT"]
    assert endpoint == "minio:9000" and "http://minio:9000" in script


def test_every_casefile_variable_of_the_stack_is_one_casefile_reads(
    compose: dict[str, Any],
) -> None:
    read = read_variables()
    for name in CASEFILE_SERVICES:
        environment = compose["services"][name]["environment"]
        unknown = {key for key in environment if key.startswith("CASEFILE_")} - read
        assert not unknown, (name, unknown)
        for required in (
            "CASEFILE_DATABASE_URL",
            "CASEFILE_EVIDENCE_URL",
            "CASEFILE_SECRET_KEY",
            "CASEFILE_BASE_URL",
            "CASEFILE_S3_ENDPOINT",
            "CASEFILE_S3_ACCESS_KEY",
            "CASEFILE_S3_SECRET_KEY",
            "CASEFILE_S3_SECURE",
        ):
            assert required in environment, (name, required)
        assert environment["CASEFILE_DATABASE_URL"].startswith("postgresql://")
        assert environment["CASEFILE_BASE_URL"].startswith("https://")
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    for key in re.findall(r"(CASEFILE_[A-Z_]+)=", dockerfile):
        assert key in read, key
    # The settings object knows every field the stack configures (spot check: the dataclass).
    assert {"database_url", "evidence_url", "metrics_token"} <= set(Settings.__dataclass_fields__)


def test_every_required_variable_has_a_line_in_env_example(compose: dict[str, Any]) -> None:
    text = (DEPLOY / "compose.yaml").read_text()
    required = set(re.findall(r"\$\{([A-Z0-9_]+):\?", text))
    optional = set(re.findall(r"\$\{([A-Z0-9_]+):-", text))
    example = set(re.findall(r"^([A-Z0-9_]+)=", (DEPLOY / "env.example").read_text(), re.M))
    assert required <= example, required - example
    assert required, "the secrets have no default"
    assert {"CASEFILE_SMTP_URL", "CASEFILE_METRICS_TOKEN"} <= optional


def test_the_dockerfile_copies_what_exists_and_installs_the_hashed_lock() -> None:
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    for line in re.findall(r"^COPY (.+)$", dockerfile, re.M):
        *sources, _ = line.split()
        for source in sources:
            assert (ROOT / source).exists(), source
    assert "pip install --require-hashes -r requirements.lock" in dockerfile
    assert "pip install --no-deps ." in dockerfile
    assert re.search(r"^USER casefile$", dockerfile, re.M)


def test_the_backup_scripts_are_executable_shell() -> None:
    for name in ("backup.sh", "restore.sh"):
        path = DEPLOY / name
        assert path.stat().st_mode & 0o111, name
        assert path.read_text().startswith("#!/bin/sh\n")


def test_the_prometheus_example_scrapes_every_replica_and_the_worker(
    compose: dict[str, Any],
) -> None:
    config = yaml.safe_load((DEPLOY / "prometheus.yml").read_text())
    targets = {
        job["job_name"]: set(job["static_configs"][0]["targets"])
        for job in config["scrape_configs"]
    }
    assert targets["casefile-app"] == {"app1:8000", "app2:8000"}
    worker = build_parser().parse_args(compose["services"]["worker"]["command"][1:])
    assert targets["casefile-worker"] == {f"worker:{worker.metrics_port}"}
    [app_job] = [j for j in config["scrape_configs"] if j["job_name"] == "casefile-app"]
    assert app_job["authorization"]["type"] == "Bearer"  # CASEFILE_METRICS_TOKEN
