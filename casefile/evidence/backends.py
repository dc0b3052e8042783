"""Picking the object store from `CASEFILE_EVIDENCE_URL`: `file://PATH` or `s3://BUCKET`."""

from __future__ import annotations

from casefile.errors import InputError
from casefile.evidence.local import LocalStore
from casefile.evidence.objects import ObjectStore
from casefile.evidence.s3 import S3Store, open_client
from casefile.law.wording import quoted
from casefile.settings import Settings, get_settings


def open_store(url: str | None = None, settings: Settings | None = None) -> ObjectStore:
    """The store named by `url` (default: the settings' evidence URL).

    `file://var/evidence` is relative to the working directory, `file:///srv/evidence` absolute;
    `s3://bucket` uses the `CASEFILE_S3_*` settings.
    """
    settings = settings or get_settings()
    url = url or settings.evidence_url
    scheme, sep, rest = url.partition("://")
    if not sep or not rest:
        raise InputError(
            f"adresse du stockage des pièces {quoted(url)} : attendu file://CHEMIN ou s3://BUCKET"
        )
    if scheme == "file":
        return LocalStore(rest)
    if scheme == "s3":
        bucket = rest.strip("/")
        if not bucket or "/" in bucket:
            raise InputError(
                f"adresse du stockage des pièces {quoted(url)} : un bucket seul, ex. s3://pieces"
            )
        if not settings.s3_endpoint:
            raise InputError(
                f"adresse du stockage des pièces {quoted(url)} : CASEFILE_S3_ENDPOINT (hôte:port) est requis"
            )
        try:
            client = open_client(
                settings.s3_endpoint,
                settings.s3_access_key,
                settings.s3_secret_key,
                secure=settings.s3_secure,
                region=settings.s3_region,
            )
        except ValueError as error:
            raise InputError(f"réglages CASEFILE_S3_* pour {quoted(url)} : {error}") from error
        return S3Store(client, bucket)
    raise InputError(
        f"adresse du stockage des pièces {quoted(url)} : schéma {quoted(scheme)} inconnu (file ou s3)"
    )


def prepare_store(url: str | None = None, settings: Settings | None = None) -> str:
    """Create what the store needs to accept objects (the folder, or the S3 bucket when
    absent) for `casefile init`; returns the store's URL."""
    store = open_store(url, settings)
    if isinstance(store, S3Store):
        store.ensure_bucket()
    elif isinstance(store, LocalStore):
        try:
            store.root.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise InputError(
                f"le dossier des pièces {store.root} ne peut être créé : {error.strerror}"
            ) from error
    return store.url
