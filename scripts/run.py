"""`make run`: the web server, a Celery worker and the scheduler (celery beat) together, on
the broker of the settings (kombu's filesystem transport under var/ unless REDIS_URL is set).
Ctrl-C (or any of the three stopping) stops all of them."""

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", default="8000")
    args = parser.parse_args()
    python = sys.executable
    broker = BASE_DIR / "var" / "broker"
    for folder in ("queue", "processed"):
        (broker / folder).mkdir(parents=True, exist_ok=True)
    celery = [python, "-m", "celery", "-A", "crm"]
    commands = {
        "web": [python, "manage.py", "runserver", f"127.0.0.1:{args.port}"],
        # solo pool: one process, which is what the filesystem broker of a laptop needs.
        "worker": [*celery, "worker", "--pool=solo", "--loglevel=INFO", "-n", "cuilong@%h"],
        "beat": [*celery, "beat", "--loglevel=INFO"],
    }
    processes = {}
    for name, command in commands.items():
        print(f"== starting {name}: {' '.join(command[1:])}", flush=True)
        processes[name] = subprocess.Popen(command, cwd=BASE_DIR, env=os.environ.copy())

    def stop(*_args):
        for process in processes.values():
            if process.poll() is None:
                process.terminate()
        deadline = time.monotonic() + 10
        for process in processes.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()

    signal.signal(signal.SIGTERM, lambda *a: (stop(), sys.exit(0)))
    try:
        while all(process.poll() is None for process in processes.values()):
            time.sleep(0.5)
        stopped = [name for name, process in processes.items() if process.poll() is not None]
        print(f"== {', '.join(stopped)} stopped; stopping the others", flush=True)
    except KeyboardInterrupt:
        print("\n== stopping web, worker and beat", flush=True)
    finally:
        stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
