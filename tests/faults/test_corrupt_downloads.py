"""Issue 11 item 1: a download never completes successfully with bytes that fail their hash.

A real uvicorn server, real clients (httpx, curl), evidence on a local folder and on moto's S3
server; one byte of a stored object is flipped behind the store's back.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import shutil
import sqlite3
import subprocess
import zipfile

import httpx
import pytest
from blake3 import blake3

from casefile.api import downloads
from casefile.evidence.bundle import TEXT_INDEX
from tests.faults.conftest import Site

SMALL = b"%PDF-1.4\n% facture F-2026-001\n" + b"1" * 20_000 + b"\n%%EOF\n"
LARGE_SIZE = 3 * 1024 * 1024 + 123


def large_pdf() -> bytes:
    block = hashlib.sha256(b"seed").digest() * 1024
    body = (block * (LARGE_SIZE // len(block) + 1))[: LARGE_SIZE - 20]
    return b"%PDF-1.4\n" + body + b"\n%%EOF\n" + b"\n" * 4


def readable_bundle(data: bytes) -> bool:
    """Whether `data` opens as the bundle ZIP (the stored .docx bordereau inside it carries
    its own central directory: a truncated bundle may still open as that .docx)."""
    try:
        return TEXT_INDEX in zipfile.ZipFile(io.BytesIO(data)).namelist()
    except zipfile.BadZipFile:
        return False


ALTERED = (
    "La pièce n° {number} du dossier {case} (« {name} ») est altérée : le fichier stocké ne "
    "correspond plus à l'empreinte enregistrée lors de son dépôt. Elle n'a pas été servie. "
    "L'incident est enregistré dans le journal d'audit (date, utilisateur, pièce et empreinte) "
    "et « casefile evidence verify » le signale. Que faire : déposez à nouveau l'original de la "
    "pièce depuis la page du dossier (le fichier identique remplace la copie altérée) et "
    "prévenez l'administrateur, qui vérifie le stockage des pièces."
)


def incidents(site: Site) -> list[dict[str, object]]:
    result = site.cli("evidence", "verify", "--format", "json")
    report: dict[str, object] = json.loads(result.stdout)
    return report["incidents"]  # type: ignore[return-value]


def test_a_small_corrupt_piece_gets_an_error_and_no_bytes(served: Site) -> None:
    receipt = served.upload(SMALL)
    url = f"{served.url}/api/evidence/{receipt['id']}/content"
    good = httpx.get(url, headers=served.headers)
    assert good.status_code == 200 and good.content == SMALL
    assert "passwd" not in good.headers["content-disposition"]

    served.flip_byte(receipt["sha256"], offset=len(SMALL) // 2)
    bad = httpx.get(url, headers=served.headers)
    # 409: the stored bytes conflict with the fingerprint recorded at upload (not a bug).
    assert bad.status_code == 409
    body = bad.json()
    message = body["error"]
    assert (body["code"], body["piece"], body["case"]) == ("piece_alteree", 1, "IP-FAULT-001")
    assert message == ALTERED.format(number=1, case="IP-FAULT-001", name="facture.pdf")
    # No internals: neither the key, the folder nor the endpoint.
    for internal in ("sha256/", receipt["sha256"], str(served.var), "s3:", "faults-"):
        assert internal not in message
    assert SMALL[:100] not in bad.content

    [incident] = incidents(served)
    assert incident["sha256"] == receipt["sha256"]
    assert incident["entity"] == "piece"


def test_a_large_corrupt_piece_aborts_the_connection(
    served: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Beyond the in-memory limit the piece is streamed one chunk behind its hash.
    monkeypatch.setattr(downloads, "INLINE_VERIFY_BYTES", 1024 * 1024)
    data = large_pdf()
    receipt = served.upload(data)
    url = f"{served.url}/api/evidence/{receipt['id']}/content"
    good = httpx.get(url, headers=served.headers, timeout=30)
    assert good.status_code == 200 and good.content == data

    served.flip_byte(receipt["sha256"], offset=10)
    with (
        pytest.raises(httpx.HTTPError),
        httpx.stream("GET", url, headers=served.headers, timeout=30) as response,
    ):
        assert response.headers["content-length"] == str(len(data))
        received = b"".join(response.iter_bytes())
        pytest.fail(f"the download completed with {len(received)} bytes")

    curl = shutil.which("curl")
    if curl is not None:
        # Once the pièce is known altered (an incident recorded), it is checked whole before
        # the answer starts: curl gets the 409 that says so, never the pièce's bytes.
        run = subprocess.run(
            [curl, "-sS", "-w", "%{http_code}", "-H", f"Authorization: Bearer {served.token}", url],
            capture_output=True,
            timeout=60,
        )
        assert run.stdout.endswith(b"409"), "curl saw a successful transfer"
        assert b"piece_alteree" in run.stdout and data[:100] not in run.stdout

    [*found] = incidents(served)
    assert {i["sha256"] for i in found} == {receipt["sha256"]}
    assert served.cli("evidence", "verify").returncode == 1


def recorded_blake3(site: Site, sha256: str) -> list[str | None]:
    with contextlib.closing(sqlite3.connect(site.var / "casefile.db")) as db:
        rows = db.execute("SELECT blake3 FROM piece_versions WHERE sha256 = ?", (sha256,))
        return [row[0] for row in rows]


def record_as_before_blake3(site: Site, sha256: str) -> None:
    """What a version recorded before the BLAKE3 digest existed looks like (NULL)."""
    with contextlib.closing(sqlite3.connect(site.var / "casefile.db")) as db, db:
        db.execute("UPDATE piece_versions SET blake3 = NULL WHERE sha256 = ?", (sha256,))


def incident_details(site: Site) -> list[str]:
    with contextlib.closing(sqlite3.connect(site.var / "casefile.db")) as db:
        rows = db.execute(
            "SELECT after FROM audit_log WHERE action = 'evidence.integrity_failure' ORDER BY id"
        )
        return [json.loads(row[0])["detail"] for row in rows]


@pytest.mark.parametrize("recorded", ["blake3", "sha256-only"])
@pytest.mark.parametrize("size", ["small", "large"])
def test_a_corrupt_piece_is_refused_whichever_digest_was_recorded(
    served: Site, monkeypatch: pytest.MonkeyPatch, recorded: str, size: str
) -> None:
    # A pièce uploaded now has its BLAKE3 digest recorded and downloads check it; one
    # recorded before (NULL) is checked against its SHA-256. Either way: never served.
    monkeypatch.setattr(downloads, "INLINE_VERIFY_BYTES", 1024 * 1024)
    data = SMALL if size == "small" else large_pdf()
    receipt = served.upload(data)
    digest = receipt["sha256"]
    assert recorded_blake3(served, digest) == [blake3(data).hexdigest()]
    if recorded == "sha256-only":
        record_as_before_blake3(served, digest)
        assert recorded_blake3(served, digest) == [None]
    url = f"{served.url}/api/evidence/{receipt['id']}/content"
    good = httpx.get(url, headers=served.headers, timeout=30)
    assert good.status_code == 200 and good.content == data

    served.flip_byte(digest, offset=len(data) // 2)
    if size == "small":
        bad = httpx.get(url, headers=served.headers)
        assert bad.status_code == 409
        assert bad.json()["error"] == ALTERED.format(
            number=1, case="IP-FAULT-001", name="facture.pdf"
        )
        assert data[:100] not in bad.content
    else:
        with (
            pytest.raises(httpx.HTTPError),
            httpx.stream("GET", url, headers=served.headers, timeout=30) as response,
        ):
            received = b"".join(response.iter_bytes())
            pytest.fail(f"the download completed with {len(received)} bytes")
    [detail] = incident_details(served)
    checked = "BLAKE3" if recorded == "blake3" else "SHA-256"
    assert f"l'empreinte {checked} des octets stockés est" in detail
    [incident] = incidents(served)
    assert incident["sha256"] == digest
    report = json.loads(served.cli("evidence", "verify", "--format", "json").stdout)
    assert (report["ok"], report["mismatched"]) == (False, [digest])


def test_a_corrupt_document_is_refused(served: Site) -> None:
    from casefile.evidence.objects import object_key

    created = httpx.post(
        f"{served.url}/api/cases/{served.case_id}/documents",
        headers=served.headers,
        json={"template": "decompte_creance"},
        timeout=60,
    )
    assert created.status_code == 201, created.text
    document = created.json()
    listed = httpx.get(
        f"{served.url}/api/cases/{served.case_id}/documents", headers=served.headers
    ).json()
    [row] = [d for d in listed if d["id"] == document["id"]]
    url = f"{served.url}/api/documents/{document['id']}/content"
    assert httpx.get(url, headers=served.headers).status_code == 200
    assert object_key(row["sha256"])
    served.flip_byte(row["sha256"], offset=100)
    bad = httpx.get(url, headers=served.headers)
    assert bad.status_code == 409
    assert bad.json() == {
        "error": "le fichier stocké ne correspond plus à son empreinte SHA-256 : il n'est pas "
        "servi ; l'incident est enregistré (casefile evidence verify le signale)",
        "code": "fichier_altere",
    }
    assert not bad.content.startswith(b"PK")
    assert [i["entity"] for i in incidents(served)] == ["document"]


def test_a_bundle_with_a_corrupt_piece_never_ends_as_a_valid_zip(served: Site) -> None:
    first = served.upload(SMALL, filename="a.pdf")
    served.upload(large_pdf(), filename="b.pdf")
    served.flip_byte(first["sha256"], offset=5)
    url = f"{served.url}/api/cases/{served.case_id}/bundle.zip"
    received = io.BytesIO()
    with (
        pytest.raises(httpx.HTTPError),
        httpx.stream("GET", url, headers=served.headers, timeout=30) as response,
    ):
        for chunk in response.iter_bytes():
            received.write(chunk)
    assert not readable_bundle(received.getvalue())
    assert [i["entity"] for i in incidents(served)] == ["case"]
    assert incidents(served)[0]["sha256"] == first["sha256"]

    # Once the case is known to hold an altered pièce, its ZIP is checked whole before it
    # starts: the person gets the message naming the pièce, not a second cut transfer.
    again = httpx.get(url, headers=served.headers, timeout=30)
    assert again.status_code == 409
    assert (again.json()["code"], again.json()["piece"]) == ("piece_alteree", 1)
    assert again.json()["error"] == ALTERED.format(
        number=1, case="IP-FAULT-001", name="a.pdf"
    ).replace("Elle n'a pas été servie.", "Le dossier de pièces n'est pas produit.")
    assert not again.content.startswith(b"PK")


def test_a_repaired_case_streams_its_zip_at_once_until_a_file_is_altered_again(
    served: Site,
) -> None:
    """The whole check before a ZIP lasts while an incident is open: once the altered pièce's
    original is deposited again, the case's ZIP streams at once as any other (its bytes still
    checked on the way); a new alteration cuts that transfer and reopens the check."""
    first = served.upload(SMALL, filename="a.pdf")
    served.upload(large_pdf(), filename="b.pdf")
    url = f"{served.url}/api/cases/{served.case_id}/bundle.zip"

    def cut() -> None:
        received = io.BytesIO()
        with (
            pytest.raises(httpx.HTTPError),
            httpx.stream("GET", url, headers=served.headers, timeout=30) as response,
        ):
            for chunk in response.iter_bytes():
                received.write(chunk)
        assert not readable_bundle(received.getvalue())

    served.flip_byte(first["sha256"], offset=5)
    cut()
    assert httpx.get(url, headers=served.headers, timeout=30).status_code == 409
    repair = httpx.post(
        f"{served.url}/api/cases/{served.case_id}/evidence",
        params={"kind": "facture", "filename": "a.pdf"},
        headers={**served.headers, "content-type": "application/octet-stream"},
        content=SMALL,
        timeout=60,
    )
    assert repair.status_code == 409 and repair.json()["repaired"] is True
    good = httpx.get(url, headers=served.headers, timeout=60)
    assert good.status_code == 200 and readable_bundle(good.content)

    # Altered again after the repair: the ZIP starts (no incident is open) and is cut, which
    # records an incident: the next request is checked whole and refused with the message.
    before = len(incidents(served))  # the first cut and the refusal
    served.flip_byte(first["sha256"], offset=7)
    cut()
    assert [i["entity"] for i in incidents(served)] == ["case"] * (before + 1) == ["case"] * 3
    again = httpx.get(url, headers=served.headers, timeout=30)
    assert again.status_code == 409 and again.json()["piece"] == 1


def test_a_bundle_task_names_the_altered_piece_in_french(served: Site) -> None:
    """« Préparer le dossier de pièces » failed with « var/evidence/sha256/…/… : l'empreinte
    BLAKE3 des octets stockés est 1b97…, non 8288… » on « Mes tâches »."""
    import time

    first = served.upload(SMALL, filename="devis.pdf", kind="devis")
    served.flip_byte(first["sha256"], offset=5)
    asked = httpx.post(
        f"{served.url}/api/cases/{served.case_id}/bundles",
        headers=served.headers,
        json={"format": "zip"},
        timeout=30,
    )
    assert asked.status_code in (200, 201, 202), asked.text
    task = asked.json()
    for _ in range(100):
        if task["status"] in ("done", "failed"):
            break
        time.sleep(0.1)
        task = httpx.get(f"{served.url}{task['url']}", headers=served.headers).json()
    assert task["status"] == "failed"
    assert task["error"] == ALTERED.format(number=1, case="IP-FAULT-001", name="devis.pdf").replace(
        "Elle n'a pas été servie.", "Le dossier de pièces n'est pas produit."
    )
    assert [i["sha256"] for i in incidents(served)] == [first["sha256"]]


def test_a_bundle_whose_store_fails_midway_is_aborted(
    served: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    from casefile.evidence import backends
    from casefile.evidence.faults import FailingStore

    served.upload(SMALL, filename="a.pdf")
    served.upload(large_pdf(), filename="b.pdf")
    real = backends.open_store
    calls = {"n": 0}

    class MidwayStore(FailingStore):
        def open_verified(  # type: ignore[no-untyped-def]
            self, sha256: str, size: int | None = None, *, blake3: str | None = None
        ):
            calls["n"] += 1
            if calls["n"] == 2:
                self.failing.add("read")
            return super().open_verified(sha256, size, blake3=blake3)

    monkeypatch.setattr(
        "casefile.evidence.backends.open_store", lambda *a, **k: MidwayStore(real(), set())
    )
    url = f"{served.url}/api/cases/{served.case_id}/bundle.zip"
    received = io.BytesIO()
    with (
        pytest.raises(httpx.HTTPError),
        httpx.stream("GET", url, headers=served.headers, timeout=30) as response,
    ):
        assert response.status_code == 200
        for chunk in response.iter_bytes():
            received.write(chunk)
    assert calls["n"] == 2
    assert not readable_bundle(received.getvalue())
    good = httpx.get(url, headers=served.headers, timeout=30)
    assert good.status_code == 200 and readable_bundle(good.content)


def test_the_cli_exports_nothing_from_a_corrupt_object(served: Site) -> None:
    first = served.upload(SMALL, filename="a.pdf")
    served.flip_byte(first["sha256"], offset=5)
    out = served.var / "bundle.zip"
    result = served.cli("bundle", str(served.case_id), "-o", str(out))
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists() and not out.with_name("bundle.zip.part").exists()


def test_the_original_deposited_again_repairs_an_altered_piece(served: Site) -> None:
    """What the altered pièce's answer tells the user to do works: the identical file
    uploaded again replaces the stored copy (its bytes pass the recorded fingerprint, the
    stored ones no longer did); the pièce is served again and the repair is in the audit."""
    receipt = served.upload(SMALL)
    url = f"{served.url}/api/evidence/{receipt['id']}/content"
    served.flip_byte(receipt["sha256"], offset=len(SMALL) // 2)
    assert httpx.get(url, headers=served.headers).status_code == 409

    again = httpx.post(
        f"{served.url}/api/cases/{served.case_id}/evidence",
        params={"kind": "facture", "filename": "facture.pdf"},
        headers={**served.headers, "content-type": "application/octet-stream"},
        content=SMALL,
        timeout=60,
    )
    assert again.status_code == 409  # the file is that very pièce: nothing new is recorded
    body = again.json()
    assert body["code"] == "conflit" and body["repaired"] is True
    assert body["existing"]["number"] == 1
    assert body["error"].endswith(
        " ; la copie stockée de la pièce n° 1, altérée, a été remplacée par ce fichier "
        "identique à l'original : elle est de nouveau servie"
    )
    good = httpx.get(url, headers=served.headers)
    assert good.status_code == 200 and good.content == SMALL
    with contextlib.closing(sqlite3.connect(served.var / "casefile.db")) as db:
        repairs = db.execute(
            "SELECT entity, entity_id, after FROM audit_log WHERE action = 'piece.repaired'"
        ).fetchall()
    assert [(e, i, json.loads(a)["sha256"]) for e, i, a in repairs] == [
        ("piece", f"{served.case_id}:{receipt['id']}", receipt["sha256"])
    ]
    # An intact pièce uploaded again is left as it was (no repair said).
    third = httpx.post(
        f"{served.url}/api/cases/{served.case_id}/evidence",
        params={"kind": "facture", "filename": "facture.pdf"},
        headers={**served.headers, "content-type": "application/octet-stream"},
        content=SMALL,
        timeout=60,
    )
    assert third.status_code == 409 and "repaired" not in third.json()


def test_a_large_piece_already_found_altered_gets_the_explanation_not_an_abort(
    served: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(downloads, "INLINE_VERIFY_BYTES", 1024 * 1024)
    data = large_pdf()
    receipt = served.upload(data, filename="grand.pdf")
    url = f"{served.url}/api/evidence/{receipt['id']}/content"
    served.flip_byte(receipt["sha256"], offset=10)
    with (
        pytest.raises(httpx.HTTPError),
        httpx.stream("GET", url, headers=served.headers, timeout=30) as response,
    ):
        b"".join(response.iter_bytes())  # the first time: streamed, then aborted
    second = httpx.get(url, headers=served.headers, timeout=30)
    assert second.status_code == 409
    assert second.json()["error"] == ALTERED.format(number=1, case="IP-FAULT-001", name="grand.pdf")
    assert data[:100] not in second.content
    assert len(incidents(served)) == 2
