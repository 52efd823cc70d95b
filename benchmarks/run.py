"""The Cuilong benchmark: seed (or reuse) the volume data, serve the app under gunicorn on
127.0.0.1, sign in as a rep, a manager and an admin, and measure every main screen: SQL queries,
server time (median and p95 after a warm-up), response size; then an export and the import of
the real data set; then the throughput phase (benchmarks/throughput.py): req/s of a few pages
under concurrent clients on a production-like server, with the CPU split. Results go to
benchmarks/results/ as JSON (also latest.json) and a table.

    .venv/bin/python benchmarks/run.py                 # large size on $DATABASE_URL
    .venv/bin/python benchmarks/run.py --size tiny     # the CI smoke run
    .venv/bin/python benchmarks/run.py --only throughput
    .venv/bin/python benchmarks/run.py --compare benchmarks/results/previous.json
"""

import argparse
import contextlib
import http.cookiejar
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script: the benchmarks package and the project

from benchmarks import throughput  # noqa: E402
from benchmarks.screens import after_a_write, prepare, screens, shared_cache, timed_operations  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
PYTHON = sys.executable
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/cuilong_bench"
PASSWORD = "cuilong-demo"


def percentile(values, fraction):
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def server_env(database_url):
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        DEBUG="0",
        SECRET_KEY="benchmark-only-" + "k" * 40,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        SESSION_COOKIE_SECURE="0",
        CSRF_COOKIE_SECURE="0",
        SECURE_HSTS_SECONDS="0",
        SERVER_TIMING="1",
        AXES_FAILURE_LIMIT="1000",
        LOG_LEVEL="WARNING",
    )
    # The pipeline's figures cached until the data changes (crm/figures.py), in a Redis both
    # workers share, as in production; the screens "(after a write)" measure the computation.
    # Without a Redis the figures are computed on every request (a cache per worker would make
    # the query counts differ between samples).
    redis_url = shared_cache()
    env.update(REDIS_URL=redis_url) if redis_url else env.update(FIGURES_CACHE="0")
    return env


def production_env(env):
    """The throughput phase's server: as in production, no timing middleware and the pipeline's
    figures cached until the data changes (crm/figures.py)."""
    return {**env, "SERVER_TIMING": "0", "FIGURES_CACHE": "1"}


def ensure_database(database_url):
    """Create the PostgreSQL database of `database_url` if it is missing."""
    if not database_url.startswith("postgres"):
        return
    from urllib.parse import urlsplit

    import psycopg2

    parts = urlsplit(database_url)
    connection = psycopg2.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=parts.username,
        password=parts.password,
        dbname="postgres",
    )
    connection.autocommit = True
    name = parts.path.lstrip("/")
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()


def manage(env, *args, capture=False):
    return subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        text=True,
        capture_output=capture,
    )


class Client:
    """A signed-in browser stand-in: cookies, CSRF, GET and timing."""

    def __init__(self, base):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def cookie(self, name):
        return next((c.value for c in self.jar if c.name == name), "")

    def cookie_header(self):
        return "; ".join(f"{c.name}={c.value}" for c in self.jar)

    def sign_in(self, username):
        self.opener.open(f"{self.base}/auth/login/").read()
        data = urllib.parse.urlencode(
            {
                "username": username,
                "password": PASSWORD,
                "csrfmiddlewaretoken": self.cookie("csrftoken"),
            }
        ).encode()
        request = urllib.request.Request(
            f"{self.base}/auth/login/", data=data, headers={"Referer": f"{self.base}/auth/login/"}
        )
        response = self.opener.open(request)
        response.read()
        if not self.cookie("sessionid"):
            raise SystemExit(f"could not sign in as {username}")
        return self

    def get(self, path):
        started = time.perf_counter()
        try:
            response = self.opener.open(f"{self.base}{path}")
        except urllib.error.HTTPError as error:  # measured and reported, not fatal
            response = error
        body = response.read()
        client_ms = (time.perf_counter() - started) * 1000
        timing = response.headers.get("Server-Timing", "")
        server_ms = float(timing.split("dur=")[1].split(",")[0]) if "dur=" in timing else None
        return {
            "status": response.status,
            "queries": int(response.headers.get("X-Query-Count", -1)),
            "server_ms": server_ms,
            "client_ms": client_ms,
            "bytes": len(body),
        }


