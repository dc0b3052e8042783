"""The behaviour every object store backend must show, run on a folder and on S3."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from blake3 import blake3

from casefile.errors import InputError
from casefile.evidence.errors import IntegrityError, ObjectMissing, StorageUnavailable
from casefile.evidence.faults import FailingStore
from casefile.evidence.objects import IterReader
from tests.evidence.conftest import PART, Backend, pdf, sha


def read_all(store, sha256, size=None) -> bytes:
    return b"".join(store.open_verified(sha256, size))


def test_round_trip_gives_back_the_same_bytes_with_their_hash_and_sniffed_type(store):
    data = pdf("facture F2026-014", size=PART + 123_457)  # two parts on S3
    stored = store.put_stream(io.BytesIO(data))
    assert (stored.sha256, stored.size, stored.mime, stored.created) == (
        sha(data),
        len(data),
        "application/pdf",
        True,
    )
    assert read_all(store, stored.sha256, stored.size) == data
    assert store.exists(stored.sha256)
    info = store.stat(stored.sha256)
    assert info is not None and info.size == len(data)


def test_a_stream_of_small_chunks_and_an_empty_file_are_stored(store):
    chunks = [b"Bonjour,\n", "relance n° 2\n".encode(), b"Cordialement\n"] * 1000
    stored = store.put_stream(IterReader(chunks))
    assert stored.size == len(b"".join(chunks))
    assert stored.mime == "text/plain"
    empty = store.put_stream(io.BytesIO(b""))
    assert (empty.size, empty.sha256) == (0, sha(b""))
    assert read_all(store, empty.sha256, 0) == b""


def test_the_same_bytes_twice_are_one_object(backend: Backend):
    data = pdf("contrat")
    first = backend.store.put_stream(io.BytesIO(data))
    second = backend.store.put_stream(io.BytesIO(data))
    assert first.sha256 == second.sha256
    assert (first.created, second.created) == (True, False)
    assert list(backend.store.list_keys()) == [first.sha256]
    # No temporary upload is left behind either.
    assert backend.raw_names() == [f"sha256/{first.sha256[:2]}/{first.sha256[2:4]}/{first.sha256}"]


def test_an_existing_object_is_never_overwritten(backend: Backend):
    data = pdf("original")
    stored = backend.store.put_stream(io.BytesIO(data))
    again = backend.store.put_stream(io.BytesIO(data))
    assert (again.created, again.repaired) == (False, False)
    assert read_all(backend.store, stored.sha256) == data


@pytest.mark.parametrize("damage", ["shorter", "one byte"])
def test_a_damaged_object_is_replaced_only_by_the_bytes_its_key_names(
    backend: Backend, damage: str
):
    """The original of an altered pièce deposited again: its bytes pass the hash the key
    names, the stored ones no longer do — they are replaced, and the store says so
    (`repaired`, which the upload records in the audit trail)."""
    data = pdf("original", size=3000)
    stored = backend.store.put_stream(io.BytesIO(data))
    tampered = b"tampered, and shorter" if damage == "shorter" else data[:-1] + b"y"
    backend.overwrite(stored.sha256, tampered)
    with pytest.raises(IntegrityError):
        read_all(backend.store, stored.sha256)
    repaired = backend.store.put_stream(io.BytesIO(data))
    assert (repaired.sha256, repaired.created, repaired.repaired) == (stored.sha256, True, True)
    assert read_all(backend.store, stored.sha256) == data


def test_a_hash_mismatch_is_detected_after_the_last_chunk(backend: Backend):
    data = pdf("facture", size=3000)
    stored = backend.store.put_stream(io.BytesIO(data))
    backend.overwrite(stored.sha256, data[:-1] + b"y")  # same size, one byte changed
    chunks = backend.store.open_verified(stored.sha256, stored.size)
    with pytest.raises(IntegrityError, match="l'empreinte SHA-256 des octets stockés est"):
        list(chunks)


def test_an_upload_records_the_blake3_digest_of_its_bytes_in_the_same_pass(store):
    data = pdf("facture F2026-015", size=PART + 4321)  # two parts on S3
    stored = store.put_stream(io.BytesIO(data))
    assert stored.blake3 == blake3(data).hexdigest()
    assert stored.sha256 == sha(data)  # still the name and the fingerprint
    streamed = store.put_stream(IterReader([data[:1000], data[1000:]]))  # the spooled path
    assert (streamed.sha256, streamed.blake3, streamed.created) == (
        stored.sha256,
        stored.blake3,
        False,
    )
    assert b"".join(store.open_verified(stored.sha256, stored.size, blake3=stored.blake3)) == data


def test_a_download_checked_by_blake3_refuses_altered_bytes(backend: Backend):
    data = pdf("facture", size=300_000)
    stored = backend.store.put_stream(io.BytesIO(data))
    assert stored.blake3 is not None
    backend.overwrite(stored.sha256, data[:-1] + b"y")  # same size, one byte changed
    chunks = backend.store.open_verified(stored.sha256, stored.size, blake3=stored.blake3)
    received = []
    with pytest.raises(IntegrityError, match="l'empreinte BLAKE3 des octets stockés est"):
        for chunk in chunks:
            received.append(chunk)
    assert len(b"".join(received)) < len(data)  # the last chunk was never handed on
    # A version recorded before BLAKE3 (SHA-256 only) is refused all the same.
    with pytest.raises(IntegrityError, match="l'empreinte SHA-256 des octets stockés est"):
        read_all(backend.store, stored.sha256, stored.size)


def test_a_blake3_digest_of_other_bytes_is_refused_even_when_the_sha256_matches(store):
    data = pdf("devis D-7")
    stored = store.put_stream(io.BytesIO(data))
    other = blake3(data + b"x").hexdigest()
    with pytest.raises(IntegrityError, match="BLAKE3"):
        b"".join(store.open_verified(stored.sha256, stored.size, blake3=other))
    with pytest.raises(InputError, match="BLAKE3"):
        b"".join(store.open_verified(stored.sha256, stored.size, blake3="not-hex"))


def test_a_size_mismatch_is_detected(backend: Backend):
    stored = backend.store.put_stream(io.BytesIO(pdf("devis")))
    with pytest.raises(IntegrityError, match="enregistrés"):
        read_all(backend.store, stored.sha256, stored.size + 1)


def test_a_missing_object_fails_before_any_byte(store):
    absent = sha(b"never stored")
    assert not store.exists(absent)
    assert store.stat(absent) is None
    with pytest.raises(ObjectMissing, match=absent):
        store.open_verified(absent)


def test_a_key_that_is_not_a_sha256_is_refused(store):
    for bad in ("../../etc/passwd", "ABCDEF" * 11, "a" * 63):
        with pytest.raises(InputError):
            store.exists(bad)


def test_a_file_over_the_limit_is_refused_and_leaves_nothing(backend: Backend):
    with pytest.raises(InputError, match="taille maximale acceptée \\(1\u202f000\u00a0octets\\)"):
        backend.store.put_stream(io.BytesIO(b"x" * 5000), max_size=1000)
    assert backend.raw_names() == []


def test_a_store_that_fails_midway_leaves_nothing(backend: Backend):
    failing = FailingStore(backend.store, {"put_midway"}, fail_after=PART + 10)
    with pytest.raises(StorageUnavailable, match="dropped"):
        failing.put_stream(io.BytesIO(pdf("big", size=2 * PART)))
    assert backend.raw_names() == []


def test_delete_removes_the_object(store):
    stored = store.put_stream(io.BytesIO(b"orphan"))
    store.delete(stored.sha256)
    assert not store.exists(stored.sha256)
    store.delete(stored.sha256)  # idempotent


def test_list_objects_reports_sizes_and_dates(store):
    a = store.put_stream(io.BytesIO(b"a" * 10))
    b = store.put_stream(io.BytesIO(b"b" * 20))
    listed = {info.sha256: info.size for info in store.list_objects()}
    assert listed == {a.sha256: 10, b.sha256: 20}
    assert all(info.modified.tzinfo is not None for info in store.list_objects())


def test_an_unreachable_s3_server_is_storage_unavailable():
    from minio import Minio

    from casefile.evidence.s3 import S3Store

    client = Minio("127.0.0.1:9", access_key="x", secret_key="y", secure=False, region="us-east-1")
    client._http.connection_pool_kw["retries"] = 0  # fail fast
    store = S3Store(client, "nowhere")
    with pytest.raises(StorageUnavailable, match="s3://nowhere"):
        store.put_stream(io.BytesIO(b"data"))
    with pytest.raises(StorageUnavailable):
        list(store.list_objects())


def test_download_urls_are_limited_to_15_minutes(backend: Backend):
    stored = backend.store.put_stream(io.BytesIO(b"x"))
    url = backend.store.download_url(stored.sha256, "x.txt", timedelta(minutes=15))
    assert (url is None) == (backend.name == "local")
    if backend.name != "local":
        with pytest.raises(ValueError, match="15 minutes"):
            backend.store.download_url(stored.sha256, "x.txt", timedelta(minutes=16))


def test_an_upload_the_server_received_altered_is_refused_and_removed(
    s3_backend: Backend, monkeypatch
):
    """The ETag check is the S3 backend's proof of what the server received."""
    backend = s3_backend
    from casefile.evidence.objects import PartDigests

    monkeypatch.setattr(PartDigests, "expected_etag", lambda self: "0" * 32)
    with pytest.raises(IntegrityError, match="arrivé altéré"):
        backend.store.put_stream(io.BytesIO(pdf("x", size=PART + 1)))
    assert backend.raw_names() == []


