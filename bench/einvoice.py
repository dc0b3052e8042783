"""What reading the e-invoice adds to a PDF upload (issue 16 item 3), against the upload itself.

For each file, in the same run and process:

  anchor   LocalStore.put_stream of the bytes (hash + write: what every upload costs)
  examine  what the Factur-X analyser does after it: read the object back verified by its
           SHA-256, open the PDF, find and validate the XML (XSD), map it to the invoice

Files: a Factur-X invoice (EN 16931, a few kilobytes, the usual case); the same invoice in a
PDF padded with a 20 MiB embedded scan; a 20 MiB PDF without any attachment. Prints min and
median seconds of each over --repeat runs and the ratio examine / anchor, with the load.

    .venv/bin/python bench/einvoice.py --repeat 7
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def padded(base: bytes, megabytes: int, *, with_invoice: bool) -> bytes:
    from pypdf import PdfReader, PdfWriter

    from tests.evidence.facturx_samples import invoice_xml

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(base)))
    writer.add_attachment("scan.tif", os.urandom(megabytes * 1024 * 1024))
    if with_invoice:
        writer.add_attachment("factur-x.xml", invoice_xml())
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def timed(work: Callable[[], object], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--size-mb", type=int, default=20)
    args = parser.parse_args()

    from casefile.evidence.facturx import read_pdf
    from casefile.evidence.local import LocalStore
    from tests.evidence.facturx_samples import Sample, facturx_pdf, plain_pdf

    invoice = facturx_pdf(Sample(profile="en16931"))
    files = {
        "Factur-X invoice": invoice,
        f"invoice + {args.size_mb} MiB scan": padded(invoice, args.size_mb, with_invoice=False),
        f"plain PDF {args.size_mb} MiB": padded(plain_pdf(), args.size_mb, with_invoice=False),
    }
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(
        f"{'file':<28} {'bytes':>10} {'anchor min/med ms':>20} {'examine min/med ms':>20} "
        f"{'ratio min':>9} {'ratio med':>9}  status"
    )
    with tempfile.TemporaryDirectory() as folder:
        for label, data in files.items():
            store = LocalStore(Path(folder) / label.replace(" ", "_"))
            stored = store.put_stream(io.BytesIO(data))
            anchor = timed(
                lambda data=data, store=store: store.put_stream(io.BytesIO(data)), args.repeat
            )

            def examine(store=store, stored=stored) -> object:
                return read_pdf(b"".join(store.open_verified(stored.sha256, stored.size)))

            status = read_pdf(data).status
            measured = timed(examine, args.repeat)
            a_min, a_med = min(anchor), statistics.median(anchor)
            e_min, e_med = min(measured), statistics.median(measured)
            print(
                f"{label:<28} {len(data):>10} {a_min * 1000:>9.1f}/{a_med * 1000:<9.1f} "
                f"{e_min * 1000:>9.1f}/{e_med * 1000:<9.1f} {e_min / a_min:>9.2f} "
                f"{e_med / a_med:>9.2f}  {status}"
            )
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