def measure(client, path, *, repeat, warmup, before=None):
    for _ in range(warmup):
        client.get(path)
    samples = []
    for _ in range(repeat):
        if before:
            before()
        samples.append(client.get(path))
    server = [s["server_ms"] or 0.0 for s in samples]
    return {
        "path": path,
        "status": samples[-1]["status"],
        "queries": samples[-1]["queries"],
        "queries_stable": len({s["queries"] for s in samples}) == 1,
        "server_ms_median": round(statistics.median(server), 2),
        "server_ms_p95": round(percentile(server, 0.95), 2),
        "client_ms_median": round(statistics.median(s["client_ms"] for s in samples), 2),
        "bytes": samples[-1]["bytes"],
    }


def wait_for_port(port, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise SystemExit(f"gunicorn did not start on port {port}")


@contextlib.contextmanager
def serve(env, *, port, workers):
    """gunicorn with `workers` sync workers on 127.0.0.1:`port`, stopped on leaving."""
    gunicorn = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "crm.wsgi", "--bind", f"127.0.0.1:{port}"]
        + ["--workers", str(workers), "--log-level", "warning"],
        cwd=ROOT,
        env=env,
    )
    try:
        wait_for_port(port)
        yield gunicorn
    finally:
        gunicorn.terminate()
        gunicorn.wait(timeout=30)


def rss_mb(pid):
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


def worker_pids(master_pid):
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children")
    return [int(pid) for pid in children.read_text().split()] if children.exists() else []


def table(results):
    lines = []
    if results["screens"]:
        lines += [
            f"{'screen':<34} {'who':<8} {'queries':>7} {'median ms':>10} {'p95 ms':>8} {'KiB':>8}",
            "-" * 80,
        ]
    for row in results["screens"]:
        lines.append(
            f"{row['screen']:<34} {row['user']:<8} {row['queries']:>7} "
            f"{row['server_ms_median']:>10} {row['server_ms_p95']:>8} {row['bytes'] / 1024:>8.1f}"
        )
    for name, value in results.get("timings", {}).items():
        lines.append(f"{name:<34} {'':<8} {'':>7} {value:>9.2f}s")
    if results.get("throughput"):
        lines += throughput.table_lines(results["throughput"])
    for pid, mb in results.get("worker_rss_mb", {}).items():
        lines.append(f"gunicorn worker {pid} RSS {mb} MB (after the throughput phase)")
    return "\n".join(lines)


def compare(current, previous_path):
    previous = json.loads(Path(previous_path).read_text())
    before = {(r["screen"], r["user"]): r for r in previous["screens"]}
    lines = [f"{'screen':<34} {'who':<8} {'median ratio':>13} {'queries':>12}"] if before else []
    for row in current["screens"]:
        old = before.get((row["screen"], row["user"]))
        if not old:
            continue
        ratio = row["server_ms_median"] / old["server_ms_median"] if old["server_ms_median"] else 0
        lines.append(
            f"{row['screen']:<34} {row['user']:<8} {ratio:>12.2f}x "
            f"{old['queries']:>5} → {row['queries']:<5}"
        )
    if current.get("throughput") and previous.get("throughput"):
        lines += throughput.compare_lines(current["throughput"], previous["throughput"])
    return "\n".join(lines)


