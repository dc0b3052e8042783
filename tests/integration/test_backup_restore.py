"""The restore drill of deploy/OPERATIONS.md, for real: an installation on PostgreSQL with its
evidence on an S3 server (moto) is backed up by deploy/backup.sh (pg_dump + the bucket copied
to a folder), restored by deploy/restore.sh into a new database and a new bucket, and ends with
a clean `casefile evidence verify`; the restored case reads back the same."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from minio import Minio

from tests.evidence.conftest import s3_endpoint as s3_endpoint  # the session's moto server
from tests.store.conftest import POSTGRES_ADMIN_URL, _admin, _postgres_database

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
BIN = str(Path(sys.executable).parent)


@pytest.fixture
def installations(
    tmp_path: Path, s3_endpoint: tuple[str, str, str]
) -> Iterator[tuple[dict[str, str], dict[str, str]]]:
    """The production installation and the empty one the drill restores into."""
    endpoint, access, secret = s3_endpoint
    client = Minio(endpoint, access_key=access, secret_key=secret, secure=False)
    names = [_postgres_database(), _postgres_database()]
    envs = []
    for number, name in enumerate(names):
        bucket = f"evidence-{uuid.uuid4().hex[:12]}"
        client.make_bucket(bucket, object_lock=True)  # as minio-init creates it
        var = tmp_path / f"var{number}"
        var.mkdir()
        envs.append(
            {
                **os.environ,
                "PATH": f"{BIN}:{os.environ.get('PATH', '/usr/bin:/bin')}",
                "CASEFILE_DATABASE_URL": POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}",
                "CASEFILE_VAR_DIR": str(var),
                "CASEFILE_EVIDENCE_URL": f"s3://{bucket}",
                "CASEFILE_S3_ENDPOINT": endpoint,
                "CASEFILE_S3_ACCESS_KEY": access,
                "CASEFILE_S3_SECRET_KEY": secret,
                "CASEFILE_S3_SECURE": "false",
            }
        )
    try:
        yield envs[0], envs[1]
    finally:
        for name in names:
            _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run(env: dict[str, str], *command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)


def casefile(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    done = run(env, sys.executable, "-m", "casefile", *args)
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def test_the_restore_drill_ends_with_a_clean_evidence_verify(
    installations: tuple[dict[str, str], dict[str, str]], tmp_path: Path
) -> None:
    production, spare = installations
    casefile(production, "init")
    casefile(
        production,
        *("case", "new", "--reference", "IP-SAUVEGARDE-1", "--procedure", "injonction_de_payer"),
        *("--court", "tribunal_judiciaire", "--court-department", "67"),
        *("--creditor", "Brasserie de l'Ill SAS", "--debtor", "Winstub Muller SARL"),
    )
    files = {"facture.pdf": b"%PDF-1.4\n% F-2026-001\n" + b"1" * 70_000, "contrat.txt": b"CGV\n"}
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
        casefile(
            production,
            "evidence",
            "add",
            "IP-SAUVEGARDE-1",
            str(tmp_path / name),
            "--kind",
            "facture" if name.endswith("pdf") else "contrat",
        )
    before = json.loads(
        casefile(production, "case", "show", "IP-SAUVEGARDE-1", "--format", "json").stdout
    )

    backup = run(production, "sh", str(ROOT / "deploy" / "backup.sh"), str(tmp_path / "backups"))
    assert backup.returncode == 0, backup.stdout + backup.stderr
    folder = Path(backup.stdout.strip().splitlines()[-1])
    assert folder.parent == tmp_path / "backups" and folder.name.startswith("casefile-")
    assert (folder / "casefile.dump").read_bytes()[:5] == b"PGDMP"  # custom format
    assert "2 objet(s) copié(s)" in backup.stdout
    copied = sorted(p.stat().st_size for p in (folder / "evidence").rglob("*") if p.is_file())
    assert copied == sorted(len(data) for data in files.values())

    restore = run(spare, "sh", str(ROOT / "deploy" / "restore.sh"), str(folder))
    assert restore.returncode == 0, restore.stdout + restore.stderr
    assert restore.stdout.rstrip().endswith("OK")
    assert "2 objet(s) vérifié(s)" in restore.stdout
    after = json.loads(
        casefile(spare, "case", "show", "IP-SAUVEGARDE-1", "--format", "json").stdout
    )
    assert after["evidence"] == before["evidence"]
    assert after["deadlines"] == before["deadlines"]

    # A second restore into the now populated database is refused, nothing touched.
    again = run(spare, "sh", str(ROOT / "deploy" / "restore.sh"), str(folder))
    assert again.returncode == 2
    assert "restore into a new, empty database" in again.stderr