class _ChangingFile(io.BytesIO):
    """A file rewritten by someone else between the hash pass and the upload pass."""

    def seek(self, offset, whence=0):
        self.getbuffer()[0:5] = b"%PDF!"
        return super().seek(offset, whence)


def test_a_file_changed_during_upload_is_refused_and_leaves_nothing(s3_client):
    """Only the hash-first path (a seekable file) reads the source twice."""
    from casefile.evidence.s3 import S3Store

    backend = Backend("s3-file", S3Store(s3_client, "changing-file", part_size=PART))
    backend.store.ensure_bucket()
    with pytest.raises(IntegrityError, match="a changé pendant l'envoi"):
        backend.store.put_stream(_ChangingFile(pdf("x", size=1000)))
    assert backend.raw_names() == []


def test_a_store_that_reads_back_every_new_object_stores_and_verifies(s3_client):
    """verify_readback is for servers whose ETags are not MD5 (SSE-KMS): no ETag check then."""
    from casefile.evidence.s3 import S3Store

    store = S3Store(s3_client, "readback", part_size=PART, verify_readback=True)
    store.ensure_bucket()
    data = pdf("readback", size=PART + 1)
    for stream in (io.BytesIO(data), IterReader([data[:100], data[100:]])):
        stored = store.put_stream(stream)
        assert stored.sha256 == sha(data)
    assert read_all(store, sha(data)) == data


