"""Objects in an S3 bucket (MinIO in production) through the `minio` client.

A seekable source (a file) is hashed in a first pass (SHA-256 for the key, MD5 of each part
for the ETag) and uploaded straight to its content key, or not at all when that key exists. A
stream (an HTTP body) is hashed (SHA-256) in the same pass that spools it, in memory up to one
part, beyond that to an anonymous temporary file; the MD5 of each part is then computed while
the spool is uploaded, on the bytes handed to the server, beside the network. The upload has a
known length (parallel multipart parts, constant memory), and the ETag the server returns must
be the one predicted from the MD5s. An existing content key is never written. The BLAKE3
digest is computed in the SHA-256's pass (`HashingReader`); a download given it checks it
instead of the SHA-256 (`objects.verified_chunks`). Temporary keys
(`tmp/…`) of earlier versions are still listed and removed by verify.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import BinaryIO, TypeVar
from urllib.parse import quote

import certifi
import urllib3
from minio import Minio
from minio.error import MinioException, S3Error

from casefile.evidence.errors import IntegrityError, ObjectMissing, StorageUnavailable
from casefile.evidence.objects import (
    KEY_PREFIX,
    HashingReader,
    ObjectInfo,
    PartDigests,
    PartHashingReader,
    Readable,
    StoredObject,
    TemporaryUpload,
    key_sha256,
    object_key,
    owner_gone,
    prefetched,
    verified_chunks,
)

TEMP_PREFIX = "tmp/"
PART_SIZE = 16 * 1024 * 1024
PARALLEL_UPLOADS = 3
"""Parts in flight: minio keeps up to (PARALLEL_UPLOADS + 1) parts in memory."""
SPOOL_CHUNK = 1024 * 1024
"""Read size while an upload is hashed (and spooled): a chunk stays in the CPU cache between
the copy that reads it and the two hashes (4 MiB chunks measured slower)."""
READ_CHUNK = 1024 * 1024
"""Download read size. Each read allocates and copies its chunk twice (http.client, then
urllib3); at 1 MiB that stays in cache while the prefetch thread reads the next chunk and this
one is hashed: `bench/evidence.py` measured 4 MiB reads at half the throughput of raw minio,
1 MiB reads at par."""
MAX_LINK_LIFETIME = timedelta(minutes=15)
CONNECT_TIMEOUT_SECONDS = 3
READ_TIMEOUT_SECONDS = 60
_NOT_FOUND = frozenset({"NoSuchKey", "NoSuchObject", "ResourceNotFound"})
_Result = TypeVar("_Result")


class S3Store:
    def __init__(
        self,
        client: Minio,
        bucket: str,
        *,
        part_size: int = PART_SIZE,
        parallel_uploads: int = PARALLEL_UPLOADS,
        verify_readback: bool = False,
    ) -> None:
        self.client = client
        self.bucket = bucket
        self.url = f"s3://{bucket}"
        self.part_size = part_size
        self.parallel_uploads = parallel_uploads
        self.verify_readback = verify_readback
        """Also re-read and re-hash every new object (twice the traffic) instead of trusting
        the ETag check, for stores whose ETags are not MD5-based (SSE-KMS)."""

    def ensure_bucket(self) -> None:
        """Create the bucket when absent (`casefile init`, tests); production buckets exist."""
        if not self._call("check bucket", lambda: self.client.bucket_exists(self.bucket)):
            self._call("create bucket", lambda: self.client.make_bucket(self.bucket))

    def _call(self, what: str, action: Callable[[], _Result]) -> _Result:
        """Run a client call, turning transport and server failures into StorageUnavailable."""
        try:
            return action()
        except S3Error as error:
            if error.code in _NOT_FOUND:
                raise
            raise StorageUnavailable(f"{self.url}: {what}: {error.code} {error.message}") from error
        except (MinioException, urllib3.exceptions.HTTPError, OSError, ValueError) as error:
            raise StorageUnavailable(f"{self.url}: {what}: {error}") from error

    def put_stream(self, stream: Readable, *, max_size: int | None = None) -> StoredObject:
        if _seekable(stream):
            return self._put_seekable(stream, max_size)  # type: ignore[arg-type]
        # A stream (an HTTP body): its SHA-256, hence its key, is known only at its end. It is
        # hashed while it is spooled (in memory up to one part, beyond that to an anonymous
        # temporary file, unlinked at once: nothing outlives a crash), then uploaded like a
        # file. Cheaper than a temporary key and a server-side copy, which moves every byte a
        # second time on the server. The part MD5s are computed during the upload, on the
        # bytes read back from the spool (private to this process), where they overlap the
        # network instead of lengthening the spooling pass.
        with tempfile.SpooledTemporaryFile(
            max_size=self.part_size, prefix="casefile-upload-"
        ) as spool:
            first = HashingReader(stream, max_size=max_size)
            try:
                while data := first.read(SPOOL_CHUNK):
                    spool.write(data)
                spool.flush()
                spool.seek(0)
            except OSError as error:
                raise StorageUnavailable(f"mise en tampon d'un envoi : {error.strerror}") from error
            upload = PartHashingReader(spool, self.part_size)
            try:
                return self._upload_hashed(upload, upload.parts, first, "fichier arrivé altéré")
            finally:
                upload.parts.finish()

    def _put_seekable(self, stream: BinaryIO, max_size: int | None) -> StoredObject:
        """A file on disk (a CLI argument): hash it first (SHA-256 for the key, MD5 of each
        part for the ETag), then upload it straight to its content key with a known length,
        or not at all when already stored."""
        start = stream.tell()
        first = HashingReader(stream, max_size=max_size, part_size=self.part_size)
        try:
            while first.read(SPOOL_CHUNK):
                pass
        finally:
            first.finish()
        stream.seek(start)
        assert first.parts is not None
        return self._upload_hashed(stream, first.parts, first, "fichier modifié pendant l'envoi")

    def _upload_hashed(
        self, source: Readable, parts: PartDigests, first: HashingReader, fault: str
    ) -> StoredObject:
        """Upload `source`, already hashed by `first`, to its content key. The ETag the
        server returns must be the one `parts` predicts (the MD5 of each part of the bytes
        hashed, or handed to the server): it proves the server holds exactly those bytes."""
        sha256, size, blake3 = first.sha256.hexdigest(), first.size, first.blake3.hexdigest()
        existing = self.stat(sha256)
        if existing is not None and self._intact(existing.size, sha256, size, blake3):
            return StoredObject(sha256, size, first.mime, created=False, blake3=blake3)
        # Absent, or stored bytes that fail their hash: these, which pass it, are written
        # (the original of an altered pièce deposited again repairs it).
        key = object_key(sha256)
        result = self._call(
            "upload",
            lambda: self.client.put_object(
                self.bucket,
                key,
                source,  # type: ignore[arg-type]
                length=size,
                part_size=self.part_size,
                num_parallel_uploads=self.parallel_uploads,
                content_type=first.mime,
                metadata={"x-amz-meta-sha256": sha256},
            ),
        )
        etag = (result.etag or "").strip('"')
        expected = parts.expected_etag()
        if not self.verify_readback and (etag != expected or parts.size != size):
            with contextlib.suppress(StorageUnavailable, S3Error):
                self._call("remove altered upload", lambda: self._remove(key))
            raise IntegrityError(
                f"{self.url} : l'envoi vers {key} a échoué ({fault}) : le fichier est arrivé "
                f"altéré ou a changé pendant l'envoi (ETag {etag}, attendu {expected}) ; "
                "envoyez-le de nouveau"
            )
        self._verify_new(sha256, size, blake3)
        return StoredObject(
            sha256, size, first.mime, created=True, blake3=blake3, repaired=existing is not None
        )

    def _intact(self, actual: int, sha256: str, size: int, blake3: str) -> bool:
        """Whether the stored object still holds the bytes its key names."""
        if actual != size:
            return False
        try:
            for _ in self.open_verified(sha256, size, blake3=blake3):
                pass
        except IntegrityError:
            return False
        return True

    def _verify_new(self, sha256: str, size: int, blake3: str) -> None:
        """Check the object just written under its content key; remove it if it is wrong, so
        a content key never names other bytes."""
        stored = self.stat(sha256)
        if stored is None:
            raise StorageUnavailable(f"{self.url} : {sha256} a disparu juste après son écriture")
        try:
            self._check_size(stored.size, sha256, size)
            if self.verify_readback:
                for _ in self.open_verified(sha256, size, blake3=blake3):
                    pass
        except IntegrityError:
            with contextlib.suppress(StorageUnavailable, S3Error):
                self.delete(sha256)
            raise

    def _check_size(self, actual: int, sha256: str, size: int) -> None:
        if actual != size:
            raise IntegrityError(
                f"objet {sha256} stocké avec {actual} octets au lieu de {size} : la copie "
                "stockée est corrompue ; lancez `casefile evidence verify`"
            )

    def _remove(self, key: str) -> None:
        self.client.remove_object(self.bucket, key)

    def open_verified(
        self, sha256: str, size: int | None = None, *, blake3: str | None = None
    ) -> Iterator[bytes]:
        key = object_key(sha256)
        try:
            response = self._call("read", lambda: self.client.get_object(self.bucket, key))
        except S3Error as error:
            raise ObjectMissing(f"objet {sha256} absent de {self.url}") from error
        return _released(
            response,
            verified_chunks(
                prefetched(response.stream(READ_CHUNK)),
                sha256,
                size,
                f"{self.url}/{key}",
                blake3=blake3,
            ),
        )

    def check(self) -> None:
        """Raise `StorageUnavailable` unless the server answers and the bucket exists."""
        if not self._call("check bucket", lambda: self.client.bucket_exists(self.bucket)):
            raise StorageUnavailable(f"{self.url} : le bucket n'existe pas (casefile init)")

    def exists(self, sha256: str) -> bool:
        return self.stat(sha256) is not None

    def stat(self, sha256: str) -> ObjectInfo | None:
        key = object_key(sha256)
        try:
            st = self._call("stat", lambda: self.client.stat_object(self.bucket, key))
        except S3Error:
            return None
        assert st.last_modified is not None and st.size is not None
        return ObjectInfo(sha256, st.size, st.last_modified)

    def delete(self, sha256: str) -> None:
        key = object_key(sha256)
        self._call("delete", lambda: self._remove(key))

    def list_objects(self) -> Iterator[ObjectInfo]:
        listing = self._call(
            "list",
            lambda: iter(self.client.list_objects(self.bucket, prefix=KEY_PREFIX, recursive=True)),
        )
        while True:
            item = self._call("list", lambda: next(listing, None))
            if item is None:
                return
            sha256 = key_sha256(item.object_name or "")
            if sha256 is not None and item.size is not None and item.last_modified is not None:
                yield ObjectInfo(sha256, item.size, item.last_modified)

    def list_keys(self) -> Iterator[str]:
        return (info.sha256 for info in self.list_objects())

    def temporary_uploads(self) -> Iterator[TemporaryUpload]:
        listing = self._call(
            "list",
            lambda: iter(self.client.list_objects(self.bucket, prefix=TEMP_PREFIX, recursive=True)),
        )
        while True:
            item = self._call("list", lambda: next(listing, None))
            if item is None:
                return
            name = (item.object_name or "")[len(TEMP_PREFIX) :]
            if name and item.last_modified is not None:
                yield TemporaryUpload(name, item.size or 0, item.last_modified, owner_gone(name))

    def remove_temporary(self, name: str) -> None:
        if "/" in name or not name:
            raise ValueError(f"{name!r} is not a temporary upload name")
        self._call("remove temporary upload", lambda: self._remove(f"{TEMP_PREFIX}{name}"))

    def download_url(
        self, sha256: str, filename: str, expires: timedelta, now: datetime | None = None
    ) -> str:
        """A presigned GET, at most 15 minutes, that downloads under `filename` (RFC 6266)."""
        if not timedelta(0) < expires <= MAX_LINK_LIFETIME:
            raise ValueError(f"a download link lives at most 15 minutes, not {expires}")
        disposition = f"attachment; filename*=UTF-8''{quote(filename, safe='')}"
        return self._call(
            "presign",
            lambda: self.client.presigned_get_object(
                self.bucket,
                object_key(sha256),
                expires=expires,
                response_headers={"response-content-disposition": disposition},
                request_date=now,
            ),
        )


def _released(response: urllib3.BaseHTTPResponse, chunks: Iterator[bytes]) -> Iterator[bytes]:
    try:
        yield from chunks
    except (urllib3.exceptions.HTTPError, OSError) as error:
        raise StorageUnavailable(f"lecture d'un objet interrompue : {error}") from error
    finally:
        response.close()
        response.release_conn()


def _seekable(stream: Readable) -> bool:
    try:
        return bool(stream.seekable())  # type: ignore[attr-defined]
    except (AttributeError, OSError, ValueError):
        return False


def open_client(
    endpoint: str,
    access_key: str | None,
    secret_key: str | None,
    *,
    secure: bool,
    region: str | None,
) -> Minio:
    """A minio client; `endpoint` may be given as host:port or as an http(s) URL."""
    if "://" in endpoint:
        scheme, _, endpoint = endpoint.partition("://")
        secure = scheme == "https"
    return Minio(
        endpoint.rstrip("/"),
        access_key=access_key,
        secret_key=secret_key,
        secure=secure,
        region=region,
        http_client=_http_client(),
    )


def _http_client() -> urllib3.PoolManager:
    """minio's own client waits 5 minutes to connect and retries five times: an object store
    that is down would hold a request for many seconds. Connect within 3 s, retry twice."""
    return urllib3.PoolManager(
        timeout=urllib3.Timeout(connect=CONNECT_TIMEOUT_SECONDS, read=READ_TIMEOUT_SECONDS),
        maxsize=10,
        cert_reqs="CERT_REQUIRED",
        ca_certs=os.environ.get("SSL_CERT_FILE") or certifi.where(),
        retries=urllib3.Retry(total=2, backoff_factor=0.1, status_forcelist=[500, 502, 503, 504]),
    )
