"""wrk (https://github.com/wg/wrk) as the throughput phase's load generator: its command line,
the Lua script that counts every answer other than 200, and the parser of its report.

wrk alone counts only 4xx and 5xx as failures ("Non-2xx or 3xx responses"): a 302 to the sign-in
page, which is what a lost session looks like, would pass as a fast success. The script counts
every status other than 200 and prints the total in `done()`, after wrk's own report.
"""

import re

# Per-thread counters (each wrk thread has its own Lua state), summed at the end.
COUNT_NON_200 = """\
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) non200 = 0 end
function response(status, headers, body)
  if status ~= 200 then non200 = non200 + 1 end
end
function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do total = total + thread:get("non200") end
  io.write(string.format("Non-200 responses: %d\\n", total))
end
"""

TIME_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}
BYTE_UNITS = {"": 1, "K": 1024, "M": 1024**2, "G": 1024**3, "T": 1024**4}
NUMBER = r"([0-9]+(?:\.[0-9]+)?)"


def command(url, *, cookie, connections, threads, seconds, timeout, script):
    """The wrk command line: `threads` threads holding `connections` connections for `seconds`,
    latency percentiles on, a request counted as a timeout after `timeout` seconds."""
    line = [
        "wrk",
        f"-t{max(1, min(threads, connections))}",
        f"-c{connections}",
        f"-d{seconds}s",
        f"--timeout={timeout}s",
        "--latency",
        "-s",
        str(script),
    ]
    if cookie:
        line += ["-H", f"Cookie: {cookie}"]
    return [*line, url]


def to_ms(text):
    """'2.07ms' → 2.07; '512.00us' → 0.512; '1.20s' → 1200.0; '1.00m' → 60000.0."""
    match = re.fullmatch(NUMBER + r"(us|ms|s|m|h)", text.strip())
    if not match:
        raise ValueError(f"not a wrk duration: {text!r}")
    return float(match.group(1)) * TIME_UNITS_MS[match.group(2)]


def to_bytes(text):
    """'1.80MB' → 1887436.8; '604.65KB' → 619161.6; '512.00B' → 512.0."""
    match = re.fullmatch(NUMBER + r"([KMGT]?)B", text.strip())
    if not match:
        raise ValueError(f"not a wrk size: {text!r}")
    return float(match.group(1)) * BYTE_UNITS[match.group(2)]


def parse(output):
    """wrk's report (with --latency and the script above) as the bench's load result: requests,
    seconds, req/s, latency percentiles in ms, bytes per response and the errors by kind.
    Raises ValueError when the report lacks its summary line (wrk failed to run)."""
    summary = re.search(
        r"^\s*([0-9]+) requests in (\S+), (\S+) read\s*$", output, flags=re.MULTILINE
    )
    rate = re.search(r"^Requests/sec:\s+" + NUMBER, output, flags=re.MULTILINE)
    if not summary or not rate:
        raise ValueError(f"no summary in wrk's output:\n{output}")
    requests = int(summary.group(1))
    latency = {}
    for percent, value in re.findall(r"^\s+(50|75|90|99)%\s+(\S+)\s*$", output, re.MULTILINE):
        latency[f"p{percent}"] = round(to_ms(value), 2)
    thread_stats = re.search(r"^\s+Latency\s+(\S+)\s+(\S+)\s+(\S+)", output, re.MULTILINE)
    if thread_stats and requests:
        latency["max"] = round(to_ms(thread_stats.group(3)), 2)

    kinds = {}
    non_2xx = re.search(r"^\s*Non-2xx or 3xx responses:\s+([0-9]+)", output, re.MULTILINE)
    non_200 = re.search(r"^Non-200 responses:\s+([0-9]+)", output, re.MULTILINE)
    # The script's count includes wrk's own (every 4xx and 5xx is also "not 200").
    if non_200:
        kinds["non-200"] = int(non_200.group(1))
    elif non_2xx:
        kinds["non-2xx or 3xx"] = int(non_2xx.group(1))
    sockets = re.search(
        r"Socket errors: connect ([0-9]+), read ([0-9]+), write ([0-9]+), timeout ([0-9]+)",
        output,
    )
    if sockets:
        names = ("connect", "read", "write", "timeout")
        for kind, count in zip(names, sockets.groups(), strict=True):
            kinds[f"socket {kind}"] = int(count)
    kinds = {kind: count for kind, count in kinds.items() if count}
    read = to_bytes(summary.group(3))
    return {
        "requests": requests,
        "seconds": round(to_ms(summary.group(2)) / 1000, 3),
        "throughput_rps": round(float(rate.group(1)), 1),
        "latency_ms": latency,
        "bytes_per_request": round(read / requests) if requests else None,
        "errors": sum(kinds.values()),
        "error_kinds": kinds,
    }
