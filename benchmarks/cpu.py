"""Where the CPU went during a throughput run, from /proc (Linux): the gunicorn workers, the
PostgreSQL backends serving the bench's database, the rest of PostgreSQL, the load generator,
every other process on the machine, and idle.

A process's CPU time is utime + stime of /proc/<pid>/stat, in clock ticks; the machine's is the
first line of /proc/stat. A sampler thread reads them every `interval` seconds and keeps each
process's latest value; processes are keyed by (pid, start time), so a reused pid is a new
process. The load generator is the bench's own child: its exact total comes from `os.wait4`
(throughput.py).

PostgreSQL starts short-lived processes — the parallel workers of a query, the backends of other
clients — that may end between two samples. Their time is not lost: the postmaster's cutime and
cstime grow by each reaped child's whole CPU time. What they add beyond what the samples saw of
those processes counts as "database_other", so PostgreSQL's total is exact; a parallel worker
seen alive counts with its leader's database. The bench's database ("database") is thus a lower
bound and "database + database_other" an upper bound of what the requests cost PostgreSQL.
"""

import os
import re
import threading
from pathlib import Path

PROC = Path("/proc")
TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
GROUPS = ("web", "database", "database_other", "load_generator", "other", "idle")
DATABASE_GROUPS = ("database", "database_other")
CLIENT = re.compile(r"^(\[local\]|\S+\([0-9]+\))$")  # "127.0.0.1(40668)" or "[local]"
PARALLEL = re.compile(r"parallel worker for PID ([0-9]+)")


def parse_stat(text):
    """One /proc/<pid>/stat line → (comm, ppid, CPU ticks of the process itself, CPU ticks of
    its reaped children, start time). The command name is in parentheses and may hold spaces
    or parentheses: split at the last ')'."""
    head, _, tail = text.rpartition(")")
    comm = head.split("(", 1)[1]
    fields = tail.split()
    # fields[0] is field 3 (state): ppid is field 4, utime 14, stime 15, cutime 16, cstime 17,
    # starttime 22.
    own = int(fields[11]) + int(fields[12])
    return comm, int(fields[1]), own, int(fields[13]) + int(fields[14]), int(fields[19])


def parse_machine(text):
    """The first line of /proc/stat → (busy ticks, idle ticks), summed over every CPU. guest and
    guest_nice are already inside user and nice, so they are left out; iowait is idle."""
    line = text.splitlines()[0].split()
    values = [int(value) for value in line[1:]]
    values += [0] * (10 - len(values))
    user, nice, system, idle, iowait, irq, softirq, steal = values[:8]
    return user + nice + system + irq + softirq + steal, idle + iowait


def backend_database(title):
    """The database a PostgreSQL client backend serves, from its process title
    ('postgres: 15/main: postgres cuilong_bench 127.0.0.1(40668) idle'); None for the
    postmaster, background processes, parallel workers and autovacuum."""
    tokens = title.split()
    for index, token in enumerate(tokens[3:], start=3):
        if CLIENT.match(token):
            return tokens[index - 1]
    return None


def postgres_groups(titles, database):
    """pid → group for PostgreSQL's processes, from their titles: a client backend of
    `database` is "database", a parallel worker goes with its leader, the rest is
    "database_other"."""
    groups = {
        pid: "database" if backend_database(title) == database else "database_other"
        for pid, title in titles.items()
    }
    for pid, title in titles.items():
        leader = PARALLEL.search(title)
        if leader:
            groups[pid] = groups.get(int(leader.group(1)), "database_other")
    return groups


def under(pid, root, parents):
    """Whether `pid` is `root` or one of its descendants. `parents` maps pid → ppid."""
    for _ in range(64):
        if pid == root:
            return True
        pid = parents.get(pid, 0)
        if not pid:
            return False
    return False


def read_processes():
    stats = {}
    for entry in PROC.iterdir():
        if entry.name.isdigit():
            try:
                stats[int(entry.name)] = parse_stat((entry / "stat").read_text())
            except (OSError, IndexError, ValueError):
                continue  # ended meanwhile
    return stats


