"""A bounded HTTP load on /cases/ against gunicorn with 2 workers, at 100,000 cases.

Run from the project root:  python -m bench.bench_http [--size 100000] [--seconds 10] [--threads 8]
                                                        [--worker-threads 1]
                                                        [--port 8810] [--path /cases/]

Same database rules as bench_pages (DATABASE_URL naming PostgreSQL, else a local portal_bench),
and the same data (bench.pages_data). It starts gunicorn itself in its own process group on
127.0.0.1:--port, logs one Designated Contact in (a database session), then --threads threads
fetch --path for --seconds, each request on a new connection as a browser behind a load balancer
would. It prints requests per second, latency percentiles and any non-200 answer, and stops
only the gunicorn it started (by its process group). Goal: at least 60 requests/s.
"""

from __future__ import annotations

import argparse
import http.client
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter

from bench.bench_sweep import _setup_django
from bench.pages_data import BENCH_CONTACT, bench_client, load_cases, static_files_collect

GOAL = 60.0


def _session_cookie() -> str:
    from django.conf import settings

    client = bench_client(BENCH_CONTACT)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def _start_gunicorn(port: int, workers: int, worker_threads: int) -> subprocess.Popen[bytes]:
    # As behind the TLS-terminating load balancer of docs/deploy.md, which sets X-Forwarded-Proto.
    env = {**os.environ, "ALLOWED_HOSTS": "127.0.0.1,localhost", "LOG_LEVEL": "WARNING",
           "SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO,https",
           "GUNICORN_THREADS": str(worker_threads)}  # read by gunicorn.conf.py, which gunicorn loads from here
    return subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "portal.wsgi:application", "--workers", str(workers),
         "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
        env=env, start_new_session=True,
    )


def _get(port: int, path: str, cookie: str) -> tuple[int, float]:
    start = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers={"Cookie": cookie, "Host": "127.0.0.1", "X-Forwarded-Proto": "https"})
        response = connection.getresponse()
        response.read()
        return response.status, time.perf_counter() - start
    finally:
        connection.close()


def _wait_ready(port: int, path: str, cookie: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if _get(port, path, cookie)[0] == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"gunicorn did not answer 200 on {path} within {seconds:.0f} s")


def _group_cpu_seconds(pgid: int) -> float:
    """CPU time (user + system) of every live process in the group: gunicorn's master and workers."""
    total = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:  # fields after the command: state, ppid, pgrp, ... utime, stime
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def _load(port: int, path: str, cookie: str, seconds: float, threads: int) -> tuple[Counter[int], list[float], float]:
    statuses: Counter[int] = Counter()
    latencies: list[float] = []
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def run() -> None:
        while time.monotonic() < stop_at:
            try:
                status, latency = _get(port, path, cookie)
            except OSError:
                status, latency = 0, 0.0
            with lock:
                statuses[status] += 1
                latencies.append(latency)

    workers = [threading.Thread(target=run) for _ in range(threads)]
    start = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return statuses, latencies, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--worker-threads", type=int, default=1, help="gthread threads per worker (GUNICORN_THREADS)")
    parser.add_argument("--port", type=int, default=8810)
    parser.add_argument("--path", default="/cases/")
    args = parser.parse_args()
    _setup_django()
    static_files_collect()
    load_cases(args.size)
    cookie = _session_cookie()

    server = _start_gunicorn(args.port, args.workers, args.worker_threads)
    try:
        _wait_ready(args.port, args.path, cookie)
        for _ in range(10):  # warm both workers' template caches and connections
            _get(args.port, args.path, cookie)
        cpu_before = _group_cpu_seconds(server.pid)
        statuses, latencies, elapsed = _load(args.port, args.path, cookie, args.seconds, args.threads)
        web_cpu = _group_cpu_seconds(server.pid) - cpu_before
    finally:
        os.killpg(server.pid, signal.SIGTERM)  # only the process group this script started
        server.wait(timeout=30)

    done = sum(statuses.values())
    rate = statuses[200] / elapsed
    ordered = sorted(latencies)
    p95 = ordered[int(len(ordered) * 0.95)] if ordered else 0.0
    print(f"{args.path} with gunicorn x{args.workers} workers ({args.worker_threads} thread each), "
          f"{args.threads} client threads, {elapsed:.1f} s: "
          f"{done:,} requests, {rate:.1f} requests/s (goal >= {GOAL:.0f}: {'met' if rate >= GOAL else 'MISSED'})")
    # On a shared machine requests/s says as much about the neighbours as about the portal: the web
    # processes' own CPU time per request does not (PostgreSQL's share is not in it).
    if done:
        print(f"gunicorn CPU per request {web_cpu / done * 1000:.1f} ms: at most "
              f"{done / web_cpu * 2 if web_cpu else 0:.0f} requests/s on 2 free cores for the web processes alone")
    print(f"latency median {statistics.median(latencies) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms; "
          f"answers: {dict(sorted(statuses.items()))}")


if __name__ == "__main__":
    main()
