"""Copying every object of one store into another (backups and their restore, moving from a
folder to MinIO): `casefile evidence mirror --to URL | --from URL`.

Objects are content-addressed, so a copy is never ambiguous: an object the target already holds
is skipped (a second mirror copies only what is new), and each copied object is read through
`open_verified` (the source's bytes must hash to their name) and stored by `put_stream`, which
hashes again on the way in: a copy that does not carry the same digest is refused. A restore is
complete when `casefile evidence verify` is clean.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from casefile.evidence.errors import IntegrityError, ObjectMissing
from casefile.evidence.objects import IterReader, ObjectStore


@dataclass
class MirrorReport:
    copied: int = 0
    present: int = 0
    bytes: int = 0
    failed: list[str] = field(default_factory=list)
    """Objects of the source that failed their hash (or vanished): not copied."""

    @property
    def ok(self) -> bool:
        return not self.failed


def mirror(
    source: ObjectStore,
    target: ObjectStore,
    progress: Callable[[int, int], None] | None = None,
) -> MirrorReport:
    report = MirrorReport()
    objects = list(source.list_objects())
    for number, info in enumerate(objects, 1):
        if target.exists(info.sha256):
            report.present += 1
        else:
            try:
                stored = target.put_stream(IterReader(source.open_verified(info.sha256, info.size)))
            except (IntegrityError, ObjectMissing):
                report.failed.append(info.sha256)
            else:
                if stored.sha256 != info.sha256:  # put_stream hashed other bytes: never kept
                    raise IntegrityError(f"mirror: {info.sha256} was stored as {stored.sha256}")
                report.copied += 1
                report.bytes += stored.size
        if progress is not None:
            progress(number, len(objects))
    return report
