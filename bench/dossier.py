"""The dossier de plaidoirie in bounded memory: a 500-page, ~300 MB dossier, peak RSS measured.

Builds a local evidence store holding --pieces PDF pièces of --pages pages each (every page an
uncompressed image of random bytes, so nothing compresses and the output is as large as the
sources) and --photos JPEG photos of 3 MB (converted by img2pdf), then measures each in
a fresh subprocess so that its peak RSS (VmHWM) is its own:

  baseline      imports casefile's dossier and ZIP modules, does nothing (the floor)
  zip bundle    the existing ZIP bundle of the same pièces (anchor: streamed, constant memory)
  pdf dossier   build_dossier: verify every pièce, convert, stamp every page, bookmarks, write

Target (issue 16): peak RSS of the dossier under 200 MB for 500 pages / 300 MB. Time is given
as a ratio to the ZIP bundle of the same pièces in the same run (min and median).

    nice .venv/bin/python bench/dossier.py                 # 50 x 10 pages + 5 photos, ~320 MB
    nice .venv/bin/python bench/dossier.py --runs 3 --page-kb 600
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def peak_rss_mib() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def random_pdf(pages: int, page_bytes: int, label: str) -> bytes:
    """`pages` A4 pages, each one a full-page uncompressed RGB image of random bytes."""
    import pikepdf

    side = int((page_bytes / 3) ** 0.5)
    pdf = pikepdf.Pdf.new()
    for number in range(pages):
        image = pdf.make_stream(
            os.urandom(side * side * 3),
            Type=pikepdf.Name.XObject,
            Subtype=pikepdf.Name.Image,
            Width=side,
            Height=side,
            ColorSpace=pikepdf.Name.DeviceRGB,
            BitsPerComponent=8,
        )
        content = (
            f"q 500 0 0 500 47 170 cm /Im0 Do Q BT /F1 14 Tf 60 760 Td ({label} {number + 1}) Tj ET"
        )
        page = pikepdf.Dictionary(
            Type=pikepdf.Name.Page,
            MediaBox=[0, 0, 595, 842],
            Resources=pikepdf.Dictionary(
                XObject=pikepdf.Dictionary(Im0=image),
                Font=pikepdf.Dictionary(
                    F1=pikepdf.Dictionary(
                        Type=pikepdf.Name.Font,
                        Subtype=pikepdf.Name.Type1,
                        BaseFont=pikepdf.Name.Helvetica,
                    )
                ),
            ),
            Contents=pdf.make_stream(content.encode()),
        )
        pdf.pages.append(pikepdf.Page(page))
    out = io.BytesIO()
    pdf.save(out, compress_streams=False)
    return out.getvalue()


def random_jpeg(page_bytes: int) -> bytes:
    """A photo-sized JPEG of noise (JPEG of noise stays large: about `page_bytes`)."""
    from PIL import Image

    side = int((page_bytes / 1.2) ** 0.5)
    image = Image.frombytes("RGB", (side, side), os.urandom(side * side * 3))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=95)
    return out.getvalue()


def make_store(work: Path, pieces: int, pages: int, page_kb: int, photos: int) -> int:
    """Fill `work/evidence` and save the pièces' records to `work/pieces.pkl`; total bytes."""
    import pickle

    from casefile.evidence import service
    from casefile.evidence.local import LocalStore
    from casefile.evidence.memory import MemoryRecords
    from casefile.evidence.records import Actor

    store = LocalStore(work / "evidence")
    records = MemoryRecords()
    actor = Actor("bench", "avocat")
    total = 0
    for number in range(1, pieces + photos + 1):
        if number > pieces:
            data, name = random_jpeg(3 * 1024 * 1024), f"photo-{number}.jpg"
        else:
            data, name = random_pdf(pages, page_kb * 1024, f"Piece {number}"), f"p-{number}.pdf"
        total += len(data)
        service.add_piece(
            store,
            records,
            1,
            io.BytesIO(data),
            filename=name,
            kind="facture" if name.endswith(".pdf") else "autre",
            actor=actor,
            invoices=[f"F-{number:04d}"] if name.endswith(".pdf") else [],
        )
    (work / "pieces.pkl").write_bytes(pickle.dumps(records.list_pieces(1)))
    return total


