"""The CPU split of a throughput run (benchmarks/cpu.py), from /proc texts as Linux writes them."""

import pytest

from benchmarks import cpu


def stat_line(pid, comm, ppid, utime, stime, *, cutime=999, cstime=1, start=1000):
    """A /proc/<pid>/stat line: utime and stime are fields 14 and 15, cutime and cstime (the
    reaped children's time) 16 and 17, starttime 22."""
    fields = [pid, f"({comm})", "S", ppid, pid, pid, 0, -1, 4194304, 100, 0, 0, 0]
    fields += [utime, stime, cutime, cstime, 20, 0, 1, 0, start, 222445568, 7425]
    return " ".join(str(field) for field in fields) + "\n"


def test_a_stat_line_gives_the_process_own_and_its_childrens_ticks():
    line = (
        "2231 (postgres) S 1 2231 2231 0 -1 4194304 4516 165775 0 37 1 4 1610 327 20 0 1 0 "
        "2814 222445568 7425 18446744073709551615 0 0"
    )
    assert cpu.parse_stat(line) == ("postgres", 1, 5, 1937, 2814)


def test_a_command_name_with_spaces_and_parentheses():
    line = stat_line(42, "gunicorn: worker (crm)", 41, utime=300, stime=20)
    assert cpu.parse_stat(line) == ("gunicorn: worker (crm)", 41, 320, 1000, 1000)


def test_the_machine_line_counts_iowait_as_idle_and_guests_once():
    # user nice system idle iowait irq softirq steal guest guest_nice
    busy, idle = cpu.parse_machine("cpu  6000 20 1000 3000 500 0 260 20 400 0\ncpu0 1 2 3\n")
    assert busy == 6000 + 20 + 1000 + 260 + 20
    assert idle == 3500


@pytest.mark.parametrize(
    ("title", "database"),
    [
        ("postgres: 15/main: postgres cuilong_bench 127.0.0.1(40668) idle", "cuilong_bench"),
        ("postgres: postgres cuilong_bench_ci [local] SELECT", "cuilong_bench_ci"),
        ("postgres: 15/main: autovacuum worker cuilong_bench", None),
        ("postgres: 15/main: parallel worker for PID 5572", None),
        ("postgres: 15/main: walwriter", None),
        ("/usr/lib/postgresql/15/bin/postgres -D /var/lib/postgresql/15/main", None),
    ],
)
def test_only_client_backends_name_their_database(title, database):
    assert cpu.backend_database(title) == database


def test_a_parallel_worker_counts_with_its_leaders_database():
    groups = cpu.postgres_groups(
        {
            2231: "/usr/lib/postgresql/15/bin/postgres -D /var/lib/postgresql/15/main",
            5572: "postgres: 15/main: postgres cuilong_bench 127.0.0.1(40668) SELECT",
            5573: "postgres: 15/main: parallel worker for PID 5572",
            8087: "postgres: 15/main: postgres cuilong_h_charts 127.0.0.1(45274) SELECT",
            8088: "postgres: 15/main: parallel worker for PID 8087",
            8090: "postgres: 15/main: parallel worker for PID 9999",  # leader gone
        },
        "cuilong_bench",
    )
    assert groups == {
        2231: "database_other",
        5572: "database",
        5573: "database",
        8087: "database_other",
        8088: "database_other",
        8090: "database_other",
    }


def test_a_process_belongs_to_the_web_when_the_gunicorn_master_is_an_ancestor():
    parents = {100: 1, 101: 100, 102: 101, 200: 1}
    assert cpu.under(100, 100, parents)
    assert cpu.under(102, 100, parents)
    assert not cpu.under(200, 100, parents)


def snapshot(machine, processes, *, reaped=0, ended=()):
    """A sampler's view: the machine's (busy, idle) ticks, each process's group and own ticks,
    the postmaster's reaped children's ticks and the processes gone by the end."""
    return {
        "machine": cpu.parse_machine(machine),
        "processes": {
            (pid, start): (group, cpu.parse_stat(line)[2]) for pid, start, group, line in processes
        },
        "postgres_reaped": reaped,
        "ended": set(ended),
    }


def test_the_split_between_web_database_load_generator_and_the_rest():
    before = snapshot(
        "cpu  1000 0 200 5000 0 0 0 0 0 0",
        [
            (10, 1000, "web", stat_line(10, "python", 9, utime=400, stime=100)),
            (20, 1000, "database", stat_line(20, "postgres", 1, utime=50, stime=50)),
            (30, 1000, "database_other", stat_line(30, "postgres", 1, utime=10, stime=0)),
        ],
        reaped=5000,
    )
    # 10 s on 2 CPUs (2,000 ticks at 100 a second): 1,500 busy, 500 idle.
    after = snapshot(
        "cpu  2300 0 400 5500 0 0 0 0 0 0",
        [
            (10, 1000, "web", stat_line(10, "python", 9, utime=1100, stime=200)),  # +800
            (11, 5000, "web", stat_line(11, "python", 9, utime=80, stime=20)),  # new: +100
            (20, 1000, "database", stat_line(20, "postgres", 1, utime=240, stime=60)),  # +200
            (30, 1000, "database_other", stat_line(30, "postgres", 1, utime=60, stime=0)),
            # a parallel worker of the bench's backend, seen once at 30 ticks, then reaped
            (40, 6000, "database", stat_line(40, "postgres", 20, utime=25, stime=5)),
        ],
        reaped=5070,  # the parallel worker's 40 ticks in the end, and another's 30
        ended=[(40, 6000)],
    )
    split = cpu.split(before, after, requests=300, load_generator_seconds=1.5, tick=100)
    assert split["seconds"] == {
        "web": 9.0,
        "database": 2.3,  # the backend's 200 and the 30 ticks seen of its parallel worker
        "database_other": 0.9,  # 50 + what the samples missed: 70 reaped less 30 seen
        "load_generator": 1.5,
        "other": 1.3,  # 15 busy seconds less the 13.7 accounted for
        "idle": 5.0,
    }
    assert split["share"]["web"] == 0.45
    assert split["share"]["idle"] == 0.25
    assert sum(split["share"].values()) == pytest.approx(1.0)
    assert split["ms_per_request"] == {
        "web": 30.0,
        "database": 7.67,
        "database_other": 3.0,
        "load_generator": 5.0,
    }


def test_a_reused_pid_is_a_new_process_and_nothing_is_negative():
    before = snapshot(
        "cpu  100 0 0 100 0 0 0 0 0 0",
        [(10, 1000, "web", stat_line(10, "python", 9, utime=900, stime=0))],
        reaped=100,
    )
    after = snapshot(
        "cpu  150 0 0 150 0 0 0 0 0 0",
        [
            (10, 1000, "web", stat_line(10, "python", 9, utime=900, stime=0)),
            (10, 7000, "web", stat_line(10, "python", 9, utime=30, stime=0)),  # pid 10 again
        ],
        reaped=100,
    )
    split = cpu.split(before, after, requests=0, tick=100)
    assert split["seconds"]["web"] == 0.3
    assert split["seconds"]["database_other"] == 0.0
    assert split["seconds"]["other"] == 0.2
    assert split["ms_per_request"]["web"] is None