def title(pid):
    try:
        return (PROC / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode().strip()
    except OSError:
        return ""


def snapshot(*, web_root, database):
    """CPU ticks now: {"machine": (busy, idle), "processes": {(pid, start): (group, ticks)},
    "postgres_reaped": ticks}. Processes of no group (the load generator among them: it is
    counted on its own) are left out; the machine's total accounts for them."""
    stats = read_processes()
    parents = {pid: stat[1] for pid, stat in stats.items()}
    postgres = {pid for pid, stat in stats.items() if stat[0] == "postgres"}
    groups = postgres_groups({pid: title(pid) for pid in postgres}, database)
    processes, reaped = {}, 0
    for pid, (_comm, ppid, ticks, children, start) in stats.items():
        if pid in postgres:
            group = groups[pid]
            if ppid not in postgres:  # a postmaster: its children's time once they end
                reaped += children
        elif under(pid, web_root, parents):
            group = "web"
        else:
            continue
        processes[(pid, start)] = (group, ticks)
    return {
        "machine": parse_machine((PROC / "stat").read_text()),
        "processes": processes,
        "postgres_reaped": reaped,
    }


def split(before, after, *, requests, load_generator_seconds=0.0, tick=TICK):
    """CPU seconds, share of the machine's capacity (CPUs × wall time) and milliseconds per
    request for each group between two snapshots. `after` holds every process seen during the
    run with its latest ticks, and `ended`: the keys of those gone by the end. A process absent
    from `before` started during the run and counts from zero. The growth of the postmasters'
    children time beyond the ended processes' last samples is "database_other". "other" is the
    machine's busy time left when the groups are taken away (never below zero: ticks are
    coarse)."""
    seconds = dict.fromkeys(GROUPS, 0.0)
    seen_of_ended = 0
    for key, (group, ticks) in after["processes"].items():
        start = before["processes"].get(key, (group, 0))[1]
        seconds[group] += max(0, ticks - start) / tick
        if key in after.get("ended", ()) and group in DATABASE_GROUPS:
            seen_of_ended += ticks
    reaped = after.get("postgres_reaped", 0) - before.get("postgres_reaped", 0)
    seconds["database_other"] += max(0, reaped - seen_of_ended) / tick
    seconds["load_generator"] = load_generator_seconds
    busy = (after["machine"][0] - before["machine"][0]) / tick
    seconds["idle"] = (after["machine"][1] - before["machine"][1]) / tick
    measured = sum(seconds[group] for group in GROUPS if group not in ("other", "idle"))
    seconds["other"] = max(0.0, busy - measured)
    capacity = busy + seconds["idle"]
    return {
        "seconds": {group: round(value, 2) for group, value in seconds.items()},
        "share": {
            group: round(value / capacity, 3) if capacity else None
            for group, value in seconds.items()
        },
        "ms_per_request": {
            group: round(seconds[group] * 1000 / requests, 2) if requests else None
            for group in ("web", "database", "database_other", "load_generator")
        },
    }


class Sampler:
    """Samples in a thread while a run goes on; `stop()` returns (first, merged latest)."""

    def __init__(self, *, web_root, database, interval=0.25):
        self.options = {"web_root": web_root, "database": database}
        self.interval = interval
        self.first = snapshot(**self.options)
        self.latest = {**self.first, "processes": dict(self.first["processes"])}
        self.done = threading.Event()
        self.thread = threading.Thread(target=self.loop, daemon=True)
        self.thread.start()

    def take(self):
        current = snapshot(**self.options)
        self.latest["machine"] = current["machine"]
        self.latest["postgres_reaped"] = current["postgres_reaped"]
        self.latest["processes"].update(current["processes"])
        return current

    def loop(self):
        while not self.done.wait(self.interval):
            self.take()

    def stop(self):
        self.done.set()
        self.thread.join()
        final = self.take()
        self.latest["ended"] = set(self.latest["processes"]) - set(final["processes"])
        return self.first, self.latest