def child(mode: str, work: Path) -> None:
    import pickle

    from casefile.evidence.bundle import write_bundle
    from casefile.evidence.dossier import build_dossier
    from casefile.evidence.local import LocalStore

    store = LocalStore(work / "evidence")
    pieces = pickle.loads((work / "pieces.pkl").read_bytes())
    started = time.perf_counter()
    result: dict[str, object] = {}
    if mode == "zip":
        with (work / "bundle.zip").open("wb") as out:
            result["bytes"] = write_bundle(out, store, pieces, case_reference="BENCH-1")
    elif mode == "pdf":
        report = build_dossier(
            store, pieces, work / "dossier.pdf", case_reference="BENCH-1", use_libreoffice=False
        )
        result["bytes"] = report.size
        result["pages"] = report.pages
    result["seconds"] = time.perf_counter() - started
    result["peak_rss_mib"] = peak_rss_mib()
    print(json.dumps(result))


def measure(mode: str, work: Path) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", mode, "--work", str(work)],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pieces", type=int, default=50)
    parser.add_argument("--pages", type=int, default=10)
    parser.add_argument("--page-kb", type=int, default=600)
    parser.add_argument("--photos", type=int, default=5)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child")
    parser.add_argument("--work")
    args = parser.parse_args()
    if args.child:
        child(args.child, Path(args.work))
        return 0
    with tempfile.TemporaryDirectory(prefix="bench-dossier-") as tmp:
        work = Path(tmp)
        started = time.perf_counter()
        total = make_store(work, args.pieces, args.pages, args.page_kb, args.photos)
        print(
            f"{args.pieces} PDF pièces + {args.photos} photos, {total / 2**20:.0f} MiB stored "
            f"(made in {time.perf_counter() - started:.1f} s); load {os.getloadavg()[0]:.1f}"
        )
        baseline = measure("baseline", work)
        print(f"baseline (imports only): peak RSS {baseline['peak_rss_mib']:.0f} MiB")
        zip_runs, pdfs = [], []
        for run in range(args.runs):
            zip_runs.append(measure("zip", work))
            pdfs.append(measure("pdf", work))
            z, p = zip_runs[-1], pdfs[-1]
            print(
                f"run {run + 1}: zip {z['seconds']:.2f} s {z['peak_rss_mib']:.0f} MiB | "
                f"pdf {p['seconds']:.2f} s {p['peak_rss_mib']:.0f} MiB, {p['pages']} pages, "
                f"{p['bytes'] / 2**20:.0f} MiB | time ratio {p['seconds'] / z['seconds']:.2f}"
            )
        import pikepdf

        with pikepdf.open(work / "dossier.pdf") as written:  # the output reads back whole
            if len(written.pages) != pdfs[-1]["pages"]:
                raise SystemExit(f"dossier has {len(written.pages)} pages, not {pdfs[-1]['pages']}")
        ratios = [p["seconds"] / z["seconds"] for p, z in zip(pdfs, zip_runs, strict=True)]
        rss = [p["peak_rss_mib"] for p in pdfs]
        print(
            f"dossier/zip time ratio: min {min(ratios):.2f} median {statistics.median(ratios):.2f}; "
            f"dossier peak RSS: min {min(rss):.0f} median {statistics.median(rss):.0f} "
            f"max {max(rss):.0f} MiB (target < 200 MB = 190.7 MiB); "
            f"zip peak RSS median {statistics.median(z['peak_rss_mib'] for z in zip_runs):.0f} MiB; "
            f"load {os.getloadavg()[0]:.1f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