def test_open_store_picks_the_backend_from_the_url(tmp_path):
    import dataclasses

    from casefile.evidence.backends import open_store
    from casefile.evidence.local import LocalStore
    from casefile.evidence.s3 import S3Store
    from casefile.settings import Settings

    settings = dataclasses.replace(
        Settings.from_env(),
        s3_endpoint="http://127.0.0.1:9000",
        s3_access_key="k",
        s3_secret_key="s",
    )
    local = open_store(f"file://{tmp_path}/ev", settings)
    assert isinstance(local, LocalStore) and local.root == tmp_path / "ev"
    relative = open_store("file://var/evidence", settings)
    assert isinstance(relative, LocalStore) and str(relative.root) == "var/evidence"
    s3 = open_store("s3://pieces", settings)
    assert isinstance(s3, S3Store) and s3.bucket == "pieces"
    assert s3.client._base_url.is_https is False
    for bad, message in (
        ("pieces", "file://CHEMIN ou s3://BUCKET"),
        ("ftp://x", "stockage des pièces « ftp://x » : schéma « ftp » inconnu"),
        ("s3://a/b", "un bucket seul"),
    ):
        with pytest.raises(InputError, match=message):
            open_store(bad, settings)
    with pytest.raises(InputError, match="secret key must be provided"):
        open_store("s3://pieces", dataclasses.replace(settings, s3_secret_key=None))
    with pytest.raises(InputError, match="CASEFILE_S3_ENDPOINT"):
        open_store("s3://pieces", dataclasses.replace(settings, s3_endpoint=None))


