"""A bounded load generator, run as its own process: a fixed number of GET requests over
keep-alive connections from several threads, to an address on this machine only.

    python benchmarks/load.py --url http://127.0.0.1:8100/opportunities/ --cookie "sessionid=…" \
        --concurrency 8 --requests 2000
Prints one JSON object: throughput, latency percentiles (ms), errors.
"""

import argparse
import http.client
import json
import statistics
import sys
import threading
import time
from urllib.parse import urlsplit

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def percentile(values, fraction):
    ordered = sorted(values)
    if not ordered:
        return None
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", action="append", required=True)
    parser.add_argument("--cookie", default="")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--timeout", type=float, default=120.0, help="overall limit, seconds")
    args = parser.parse_args()
    targets = [urlsplit(url) for url in args.url]
    for target in targets:
        if target.hostname not in LOOPBACK:
            sys.exit(f"refusing a non-loopback target: {target.hostname}")

    latencies, errors = [], []
    lock = threading.Lock()
    remaining = [args.requests]
    deadline = time.monotonic() + args.timeout

    def worker(number):
        connection = None
        sent = 0
        while time.monotonic() < deadline:
            with lock:
                if remaining[0] <= 0:
                    break
                remaining[0] -= 1
            target = targets[(number + sent) % len(targets)]
            sent += 1
            path = target.path + (f"?{target.query}" if target.query else "")
            started = time.perf_counter()
            try:
                if connection is None:
                    connection = http.client.HTTPConnection(
                        target.hostname, target.port, timeout=30
                    )
                connection.request("GET", path, headers={"Cookie": args.cookie})
                response = connection.getresponse()
                response.read()
                elapsed = (time.perf_counter() - started) * 1000
                with lock:
                    if response.status != 200:
                        errors.append(response.status)
                    latencies.append(elapsed)
            except (OSError, http.client.HTTPException) as exc:
                with lock:
                    errors.append(type(exc).__name__)
                connection = None

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(n,)) for n in range(args.concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    duration = time.perf_counter() - started
    print(
        json.dumps(
            {
                "requests": len(latencies),
                "errors": len(errors),
                "error_kinds": sorted({str(e) for e in errors}),
                "concurrency": args.concurrency,
                "seconds": round(duration, 3),
                "throughput_rps": round(len(latencies) / duration, 1) if duration else None,
                "latency_ms": {
                    "median": round(statistics.median(latencies), 2) if latencies else None,
                    "p95": round(percentile(latencies, 0.95), 2) if latencies else None,
                    "p99": round(percentile(latencies, 0.99), 2) if latencies else None,
                    "max": round(max(latencies), 2) if latencies else None,
                },
            }
        )
    )


if __name__ == "__main__":
    main()
