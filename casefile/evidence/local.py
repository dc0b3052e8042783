"""Objects in a folder: `ROOT/sha256/ab/cd/<hex>`, written through a temporary file and a
no-clobber hard link, so a key appears complete or not at all and is never replaced — except
by bytes proven to match it when the stored ones no longer do (an altered pièce's original
deposited again: `StoredObject.repaired`)."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import BinaryIO

from casefile.evidence.errors import IntegrityError, ObjectMissing, StorageUnavailable
from casefile.evidence.objects import (
    CHUNK,
    HashingReader,
    ObjectInfo,
    Readable,
    StoredObject,
    TemporaryUpload,
    check_sha256,
    key_sha256,
    object_key,
    owner_gone,
    upload_owner_tag,
    verified_chunks,
)

TEMP_DIR = ".tmp"


class LocalStore:
    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)
        self.url = f"file://{self.root}"

    def _path(self, sha256: str) -> Path:
        return self.root / object_key(sha256)

    def put_stream(self, stream: Readable, *, max_size: int | None = None) -> StoredObject:
        temp_dir = self.root / TEMP_DIR
        try:
            temp_dir.mkdir(parents=True, exist_ok=True)
            # Same folder tree as the objects: the final link/rename stays on one file system.
            fd, temp_name = tempfile.mkstemp(dir=temp_dir, prefix=f"upload-{upload_owner_tag()}-")
        except OSError as error:
            raise StorageUnavailable(f"evidence folder {self.root}: {error.strerror}") from error
        temp = Path(temp_name)
        try:
            reader = HashingReader(stream, max_size=max_size)
            with os.fdopen(fd, "wb") as out:
                while data := reader.read(CHUNK):
                    out.write(data)
                out.flush()
                os.fsync(out.fileno())
            sha256, blake3 = reader.sha256.hexdigest(), reader.blake3.hexdigest()
            stored = self._commit(temp, sha256, reader.size, blake3)
            return StoredObject(
                sha256,
                reader.size,
                reader.mime,
                created=stored != "existing",
                blake3=blake3,
                repaired=stored == "repaired",
            )
        except OSError as error:
            raise StorageUnavailable(
                f"dossier des pièces {self.root} : impossible d'y stocker le fichier : "
                f"{error.strerror}"
            ) from error
        finally:
            with contextlib.suppress(FileNotFoundError):
                temp.unlink()

    def _commit(self, temp: Path, sha256: str, size: int, blake3: str) -> str:
        """Verify the written temp file, then link it to its key unless the key exists.

        Returns "created", "existing" (identical bytes already stored) or "repaired" (the
        stored bytes failed their hash: these, which pass it, replaced them)."""
        final = self._path(sha256)
        repair = final.exists()
        if repair and self._intact(final, sha256, size, blake3):
            return "existing"
        # Re-read what reached the disk: the page cache makes this cheap, and it proves the
        # file holds the bytes that were hashed.
        with temp.open("rb") as data:
            chunks = iter(lambda: data.read(CHUNK), b"")
            for _ in verified_chunks(chunks, sha256, size, str(temp), blake3=blake3):
                pass
        temp.chmod(0o444)
        final.parent.mkdir(parents=True, exist_ok=True)
        if repair:
            # Only bytes proven to match the key replace bytes proven not to.
            os.replace(temp, final)
            _fsync_dir(final.parent)
            return "repaired"
        try:
            # link() fails if the key exists, where rename() would silently replace it.
            os.link(temp, final)
        except FileExistsError:
            self._check_size(final, sha256, size)
            return "existing"
        _fsync_dir(final.parent)
        return "created"

    def _intact(self, path: Path, sha256: str, size: int, blake3: str) -> bool:
        """Whether the stored object still holds the bytes its key names."""
        if path.stat().st_size != size:
            return False
        try:
            with path.open("rb") as data:
                chunks = iter(lambda: data.read(CHUNK), b"")
                for _ in verified_chunks(chunks, sha256, size, str(path), blake3=blake3):
                    pass
        except IntegrityError:
            return False
        return True

    def _check_size(self, path: Path, sha256: str, size: int) -> None:
        actual = path.stat().st_size
        if actual != size:
            raise IntegrityError(
                f"objet {sha256} déjà stocké avec {actual} octets au lieu de {size} : la copie "
                "stockée est corrompue ; lancez `casefile evidence verify`"
            )

    def open_verified(
        self, sha256: str, size: int | None = None, *, blake3: str | None = None
    ) -> Iterator[bytes]:
        path = self._path(sha256)
        try:
            handle = path.open("rb")
        except FileNotFoundError:
            raise ObjectMissing(f"objet {sha256} absent de {self.url}") from None
        except OSError as error:
            raise StorageUnavailable(f"objet {sha256} : {error.strerror}") from error
        return _closing(
            handle,
            verified_chunks(_file_chunks(handle), sha256, size, str(path), blake3=blake3),
        )

    def check(self) -> None:
        """Raise `StorageUnavailable` unless the folder (or, before the first upload creates
        it, its nearest existing parent) is a writable directory."""
        folder = self.root
        while not folder.exists() and folder != folder.parent:
            folder = folder.parent
        if not folder.is_dir() or not os.access(folder, os.W_OK | os.X_OK):
            raise StorageUnavailable(
                f"dossier des pièces {self.root} : impossible d'y écrire des fichiers"
            )

    def exists(self, sha256: str) -> bool:
        return self._path(sha256).is_file()

    def stat(self, sha256: str) -> ObjectInfo | None:
        try:
            st = self._path(sha256).stat()
        except FileNotFoundError:
            return None
        return ObjectInfo(sha256, st.st_size, datetime.fromtimestamp(st.st_mtime, UTC))

    def delete(self, sha256: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            self._path(sha256).unlink()

    def list_objects(self) -> Iterator[ObjectInfo]:
        base = self.root / "sha256"
        if not base.is_dir():
            return
        for dirpath, _, files in os.walk(base):
            for name in sorted(files):
                key = Path(dirpath, name).relative_to(self.root).as_posix()
                sha256 = key_sha256(key)
                if sha256 is not None:
                    info = self.stat(sha256)
                    if info is not None:
                        yield info

    def list_keys(self) -> Iterator[str]:
        return (info.sha256 for info in self.list_objects())

    def temporary_uploads(self) -> Iterator[TemporaryUpload]:
        temp_dir = self.root / TEMP_DIR
        if not temp_dir.is_dir():
            return
        for path in sorted(temp_dir.iterdir()):
            try:
                st = path.stat()
            except FileNotFoundError:  # finished meanwhile
                continue
            yield TemporaryUpload(
                path.name,
                st.st_size,
                datetime.fromtimestamp(st.st_mtime, UTC),
                owner_gone(path.name),
            )

    def remove_temporary(self, name: str) -> None:
        if "/" in name or name.startswith("."):
            raise ValueError(f"{name!r} is not a temporary upload name")
        with contextlib.suppress(FileNotFoundError):
            (self.root / TEMP_DIR / name).unlink()

    def download_url(
        self, sha256: str, filename: str, expires: timedelta, now: datetime | None = None
    ) -> str | None:
        """A folder serves nothing by itself: links.py signs a token the app serves."""
        check_sha256(sha256)
        return None


def _file_chunks(handle: BinaryIO) -> Iterator[bytes]:
    while data := handle.read(CHUNK):
        yield data


def _closing(handle: BinaryIO, chunks: Iterator[bytes]) -> Iterator[bytes]:
    try:
        yield from chunks
    finally:
        handle.close()


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
