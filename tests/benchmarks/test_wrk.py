"""wrk's report as the bench reads it (benchmarks/wrk.py): req/s, latency, errors of every kind."""

import pytest

from benchmarks import wrk

# wrk 4.1 with --latency and the bench's Lua script, against a server that answered some
# requests with a redirect and an error and dropped some connections.
REPORT_WITH_ERRORS = """\
Running 15s test @ http://127.0.0.1:8100/opportunities/
  2 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    78.31ms   20.02ms   1.20s    88.10%
    Req/Sec    51.27     10.40    80.00     71.33%
  Latency Distribution
     50%   75.44ms
     75%   88.01ms
     90%  101.90ms
     99%  512.00us
  1536 requests in 15.02s, 64.50MB read
  Socket errors: connect 0, read 3, write 0, timeout 2
  Non-2xx or 3xx responses: 4
Requests/sec:    102.26
Transfer/sec:      4.29MB
Non-200 responses: 11
"""

CLEAN_REPORT = """\
Running 2s test @ http://127.0.0.1:8100/auth/login/
  2 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    22.92ms    9.10ms  84.59ms   70.00%
    Req/Sec   124.00     20.00   160.00     60.00%
  Latency Distribution
     50%   22.92ms
     75%   28.00ms
     90%   35.10ms
     99%   84.59ms
  500 requests in 1.00m, 512.00KB read
Requests/sec:      8.33
Transfer/sec:      8.53KB
Non-200 responses: 0
"""


def test_req_per_second_latency_and_size_come_from_the_report():
    result = wrk.parse(CLEAN_REPORT)
    assert result["requests"] == 500
    assert result["seconds"] == 60.0
    assert result["throughput_rps"] == 8.3
    assert result["latency_ms"] == {
        "p50": 22.92,
        "p75": 28.0,
        "p90": 35.1,
        "p99": 84.59,
        "max": 84.59,
    }
    assert result["bytes_per_request"] == 1049  # 512 KiB / 500
    assert result["errors"] == 0
    assert result["error_kinds"] == {}


def test_every_answer_other_than_200_and_every_socket_error_counts():
    result = wrk.parse(REPORT_WITH_ERRORS)
    # The script's 11 include wrk's own 4 (4xx and 5xx) and the redirects wrk lets pass.
    assert result["error_kinds"] == {"non-200": 11, "socket read": 3, "socket timeout": 2}
    assert result["errors"] == 16
    assert result["throughput_rps"] == 102.3
    assert result["latency_ms"]["p99"] == 0.51
    assert result["latency_ms"]["max"] == 1200.0


def test_without_the_script_line_wrks_own_count_is_used():
    report = REPORT_WITH_ERRORS.replace("Non-200 responses: 11\n", "")
    result = wrk.parse(report)
    assert result["error_kinds"] == {"non-2xx or 3xx": 4, "socket read": 3, "socket timeout": 2}
    assert result["errors"] == 9


def test_a_report_without_its_summary_is_refused():
    with pytest.raises(ValueError, match="no summary"):
        wrk.parse("unable to connect to 127.0.0.1:8100 Connection refused\n")


@pytest.mark.parametrize(
    ("text", "ms"),
    [("512.00us", 0.512), ("2.07ms", 2.07), ("1.20s", 1200.0), ("1.00m", 60000.0)],
)
def test_durations_in_every_unit(text, ms):
    assert wrk.to_ms(text) == pytest.approx(ms)


@pytest.mark.parametrize(
    ("text", "size"), [("512.00B", 512), ("604.65KB", 604.65 * 1024), ("1.80MB", 1.8 * 1024**2)]
)
def test_sizes_in_every_unit(text, size):
    assert wrk.to_bytes(text) == pytest.approx(size)


def test_the_command_sends_the_session_cookie_and_never_more_threads_than_connections():
    line = wrk.command(
        "http://127.0.0.1:8100/opportunities/",
        cookie="sessionid=abc; csrftoken=def",
        connections=1,
        threads=2,
        seconds=15,
        timeout=30,
        script="/tmp/count.lua",
    )
    assert line[:5] == ["wrk", "-t1", "-c1", "-d15s", "--timeout=30s"]
    assert line[-3:-1] == ["-H", "Cookie: sessionid=abc; csrftoken=def"]
    assert line[-1] == "http://127.0.0.1:8100/opportunities/"
    anonymous = wrk.command(
        "http://127.0.0.1:8100/auth/login/",
        cookie="",
        connections=8,
        threads=2,
        seconds=2,
        timeout=30,
        script="/tmp/count.lua",
    )
    assert "-H" not in anonymous
    assert "-t2" in anonymous
