"""The throughput phase's arithmetic and report (benchmarks/throughput.py, benchmarks/load.py);
no server is started."""

import pytest

from benchmarks import load, throughput


def page(name, rps, *, errors=0, requests=100, user="manager"):
    share = {
        "web": 0.6,
        "database": 0.2,
        "database_other": 0.01,
        "load_generator": 0.05,
        "other": 0.04,
        "idle": 0.1,
    }
    return {
        "page": name,
        "user": user,
        "throughput_rps": rps,
        "requests": requests,
        "errors": errors,
        "error_kinds": {"non-200": errors} if errors else {},
        "latency_ms": {"p50": 70.0, "p99": 140.0},
        "cpu": {
            "share": share,
            "ms_per_request": {
                "web": 12.0,
                "database": 4.0,
                "database_other": 0.5,
                "load_generator": 4.0,
            },
        },
    }


def test_each_page_is_compared_with_the_sign_in_page_of_the_same_run():
    pages = throughput.with_ratios(
        [page("sign-in page", 400.0, user="anonymous"), page("opportunity list", 100.0)]
    )
    assert [p["ratio_to_reference"] for p in pages] == [1.0, 0.25]


def test_no_ratio_without_a_reference():
    pages = throughput.with_ratios([page("opportunity list", 100.0)])
    assert pages[0]["ratio_to_reference"] is None


def test_errors_and_silent_pages_fail_the_run():
    section = {
        "pages": [
            page("sign-in page", 400.0),
            page("manager pipeline", 3.0, errors=2),
            page("account list", 0.0, requests=0),
        ]
    }
    failures = throughput.failures(section)
    assert len(failures) == 2
    assert "manager pipeline: 2 errors" in failures[0]
    assert "account list: no request completed" in failures[1]


def test_the_table_names_the_generator_and_warns_about_a_python_one():
    section = {
        "generator": "python",
        "generator_version": "benchmarks/load.py on Python 3.11.7",
        "concurrency": 8,
        "seconds": 15,
        "warmup_seconds": 3,
        "cpus": 2,
        "server": {"workers": 2},
        "pages": throughput.with_ratios(
            [page("sign-in page", 400.0, user="anonymous"), page("account list", 120.0)]
        ),
    }
    text = "\n".join(throughput.table_lines(section))
    assert "benchmarks/load.py on Python 3.11.7, 8 clients, 15 s per page" in text
    assert "gunicorn 2 sync workers; 2 CPUs" in text
    rows = [line.split() for line in text.splitlines() if line.startswith("account list")]
    assert rows[0][3:5] == ["120.0", "0.3"]  # req/s, ÷ sign-in page
    assert rows[1][2:8] == ["12.0", "4.0", "0.5", "4.0", "100.0", "60"]  # ms, if alone, web %
    assert "took up to 5 % of the machine's CPU" in text


def test_the_estimate_for_a_machine_of_our_own():
    # 2 CPUs, 12 + 4 + 4 ms of web, database and load generator per request: 100 req/s.
    assert throughput.cpu_bound_rps(page("account list", 50.0), 2) == 100.0
    silent = page("account list", 0.0)
    silent["cpu"]["ms_per_request"] = dict.fromkeys(silent["cpu"]["ms_per_request"])
    assert throughput.cpu_bound_rps(silent, 2) is None


def test_wrk_is_used_only_when_installed(monkeypatch):
    monkeypatch.setattr(throughput.shutil, "which", lambda name: None)
    assert throughput.choose_generator("auto") == "python"
    with pytest.raises(SystemExit, match="wrk is not installed"):
        throughput.choose_generator("wrk")
    monkeypatch.setattr(throughput.shutil, "which", lambda name: f"/usr/bin/{name}")
    assert throughput.choose_generator("auto") == "wrk"
    assert throughput.choose_generator("python") == "python"


def test_the_python_generator_reports_what_wrk_reports():
    latencies = [float(ms) for ms in range(1, 101)]
    result = load.summary(
        latencies, [1000] * 100, [302, 302, "ConnectionResetError"], seconds=10, concurrency=8
    )
    assert result["requests"] == 100
    assert result["throughput_rps"] == 10.0
    assert result["latency_ms"] == {
        "p50": 51.0,
        "p75": 75.0,
        "p90": 90.0,
        "p99": 99.0,
        "max": 100.0,
    }
    assert result["errors"] == 3
    assert result["error_kinds"] == {"302": 2, "ConnectionResetError": 1}
    assert result["bytes_per_request"] == 1000


def test_the_python_generator_command_caps_requests_only_when_asked():
    line = throughput.load_command(
        "python",
        "http://127.0.0.1:8100/",
        "",
        seconds=2,
        concurrency=8,
        threads=2,
        max_requests=0,
        script="unused.lua",
    )
    assert "--requests" not in line
    assert "--cookie" not in line
    assert line[line.index("--seconds") + 1] == "2"
    capped = throughput.load_command(
        "python",
        "http://127.0.0.1:8100/",
        "sessionid=x",
        seconds=2,
        concurrency=8,
        threads=2,
        max_requests=200,
        script="unused.lua",
    )
    assert capped[capped.index("--requests") + 1] == "200"
    assert capped[capped.index("--cookie") + 1] == "sessionid=x"