def test_the_part_md5s_hashed_beside_the_sha256_predict_the_multipart_etag():
    """The MD5 of each part runs in a second thread (beside the SHA-256): same ETag as hashing
    in sequence, and the thread is gone once the ETag is read or the upload fails."""
    import hashlib
    import os
    import threading

    from casefile.evidence.objects import HashingReader

    part = 1024 * 1024
    data = os.urandom(part * 2 + 12345)
    reader = HashingReader(io.BytesIO(data), part_size=part)
    while reader.read(300_000):  # chunks that straddle the parts' edges
        pass
    md5s = [hashlib.md5(data[i : i + part]).digest() for i in range(0, len(data), part)]
    expected = f"{hashlib.md5(b''.join(md5s)).hexdigest()}-3"
    assert reader.parts is not None and reader.parts.expected_etag() == expected
    assert reader.sha256.hexdigest() == sha(data)
    assert not [t for t in threading.enumerate() if t.name.startswith("evidence-md5")]

    failing = HashingReader(io.BytesIO(data), part_size=part, max_size=part)
    with pytest.raises(InputError):
        while failing.read(300_000):
            pass
    failing.finish()
    failing.finish()
    assert not [t for t in threading.enumerate() if t.name.startswith("evidence-md5")]


def test_the_part_md5s_of_the_bytes_handed_to_the_uploader_predict_the_etag():
    """A spooled stream's part MD5s are computed on what minio reads for the upload."""
    import hashlib
    import os
    import threading

    from casefile.evidence.objects import PartHashingReader

    part = 1024 * 1024
    data = os.urandom(part * 2 + 12345)
    reader = PartHashingReader(io.BytesIO(data), part)
    assert reader.read(part) == data[:part]
    assert reader.read(part) == data[part : 2 * part]
    assert reader.read(part) == data[2 * part :]
    assert reader.read(part) == b""
    md5s = [hashlib.md5(data[i : i + part]).digest() for i in range(0, len(data), part)]
    assert reader.parts.expected_etag() == f"{hashlib.md5(b''.join(md5s)).hexdigest()}-3"
    assert reader.parts.size == len(data)
    assert not [t for t in threading.enumerate() if t.name.startswith("evidence-md5")]

    single = PartHashingReader(io.BytesIO(data[:1000]), part)
    assert single.read(1000) == data[:1000]
    assert single.parts.expected_etag() == hashlib.md5(data[:1000]).hexdigest()


def test_a_stream_smaller_than_a_part_is_spooled_in_memory(s3_client, monkeypatch):
    """Only a stream larger than one part goes through a temporary file."""
    import tempfile

    from casefile.evidence.s3 import S3Store

    store = S3Store(s3_client, "spool-memory", part_size=PART)
    store.ensure_bucket()
    spooled: list[str] = []
    real = tempfile.TemporaryFile

    def temporary_file(*args, **kwargs):
        if kwargs.get("prefix") == "casefile-upload-":  # not moto's own, in this process
            spooled.append(kwargs["prefix"])
        return real(*args, **kwargs)

    monkeypatch.setattr(tempfile, "TemporaryFile", temporary_file)
    small, large = pdf("small", size=PART), pdf("large", size=PART + 1)
    assert store.put_stream(IterReader([small])).sha256 == sha(small)
    assert spooled == []
    assert store.put_stream(IterReader([large[:100], large[100:]])).sha256 == sha(large)
    assert spooled == ["casefile-upload-"]
    assert read_all(store, sha(small)) == small
    assert read_all(store, sha(large)) == large
