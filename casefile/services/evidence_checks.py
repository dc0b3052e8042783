"""The verification of every stored object against its recorded hash (`casefile evidence
verify`, and the weekly job): one place that wires the object store, the pièces and the
generated documents (which share the store: without them `--fix` would delete every rendered
pleading)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

from casefile.evidence import service
from casefile.evidence.backends import open_store
from casefile.store.audit import integrity_incidents
from casefile.store.documents import referenced_documents
from casefile.store.pieces import PiccoloPieceRecords


class AllRecords(PiccoloPieceRecords):
    """The pièces' objects and the generated documents' objects."""

    def referenced_objects(self) -> Iterator[tuple[str, int]]:
        yield from super().referenced_objects()
        yield from self._run(referenced_documents())


async def verify_all(
    progress: service.Progress | None = None, remove_orphans: bool = False
) -> service.Report:
    """Re-hash every object (in a worker thread: the service streams synchronously while the
    event loop answers its queries) and attach the recorded integrity incidents."""
    store = open_store()
    records = AllRecords(asyncio.get_running_loop())
    report = await asyncio.to_thread(
        service.verify, store, records, progress=progress, remove_orphans=remove_orphans
    )
    report.incidents = await integrity_incidents()
    return report


def summary(report: service.Report) -> dict[str, object]:
    """What the job records of a verification (the figures and the problems)."""
    return {
        "ok": report.ok,
        "checked": report.checked,
        "bytes": report.bytes,
        "missing": report.missing,
        "mismatched": report.mismatched,
        "orphans": len(report.orphans),
        "incidents": len(report.incidents),
    }
