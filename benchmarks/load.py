"""The bench's own load generator, run as its own process when wrk is not installed: several
threads, each a client sending GET requests one after another, to an address on this machine
only. It runs for `--seconds` (the throughput phase), or until `--requests` have been sent,
whichever comes first; `--timeout` bounds the whole run.

    python benchmarks/load.py --url http://127.0.0.1:8100/opportunities/ --cookie "sessionid=…" \
        --concurrency 8 --seconds 15
Prints one JSON object: requests, req/s, latency percentiles (ms), bytes per response, errors
(every answer other than 200 and every socket error). It is Python: on a small machine it takes
a share of the CPU the server would otherwise have (the bench measures that share).
"""

import argparse
import http.client
import json
import sys
import threading
import time
from collections import Counter
from urllib.parse import urlsplit

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def percentile(values, fraction):
    ordered = sorted(values)
    if not ordered:
        return None
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def summary(latencies, sizes, errors, *, seconds, concurrency):
    """The result object (the same keys as benchmarks/wrk.py: parse)."""
    kinds = Counter(str(error) for error in errors)
    latency = {}
    if latencies:
        for name, fraction in (("p50", 0.5), ("p75", 0.75), ("p90", 0.9), ("p99", 0.99)):
            latency[name] = round(percentile(latencies, fraction), 2)
        latency["max"] = round(max(latencies), 2)
    return {
        "requests": len(latencies),
        "errors": len(errors),
        "error_kinds": dict(sorted(kinds.items())),
        "concurrency": concurrency,
        "seconds": round(seconds, 3),
        "throughput_rps": round(len(latencies) / seconds, 1) if seconds else None,
        "latency_ms": latency,
        "bytes_per_request": round(sum(sizes) / len(sizes)) if sizes else None,
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", action="append", required=True)
    parser.add_argument("--cookie", default="")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--seconds", type=float, help="run this long (default: until --requests)")
    parser.add_argument("--requests", type=int, default=0, help="stop after this many (0: none)")
    parser.add_argument("--timeout", type=float, default=120.0, help="overall limit, seconds")
    args = parser.parse_args()
    if not args.seconds and not args.requests:
        parser.error("give --seconds, --requests or both")
    targets = [urlsplit(url) for url in args.url]
    for target in targets:
        if target.hostname not in LOOPBACK:
            sys.exit(f"refusing a non-loopback target: {target.hostname}")

    latencies, sizes, errors = [], [], []
    lock = threading.Lock()
    remaining = [args.requests or float("inf")]
    started = time.perf_counter()
    deadline = time.monotonic() + min(args.seconds or args.timeout, args.timeout)

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
            began = time.perf_counter()
            try:
                if connection is None:
                    connection = http.client.HTTPConnection(
                        target.hostname, target.port, timeout=30
                    )
                connection.request("GET", path, headers={"Cookie": args.cookie})
                response = connection.getresponse()
                body = response.read()
                elapsed = (time.perf_counter() - began) * 1000
                with lock:
                    if response.status != 200:
                        errors.append(response.status)
                    latencies.append(elapsed)
                    sizes.append(len(body))
            except (OSError, http.client.HTTPException) as exc:
                with lock:
                    errors.append(type(exc).__name__)
                connection = None

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(args.concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    result = summary(latencies, sizes, errors, seconds=seconds, concurrency=args.concurrency)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
