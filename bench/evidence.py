"""Evidence store on S3: our streaming put/get against raw minio fput/fget, same server, same run.

Starts moto's S3 server in its own process, writes a random file of --size-mb MiB, then runs
each measurement in a fresh subprocess so its peak RSS (VmHWM) is its own:

  raw fput_object      minio uploads the file (known length, 3 parallel parts)
  raw fget_object      minio downloads it to a file
  store put (file)     S3Store.put_stream on a file: hash pass (SHA-256 and part MD5s), then
                       known-length multipart straight to sha256/…, ETag check
  store put (stream)   the same file as a non-seekable stream: SHA-256 while spooled to a
                       temporary file, then known-length multipart straight to sha256/… with
                       the part MD5s computed on the way, ETag check
  store open_verified  S3Store: streaming download checked against the BLAKE3 digest recorded
                       at upload (a pièce recorded now), written to a file
  store open_verified (SHA-256)
                       the same, checked against the SHA-256 (a pièce recorded before BLAKE3)

Targets: peak RSS < 150 MB, store throughput >= 80 % of raw.

    .venv/bin/python bench/evidence.py --size-mb 1024
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ACCESS, SECRET, BUCKET = "bench", "bench-secret", "bench"


def peak_rss_mib() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def client(endpoint: str):
    from minio import Minio

    return Minio(endpoint, access_key=ACCESS, secret_key=SECRET, secure=False, region="us-east-1")


class _Unseekable:
    """A file seen as a stream (an HTTP request body): forces the spooling path."""

    def __init__(self, source: object) -> None:
        self.read = source.read  # type: ignore[attr-defined]


def child(
    mode: str, endpoint: str, path: str, extra: str, part_mb: int, parallel: int, blake3: str
) -> None:
    """One measurement; prints a JSON line with seconds and peak RSS."""
    from casefile.evidence.s3 import S3Store

    minio = client(endpoint)
    bucket = extra if mode.startswith("store_put") else "bench-file"
    store = S3Store(minio, bucket, part_size=part_mb * 1024 * 1024, parallel_uploads=parallel)
    store.ensure_bucket()
    baseline = peak_rss_mib()
    started, cpu = time.perf_counter(), _own_cpu()
    result: dict[str, object] = {}
    if mode == "raw_put":
        minio.fput_object(BUCKET, "raw/object", path)
    elif mode == "raw_get":
        minio.fget_object(BUCKET, "raw/object", extra)
    elif mode == "store_put":
        with open(path, "rb") as source:
            stored = store.put_stream(source)
        result["sha256"], result["blake3"] = stored.sha256, stored.blake3
    elif mode == "store_put_stream":
        with open(path, "rb") as source:
            stored = store.put_stream(_Unseekable(source))
        result["sha256"] = stored.sha256
    elif mode in ("store_get", "store_get_sha256"):
        with open(extra, "wb") as out:
            for chunk in store.open_verified(path, blake3=blake3 if mode == "store_get" else None):
                out.write(chunk)
    else:
        raise SystemExit(f"unknown mode {mode}")
    result.update(
        seconds=time.perf_counter() - started,
        cpu=_own_cpu() - cpu,
        peak_mib=peak_rss_mib(),
        baseline_mib=baseline,
    )
    print(json.dumps(result))


def _own_cpu() -> float:
    """CPU seconds of this process, all threads, user and system."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def server_cpu(pid: int) -> float:
    """CPU seconds the moto server has used so far."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(
    args: argparse.Namespace, mode: str, endpoint: str, path: str, extra: str = "", blake3: str = ""
) -> dict:
    command = [
        sys.executable,
        __file__,
        "--child",
        mode,
        "--endpoint",
        endpoint,
        "--path",
        path,
        "--extra",
        extra,
        "--part-mb",
        str(args.part_mb),
        "--parallel",
        str(args.parallel),
        "--blake3",
        blake3,
    ]
    before = server_cpu(args.server_pid)
    done = subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    # The work the operation cost on both sides of the wire: on a saturated machine the
    # wall-clock ratio tends to this one, and it does not swing with the neighbours' load.
    result["work"] = result["cpu"] + server_cpu(args.server_pid) - before
    return result


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_moto() -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return process, f"127.0.0.1:{port}"
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("moto server did not start")


def process_rss_mib(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


NAMES = (
    "raw fput_object",
    "raw fget_object",
    "store put (file)",
    "store put (stream)",
    "store open_verified",
    "store open_verified (SHA-256)",
)


def _memory_dir(needed: int) -> str | None:
    """Where both downloads write: /dev/shm (memory) when it has room for them (a container's
    is often 64 MiB), else the temporary folder. On disk, the second 1 GiB file of a round met
    the kernel's dirty-page limit and was charged the writeback of the files before it,
    whichever side wrote it."""
    try:
        stat = os.statvfs("/dev/shm")
    except OSError:
        return None
    room = stat.f_bavail * stat.f_frsize
    return "/dev/shm" if room > needed and os.access("/dev/shm", os.W_OK) else None


def _load() -> str:
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


def _median(runs: list[dict]) -> dict:
    seconds = sorted(run["seconds"] for run in runs)
    cpu = sorted(run["cpu"] for run in runs)
    server = sorted(run["work"] - run["cpu"] for run in runs)
    return {
        "seconds": seconds[len(seconds) // 2],
        "cpu": cpu[len(cpu) // 2],
        "server_cpu": server[len(server) // 2],
        "peak_mib": max(run["peak_mib"] for run in runs),
        "baseline_mib": max(run["baseline_mib"] for run in runs),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size-mb", type=int, default=1024)
    from casefile.evidence.s3 import PARALLEL_UPLOADS, PART_SIZE

    parser.add_argument("--part-mb", type=int, default=PART_SIZE // (1024 * 1024))
    parser.add_argument("--parallel", type=int, default=PARALLEL_UPLOADS)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child")
    parser.add_argument("--endpoint")
    parser.add_argument("--path")
    parser.add_argument("--extra", default="")
    parser.add_argument("--blake3", default="")
    args = parser.parse_args()
    if args.child:
        sys.path.insert(0, str(ROOT))
        child(
            args.child,
            args.endpoint,
            args.path,
            args.extra,
            args.part_mb,
            args.parallel,
            args.blake3,
        )
        return 0

    size = args.size_mb * 1024 * 1024
    moto, endpoint = start_moto()
    args.server_pid = moto.pid
    try:
        with (
            tempfile.TemporaryDirectory(prefix="casefile-bench-") as tmp,
            tempfile.TemporaryDirectory(
                prefix="casefile-bench-", dir=_memory_dir(4 * size)
            ) as downloads,
        ):
            source = Path(tmp, "source.bin")
            with source.open("wb") as out:
                for _ in range(args.size_mb):
                    out.write(os.urandom(1024 * 1024))
            client(endpoint).make_bucket(BUCKET)
            print(
                f"evidence S3 benchmark: {args.size_mb} MiB random file, moto {endpoint}, "
                f"part {args.part_mb} MiB x {args.parallel} parallel, "
                f"median of {args.repeat} interleaved rounds (CPU s: ours, server: moto's during it), "
                f"peak RSS = max, "
                f"load average {_load()}"
            )
            minio = client(endpoint)
            samples: dict[str, list[dict]] = {name: [] for name in NAMES}
            for round_ in range(args.repeat):
                # Interleaved rounds: a load change on the shared machine hits every operation;
                # every other round runs them in the reverse order (uploads before downloads,
                # each object put before it is read), so a drift favours neither side.
                # Each download writes a new file (in memory), removed untimed: replacing last
                # round's (truncating or unlinking 1 GiB of page cache) would be timed otherwise.
                raw_out = Path(downloads, f"raw-{round_}.out")
                got = Path(downloads, f"store-{round_}.out")
                steps = [
                    ("raw fput_object", "raw_put", str(source), ""),
                    ("store put (file)", "store_put", str(source), "bench-file"),
                    ("store put (stream)", "store_put_stream", str(source), "bench-stream"),
                ]
                if round_ % 2:
                    steps.reverse()
                for name, mode, path, extra in steps:
                    samples[name].append(measure(args, mode, endpoint, path, extra))
                digest = str(samples["store put (file)"][-1]["sha256"])
                blake3 = str(samples["store put (file)"][-1]["blake3"])
                got_sha256 = Path(downloads, f"store-sha256-{round_}.out")
                reads = [
                    ("raw fget_object", "raw_get", str(source), str(raw_out)),
                    ("store open_verified", "store_get", digest, str(got)),
                    ("store open_verified (SHA-256)", "store_get_sha256", digest, str(got_sha256)),
                ]
                if round_ % 2:
                    reads.reverse()
                for name, mode, path, extra in reads:
                    samples[name].append(measure(args, mode, endpoint, path, extra, blake3))
                for out in (got, raw_out, got_sha256):
                    if out.stat().st_size != size:
                        raise SystemExit("read-back size differs")
                    out.unlink()
                key = f"sha256/{digest[:2]}/{digest[2:4]}/{digest}"
                for bucket in ("bench-file", "bench-stream"):
                    minio.remove_object(bucket, key)  # the next round stores it anew
                minio.remove_object(BUCKET, "raw/object")  # and so does the anchor
            rows = [(name, _median(runs)) for name, runs in samples.items()]
            print(
                f"{'operation':<31}{'seconds':>9}{'MiB/s':>9}{'CPU s':>8}{'server':>8}"
                f"{'peak RSS MiB':>14}{'(baseline)':>12}"
            )
            for name, row in rows:
                speed = args.size_mb / row["seconds"]
                print(
                    f"{name:<31}{row['seconds']:>9.2f}{speed:>9.1f}"
                    f"{row['cpu']:>8.2f}{row['server_cpu']:>8.2f}"
                    f"{row['peak_mib']:>14.1f}{row['baseline_mib']:>12.1f}"
                )
            raw_put, raw_get, put_row, stream_row, get_row, _ = (row for _, row in rows)
            print(
                "store/raw throughput (medians): "
                f"upload from a file {raw_put['seconds'] / put_row['seconds']:.0%}, "
                f"from a stream {raw_put['seconds'] / stream_row['seconds']:.0%}, "
                f"download {raw_get['seconds'] / get_row['seconds']:.0%} (target >= 80 %)"
            )
            # Each round's ratio against the anchor measured in the same round.
            for label, anchor, ours in (
                ("upload from a file", "raw fput_object", "store put (file)"),
                ("upload from a stream", "raw fput_object", "store put (stream)"),
                ("verified download", "raw fget_object", "store open_verified"),
                ("download, SHA-256", "raw fget_object", "store open_verified (SHA-256)"),
            ):
                ratios = sorted(
                    a["seconds"] / b["seconds"]
                    for a, b in zip(samples[anchor], samples[ours], strict=True)
                )
                work = sorted(
                    a["work"] / b["work"]
                    for a, b in zip(samples[anchor], samples[ours], strict=True)
                )
                print(
                    f"  {label:<22} per round: min {ratios[0]:.0%}, "
                    f"median {ratios[len(ratios) // 2]:.0%}, max {ratios[-1]:.0%} "
                    f"({len(ratios)} rounds); CPU seconds (ours + server) anchor/ours: "
                    f"min {work[0]:.0%}, median {work[len(work) // 2]:.0%}"
                )
            peak = max(row["peak_mib"] for _, row in rows[2:])
            print(f"store peak RSS: {peak:.1f} MiB (target < 150 MB = 143 MiB)")
            print(f"moto server peak RSS: {process_rss_mib(moto.pid):.0f} MiB (not ours)")
            print(f"load average at the end: {_load()}")
    finally:
        moto.terminate()
        moto.wait(timeout=10)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