def arguments():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="large", choices=["tiny", "small", "large"])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", DEFAULT_DB))
    parser.add_argument("--port", type=int, default=8100)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument(
        "--only",
        choices=["throughput"],
        help="migrate and reuse the data, then only this phase (no screens, no timed operations)",
    )
    parser.add_argument(
        "--throughput-seconds",
        type=int,
        help="length of each page's run (default by size: "
        + ", ".join(f"{k} {v} s" for k, v in throughput.DEFAULT_SECONDS.items())
        + ")",
    )
    parser.add_argument("--throughput-warmup", type=int, help="warm-up seconds per page")
    parser.add_argument("--load-concurrency", type=int, default=8, help="concurrent clients")
    parser.add_argument("--load-threads", type=int, default=2, help="wrk's threads")
    parser.add_argument(
        "--load-requests",
        type=int,
        default=0,
        help="at most this many requests per page's run (the Python generator only; 0: no cap)",
    )
    parser.add_argument(
        "--generator",
        default="auto",
        choices=["auto", "wrk", "python"],
        help="the load generator (auto: wrk when installed, else benchmarks/load.py)",
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--compare", help="a previous results JSON file")
    parser.add_argument("--reseed", action="store_true", help="seed even if data exists")
    return parser.parse_args()


def measure_screens(env, fixture, args, results):
    """Every screen on a server with the timing middleware, then the timed operations."""
    with serve(env, port=args.port, workers=args.workers):
        base = f"http://127.0.0.1:{args.port}"
        clients = {}
        for screen, username, path in screens(fixture):
            client = clients.get(username) or Client(base).sign_in(username)
            clients[username] = client
            cold = "after a write" in screen and env.get("FIGURES_CACHE") != "0"
            before = after_a_write(args.database_url) if cold else None
            row = measure(client, path, repeat=args.repeat, warmup=args.warmup, before=before)
            row.update(screen=screen, user=username)
            results["screens"].append(row)
            print(
                f"  {screen:<34} {username:<8} {row['queries']:>3} q  {row['server_ms_median']} ms"
            )
        for name, seconds in timed_operations(env, clients, base).items():
            results["timings"][name] = seconds
            print(f"  {name:<34} {seconds:.2f} s")


def measure_throughput(env, fixture, args, results):
    """The throughput phase on a production-like server of its own."""
    pages = [tuple(page) for page in fixture["throughput"] if page[2]]
    server_env = production_env(env)
    with serve(server_env, port=args.port, workers=args.workers) as gunicorn:
        base = f"http://127.0.0.1:{args.port}"
        users = {user for _name, user, _path in pages} - {"anonymous"}
        cookies = {user: Client(base).sign_in(user).cookie_header() for user in sorted(users)}
        section = throughput.run(
            base=base,
            pages=pages,
            cookies=cookies,
            web_root=gunicorn.pid,
            database=args.database_url.rsplit("/", 1)[-1].split("?")[0],
            settings={
                "generator": args.generator,
                "seconds": args.throughput_seconds or throughput.DEFAULT_SECONDS[args.size],
                "warmup": throughput.DEFAULT_WARMUP[args.size]
                if args.throughput_warmup is None
                else args.throughput_warmup,
                "concurrency": args.load_concurrency,
                "threads": args.load_threads,
                "max_requests": args.load_requests,
            },
        )
        section["server"] = {
            "workers": args.workers,
            "worker_class": "sync",
            "server_timing": False,
            "figures_cache": True,
            "shared_cache": "redis" if server_env.get("REDIS_URL") else "per worker (locmem)",
        }
        results["throughput"] = section
        results["worker_rss_mb"] = {pid: rss_mb(pid) for pid in worker_pids(gunicorn.pid)}


def main():
    args = arguments()
    env = server_env(args.database_url)
    ensure_database(args.database_url)
    print(f"== database {args.database_url.rsplit('@', 1)[-1]}, size {args.size}")
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "seed_demo", "-v0")
    seeded = time.perf_counter()
    seed_args = ["seed_volume", "--size", args.size] + (["--reseed"] if args.reseed else [])
    manage(env, *seed_args)
    seed_seconds = time.perf_counter() - seeded
    manage(env, "collectstatic", "--noinput", "-v0")
    fixture = prepare(env)

    results = {
        "started": datetime.now().isoformat(timespec="seconds"),
        "size": args.size,
        "database": args.database_url.split(":", 1)[0],
        "workers": args.workers,
        "only": args.only,
        "screens": [],
        "timings": {"seed_volume": seed_seconds},
    }
    if args.only is None:
        measure_screens(env, fixture, args, results)
    measure_throughput(env, fixture, args, results)

    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    data = json.dumps(results, indent=2, default=str)
    (RESULTS / f"bench-{args.size}-{stamp}.json").write_text(data)
    (RESULTS / "latest.json").write_text(data + "\n")
    text = table(results)
    (RESULTS / f"bench-{args.size}-{stamp}.txt").write_text(text + "\n")
    print(text)
    if args.compare:
        print(compare(results, args.compare))
    failures = [r for r in results["screens"] if r["status"] != 200 or not r["queries_stable"]]
    failures += throughput.failures(results["throughput"])
    if failures:
        raise SystemExit(f"benchmark failures: {failures}")


if __name__ == "__main__":
    main()
