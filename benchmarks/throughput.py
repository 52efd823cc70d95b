"""The throughput phase of the bench (issue 24): how many requests a second the server answers
for a few pages under a fixed number of concurrent clients, and where the CPU went.

For each page: a warm-up, then a run of fixed duration with `concurrency` clients — wrk when it
is installed, else benchmarks/load.py (Python, which itself takes CPU from a small machine; the
table says how much). Meanwhile benchmarks/cpu.py samples the CPU time of the gunicorn workers,
of the PostgreSQL backends of the bench's database and of the rest of the machine; the load
generator's own CPU time comes from `os.wait4` when it exits. The sign-in page (an anonymous GET,
a small template and no query worth the name) is measured in the same run as the machine's
reference: each page's req/s divided by the sign-in page's is comparable between machines.

The count of requests stops with the generator, while the CPU count runs from just before it
starts to just after it exits: a request still queued when the generator stops (at most one per
client) is served and counted in CPU but not in requests, which errs on the side of more CPU
per request by at most `concurrency` requests' worth.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks import cpu, wrk

LOAD = Path(__file__).resolve().parent / "load.py"
REFERENCE = "sign-in page"
DEFAULT_SECONDS = {"tiny": 2, "small": 5, "large": 15}
DEFAULT_WARMUP = {"tiny": 1, "small": 2, "large": 3}
TIMEOUT = 30  # seconds before a request counts as an error (gunicorn's worker timeout)


def choose_generator(requested):
    """'wrk' when asked for or when `auto` finds it on the PATH, else 'python'."""
    found = shutil.which("wrk")
    if requested == "wrk" and not found:
        raise SystemExit("--generator wrk: wrk is not installed (apt-get install wrk)")
    return "wrk" if requested in ("auto", "wrk") and found else "python"


def generator_version(kind):
    if kind == "python":
        return f"benchmarks/load.py on Python {sys.version.split()[0]}"
    done = subprocess.run(["wrk", "--version"], capture_output=True, text=True)
    return (done.stdout or done.stderr).splitlines()[0].split(" Copyright")[0].strip()


def load_command(kind, url, cookie, *, seconds, concurrency, threads, max_requests, script):
    if kind == "wrk":
        return wrk.command(
            url,
            cookie=cookie,
            connections=concurrency,
            threads=threads,
            seconds=seconds,
            timeout=TIMEOUT,
            script=script,
        )
    line = [sys.executable, str(LOAD), "--url", url, "--concurrency", str(concurrency)]
    line += ["--seconds", str(seconds), "--timeout", str(seconds + 2 * TIMEOUT)]
    if cookie:
        line += ["--cookie", cookie]
    if max_requests:
        line += ["--requests", str(max_requests)]
    return line


def generate(kind, url, cookie, **options):
    """Run the load generator to its end: (its result, its own CPU seconds)."""
    with tempfile.TemporaryFile("w+") as stderr:
        process = subprocess.Popen(
            load_command(kind, url, cookie, **options),
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
        )
        output = process.stdout.read()
        process.stdout.close()
        # Reaped here, not by Popen.wait(), for the child's resource usage.
        _pid, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            stderr.seek(0)
            raise SystemExit(f"{kind} failed ({process.returncode}): {stderr.read()}{output}")
    result = wrk.parse(output) if kind == "wrk" else json.loads(output)
    return result, usage.ru_utime + usage.ru_stime


def with_ratios(pages, reference=REFERENCE):
    """Each page's req/s ÷ the reference page's req/s (None without a reference)."""
    base = next((p["throughput_rps"] for p in pages if p["page"] == reference), None)
    for page in pages:
        rps = page["throughput_rps"]
        page["ratio_to_reference"] = round(rps / base, 3) if base and rps is not None else None
    return pages


def run(*, base, pages, cookies, web_root, database, settings):
    """Measure every (page, user, path) of `pages` on the server at `base`. `cookies` maps a
    user to the Cookie header of a signed-in session ('anonymous' sends none); `web_root` is
    the gunicorn master's pid; `settings`: generator, seconds, warmup, concurrency, threads,
    max_requests (a cap per run, the Python generator only; 0 for none)."""
    kind = choose_generator(settings["generator"])
    section = {
        "generator": kind,
        "generator_version": generator_version(kind),
        "seconds": settings["seconds"],
        "warmup_seconds": settings["warmup"],
        "concurrency": settings["concurrency"],
        "threads": settings["threads"] if kind == "wrk" else settings["concurrency"],
        "max_requests": settings["max_requests"] if kind == "python" else 0,
        "cpus": os.cpu_count(),
        "pages": [],
    }
    options = {
        "concurrency": settings["concurrency"],
        "threads": settings["threads"],
        "max_requests": section["max_requests"],
    }
    print(f"== throughput: {kind}, {settings['concurrency']} clients, {settings['seconds']} s each")
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        script.write(wrk.COUNT_NON_200)
        script.flush()
        options["script"] = script.name
        for name, user, path in pages:
            url, cookie = f"{base}{path}", cookies.get(user, "")
            if settings["warmup"]:
                generate(kind, url, cookie, seconds=settings["warmup"], **options)
            sampler = cpu.Sampler(web_root=web_root, database=database)
            try:
                row, generator_seconds = generate(
                    kind, url, cookie, seconds=settings["seconds"], **options
                )
            finally:
                before, after = sampler.stop()
            row = {"page": name, "user": user, "path": path, **row}
            row["cpu"] = cpu.split(
                before, after, requests=row["requests"], load_generator_seconds=generator_seconds
            )
            row["cpu_bound_rps_estimate"] = cpu_bound_rps(row, section["cpus"])
            section["pages"].append(row)
            print(
                f"  {name:<20} {user:<9} {row['throughput_rps']:>7} req/s  "
                f"p50 {row['latency_ms'].get('p50')} ms  errors {row['errors']}"
            )
    with_ratios(section["pages"])
    return section


def failures(section):
    """Pages that answered anything but 200, hit a socket error or answered nothing."""
    return [
        f"throughput {page['page']}: {page['errors']} errors {page['error_kinds']}"
        if page["errors"]
        else f"throughput {page['page']}: no request completed"
        for page in section.get("pages", [])
        if page["errors"] or not page["requests"]
    ]


def cpu_bound_rps(page, cpus):
    """The req/s the machine's CPUs would allow if the web workers, the bench's database
    backends and the load generator had them to themselves: an estimate for a machine shared
    with other work, never a measurement."""
    per = page["cpu"]["ms_per_request"]
    cost = sum(per[group] or 0 for group in ("web", "database", "load_generator"))
    return round(cpus * 1000 / cost, 1) if cost and cpus else None


def percent(value):
    return f"{value * 100:>5.0f}" if value is not None else "    -"


def table_lines(section):
    """The throughput part of the bench's table: req/s and latency, then the CPU split."""
    server = section.get("server", {})
    lines = [
        "",
        f"throughput: {section['generator_version']}, {section['concurrency']} clients, "
        f"{section['seconds']} s per page after {section['warmup_seconds']} s of warm-up; "
        f"gunicorn {server.get('workers', '?')} sync workers; {section['cpus']} CPUs",
        f"{'page':<20} {'who':<10} {'req/s':>7} {'÷sign-in':>8} {'p50 ms':>8} {'p90 ms':>8} "
        f"{'p99 ms':>8} {'KiB':>6} {'errors':>6}",
        "-" * 89,
    ]
    for page in section["pages"]:
        latency, size = page["latency_ms"], page.get("bytes_per_request")
        ratio = page["ratio_to_reference"]
        lines.append(
            f"{page['page']:<20} {page['user']:<10} {page['throughput_rps']:>7} "
            f"{ratio if ratio is not None else '-':>8} {latency.get('p50', '-'):>8} "
            f"{latency.get('p90', '-'):>8} {latency.get('p99', '-'):>8} "
            f"{size / 1024 if size else 0:>6.1f} {page['errors']:>6}"
        )
    lines += [
        "",
        f"{'CPU':<20} {'ms per request:':<15} {'':>14} {'':>6} {'req/s if':>8}   "
        "share of the machine's CPU, %",
        f"{'page':<20} {'web':>6} {'db':>6} {'pg':>6} {'load':>6} {'alone':>8}   "
        f"{'web':>5}{'db':>5}{'pg':>5}{'load':>5}{'rest':>5}{'idle':>5}",
        "-" * 89,
    ]
    for page in section["pages"]:
        per, share = page["cpu"]["ms_per_request"], page["cpu"]["share"]
        alone = cpu_bound_rps(page, section["cpus"])
        lines.append(
            f"{page['page']:<20} "
            + " ".join(
                f"{per[group] or 0:>6.1f}"
                for group in ("web", "database", "database_other", "load_generator")
            )
            + f" {alone if alone is not None else '-':>8}   "
            + "".join(
                percent(share[group])
                for group in ("web", "database", "database_other", "load_generator", "other")
            )
            + percent(share["idle"])
        )
    lines += [
        "web: the gunicorn workers; db: the PostgreSQL backends of the bench's database;",
        "pg: the rest of PostgreSQL (parallel workers that ended between samples, background",
        "processes, other databases); load: the load generator; rest: every other process.",
        "req/s if alone: the CPUs ÷ (web + db + load) per request — an estimate, not measured.",
    ]
    if section["generator"] == "python":
        worst = max((p["cpu"]["share"]["load_generator"] or 0 for p in section["pages"]), default=0)
        lines += [
            f"The Python load generator took up to {worst * 100:.0f} % of the machine's CPU, "
            "which the server did not get:",
            "install wrk for figures comparable with other runs.",
        ]
    return lines


def compare_lines(current, previous):
    """req/s and the ratio to the sign-in page, before → now, for pages measured both times."""
    before = {(p["page"], p["user"]): p for p in previous.get("pages", [])}
    lines = [f"{'throughput':<31} {'req/s before → now':>22} {'÷sign-in before → now':>24}"]
    for page in current.get("pages", []):
        old = before.get((page["page"], page["user"]))
        if old:
            lines.append(
                f"{page['page'] + ' (' + page['user'] + ')':<31} "
                f"{old['throughput_rps']:>10} → {page['throughput_rps']:<9} "
                f"{old['ratio_to_reference'] or '-':>11} → {page['ratio_to_reference'] or '-'}"
            )
    return lines
