"""Load test of the workbench's event list: a bounded loop of httpx requests on 127.0.0.1.

    .venv/bin/python bench/load_api.py [--seconds 60] [--workers 4] [--db PATH]

Starts the app with uvicorn on a free local port over a copy of the store (the demo store, or
the seed coded into a temporary one), then for `--seconds` has `--workers` threads request
pages of `/api/events` (with and without filters) and prints requests/s, latency percentiles
and the number of errors (any status other than 200).
"""

from __future__ import annotations

import argparse
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
import uvicorn

from khaldun.config import shared_dir
from khaldun.web import create_app

QUERIES: list[dict[str, str | int]] = [
    {"limit": 100},
    {"limit": 20, "offset": 5},
    {"actor": "hts"},
    {"type": "ASSAULT"},
    {"bbox": "35,34,38,37.5"},
    {"since": "2020-04-01", "until": "2020-05-04"},
]


def _store(given: Path | None, folder: Path) -> Path:
    target = folder / "load.duckdb"
    if given is not None:
        shutil.copy(given, target)
        return target
    inputs = [str(Path(__file__).resolve().parents[1] / "samples")]
    shared = shared_dir()
    if shared is not None and (shared / "seed" / "idlib.txt").exists():
        inputs.append(str(shared / "seed" / "idlib.txt"))
    khaldun = Path(sys.executable).parent / "khaldun"
    subprocess.run(
        [str(khaldun), "code", *inputs, "--db", str(target), "--published", "2020-05-04"], check=True
    )
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--db", type=Path, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = _store(args.db, Path(tmp))
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        server = uvicorn.Server(
            uvicorn.Config(create_app(db), host="127.0.0.1", port=port, log_level="warning")
        )
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        url = f"http://127.0.0.1:{port}/api/events"
        for _ in range(100):
            try:
                total = httpx.get(url).json()["total"]
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        latencies: list[float] = []
        errors = [0]
        lock = threading.Lock()
        deadline = time.perf_counter() + args.seconds

        def worker(index: int) -> None:
            with httpx.Client() as client:
                k = index
                while time.perf_counter() < deadline:
                    started = time.perf_counter()
                    response = client.get(url, params=QUERIES[k % len(QUERIES)])
                    elapsed = time.perf_counter() - started
                    with lock:
                        latencies.append(elapsed)
                        if response.status_code != 200:
                            errors[0] += 1
                    k += 1

        began = time.perf_counter()
        workers = [threading.Thread(target=worker, args=(i,)) for i in range(args.workers)]
        for w in workers:
            w.start()
        for w in workers:
            w.join()
        wall = time.perf_counter() - began
        server.should_exit = True
        thread.join(timeout=10)
    ordered = sorted(latencies)
    p95 = ordered[int(0.95 * (len(ordered) - 1))] * 1000
    print(f"store: {total} events; {args.workers} workers for {wall:.1f} s on 127.0.0.1")
    print(f"requests: {len(latencies)}, errors: {errors[0]}")
    print(f"throughput: {len(latencies) / wall:.1f} requests/s")
    print(
        f"latency: median {statistics.median(ordered) * 1000:.1f} ms, p95 {p95:.1f} ms, "
        f"max {ordered[-1] * 1000:.1f} ms"
    )


if __name__ == "__main__":
    main()
