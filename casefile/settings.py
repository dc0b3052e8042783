"""Configuration from the environment, with embedded defaults that work on a fresh machine.

One object, read once; tests set the environment before importing the app (STYLE.md habit 12).
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from casefile.errors import InputError
from casefile.law.wording import quoted


def shown_url(url: str) -> str:
    """`url` as it may be printed or logged: its password, if any, replaced by « *** »."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit(parts._replace(netloc=f"{parts.username or ''}:***@{host}"))


def _var_dir() -> Path:
    return Path(os.environ.get("CASEFILE_VAR_DIR", "var"))


@dataclass(frozen=True)
class Settings:
    database_url: str
    evidence_url: str
    s3_endpoint: str | None
    s3_access_key: str | None
    s3_secret_key: str | None
    s3_secure: bool
    s3_region: str
    secret_key: str
    base_url: str
    max_upload_bytes: int
    var_dir: Path
    db_pool_size: int = 10
    operator: str | None = None  # the user the CLI acts as (`--as` overrides it)
    jobs: str = "auto"  # auto: in-process with SQLite, `casefile worker` with PostgreSQL; off
    smtp_url: str = ""  # smtp://user:pass@host:587?starttls=1; empty: no e-mail is sent
    mail_from: str = ""
    metrics_token: str = ""
    exports_url: str = ""  # results of background tasks (bundles, import files); "" = var/exports  # GET /metrics: this bearer token, or (empty) loopback clients only

    @classmethod
    def from_env(cls) -> Settings:
        var = _var_dir()
        return cls(
            database_url=os.environ.get("CASEFILE_DATABASE_URL", f"sqlite:///{var}/casefile.db"),
            evidence_url=os.environ.get("CASEFILE_EVIDENCE_URL", f"file://{var}/evidence"),
            s3_endpoint=os.environ.get("CASEFILE_S3_ENDPOINT"),
            s3_access_key=os.environ.get("CASEFILE_S3_ACCESS_KEY"),
            s3_secret_key=os.environ.get("CASEFILE_S3_SECRET_KEY"),
            s3_secure=os.environ.get("CASEFILE_S3_SECURE", "true").lower() in ("1", "true", "yes"),
            s3_region=os.environ.get("CASEFILE_S3_REGION", "us-east-1"),
            secret_key=os.environ.get("CASEFILE_SECRET_KEY") or _local_secret(var),
            base_url=os.environ.get("CASEFILE_BASE_URL", "http://127.0.0.1:8000"),
            max_upload_bytes=int(
                os.environ.get("CASEFILE_MAX_UPLOAD_BYTES", str(200 * 1024 * 1024))
            ),
            var_dir=var,
            db_pool_size=_positive_int("CASEFILE_DB_POOL_SIZE", 10),
            operator=os.environ.get("CASEFILE_OPERATOR", "").strip() or None,
            jobs=_choice("CASEFILE_JOBS", ("auto", "off"), "auto"),
            smtp_url=os.environ.get("CASEFILE_SMTP_URL", "").strip(),
            mail_from=os.environ.get("CASEFILE_MAIL_FROM", "").strip(),
            metrics_token=os.environ.get("CASEFILE_METRICS_TOKEN", "").strip(),
            exports_url=os.environ.get("CASEFILE_EXPORTS_URL", f"file://{var}/exports"),
        )


def _positive_int(name: str, default: int) -> int:
    text = os.environ.get(name, "").strip()
    if not text:
        return default
    if not (text.isascii() and text.isdigit()) or int(text) < 1:
        raise InputError(f"{name}={quoted(text)} : un nombre entier d'au moins 1 est attendu")
    return int(text)


def _choice(name: str, choices: tuple[str, ...], default: str) -> str:
    text = os.environ.get(name, "").strip().lower() or default
    if text not in choices:
        raise InputError(f"{name}={quoted(text)} : valeurs possibles : {', '.join(choices)}")
    return text


def _local_secret(var: Path) -> str:
    """A per-installation secret kept in var/ so `make run` needs no configuration."""
    path = var / "secret_key"
    if path.exists():
        return path.read_text().strip()
    var.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    path.write_text(key)
    path.chmod(0o600)
    return key


_settings: Settings | None = None


def get_settings() -> Settings:
    global _settings
    if _settings is None:
        _settings = Settings.from_env()
    return _settings


def reset_settings() -> None:
    """For tests that change the environment."""
    global _settings
    _settings = None
